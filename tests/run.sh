#!/usr/bin/env bash
# make test: host unit tests, partition-file checks, fuzz smoke runs, then the
# QEMU scenarios of every arch whose keel image and guests are built.
# Every PASS/FAIL line counts; the last line is "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
res=build/test-results
rm -rf "$res"
mkdir -p "$res"
JOBS=${JOBS:-2}

# Run a test command; its PASS/FAIL lines count. A command that fails without
# printing a FAIL line (a crash, a sanitizer report) counts as one failure.
run() {
	local label=$1
	shift
	local out=$res/$(echo "$label" | tr '/ ' '__').out
	"$@" >"$out" 2>&1
	local rc=$?
	grep -E '^(PASS|FAIL) ' "$out"
	if [ $rc -ne 0 ] && ! grep -qE '^FAIL ' "$out"; then
		echo "FAIL $label: exited with status $rc without a FAIL line; output:"
		tail -n 20 "$out" | sed 's/^/    /'
	fi
	grep -E '^FAIL ' "$out" >/dev/null && grep -vE '^(PASS|FAIL) ' "$out" | head -n 40 | sed 's/^/    /'
	return 0
}

{
	run lint bash -c 'make --no-print-directory lint >/dev/null 2>&1 && echo "PASS lint" ||
		{ echo "FAIL lint: make lint found style or cppcheck problems"; make --no-print-directory lint 2>&1 | tail -n 20; }'
	for t in build/host/unit/test_*; do
		[ -x "$t" ] && run "unit/$(basename "$t")" "$t"
	done
	[ -x tests/partitions/check_bad.sh ] && run partitions/bad bash tests/partitions/check_bad.sh
	for f in build/host/fuzz/*_smoke; do
		[ -x "$f" ] && run "fuzz/$(basename "$f")" "$f"
	done
	# scenarios marked "exclusive: yes" (timing checks, heavy load) run alone after the others
	scenarios=() exclusive=()
	for arch in arm64 riscv64 x86_64; do
		[ -f "build/$arch/keel.bin" ] || [ -f "build/$arch/keel.elf" ] || continue
		for s in tests/scenarios/$arch/*.scn; do
			[ -f "$s" ] || continue
			if grep -q '^exclusive: *yes' "$s"; then
				exclusive+=("$arch $(basename "$s" .scn)")
			else
				scenarios+=("$arch $(basename "$s" .scn)")
			fi
		done
	done
	printf '%s\n' "${scenarios[@]+"${scenarios[@]}"}" |
		xargs -P "$JOBS" -L 1 bash tests/scenarios/run_scenario.sh
	printf '%s\n' "${exclusive[@]+"${exclusive[@]}"}" |
		xargs -P 1 -L 1 bash tests/scenarios/run_scenario.sh
} | tee "$res/all.txt"

passed=$(grep -cE '^PASS ' "$res/all.txt")
failed=$(grep -cE '^FAIL ' "$res/all.txt")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
