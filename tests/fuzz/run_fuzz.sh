#!/usr/bin/env bash
# make fuzz: run each named harness (build/host/fuzz/fuzz_NAME, clang libFuzzer + ASan/UBSan)
# for FUZZ_TIME seconds on the committed seeds (tests/fuzz/corpus/NAME) plus what earlier runs
# found (build/host/fuzz/corpus/NAME), then print and write a summary: executions, libFuzzer's
# coverage figures (cov: edges, ft: features), corpus size, crashes (artifacts/NAME/).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=$root/build/host/fuzz
T=${FUZZ_TIME:-60}
sum=$out/summary.txt
failed=0
mkdir -p "$out"
{
	echo "make fuzz: $(date -u '+%Y-%m-%d %H:%M UTC'), FUZZ_TIME=$T s per harness"
	printf '%-14s %12s %10s %8s %8s %8s  %s\n' harness executions exec/s cov ft corpus result
} >"$sum.new"
for h in "$@"; do
	mkdir -p "$out/corpus/$h" "$out/artifacts/$h"
	log=$out/$h.log
	"$out/fuzz_$h" -max_total_time="$T" -max_len=8192 -print_final_stats=1 -timeout=10 \
		-artifact_prefix="$out/artifacts/$h/" "$out/corpus/$h" "tests/fuzz/corpus/$h" >"$log" 2>&1
	rc=$?
	execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
	rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corpus=$(find "$out/corpus/$h" -type f | wc -l)
	result=ok
	if [ $rc -ne 0 ]; then
		result="CRASH (rc $rc, see $log and $out/artifacts/$h/)"
		failed=1
	fi
	printf '%-14s %12s %10s %8s %8s %8s  %s\n' "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
		"${ft:-?}" "$corpus" "$result" | tee -a "$sum.new"
done
mv "$sum.new" "$sum"
echo "summary: $sum"
exit $failed
