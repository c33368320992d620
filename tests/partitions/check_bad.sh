#!/usr/bin/env bash
# Runs build/host/check-partition on every malformed partition file in
# tests/partitions/bad/ and compares its exit code and output with
# tests/partitions/bad/expect.txt (file<TAB>exit code<TAB>output substring).
# Prints "PASS bad/<file>" or "FAIL bad/<file>: ..." per case; exits 1 on any
# failure. Needs dtc and `make host-tools`.
#   CHECK_PARTITION=path/to/check-partition bash tests/partitions/check_bad.sh
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/partitions/bad
cp_bin=${CHECK_PARTITION:-$root/build/host/check-partition}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

fail() {
	echo "FAIL bad/$1: $2"
	failed=1
}

# run_case name dtb expected_code needle
run_case() {
	local out rc
	out=$("$cp_bin" "$2" 2>&1)
	rc=$?
	if [[ $rc == "$3" && $out == *"$4"* ]]; then
		echo "PASS bad/$1"
	else
		fail "$1" "expected exit $3 and \"$4\", saw exit $rc: $(grep -m1 'partition: error' <<<"$out" || head -n1 <<<"$out")"
	fi
}

if [[ ! -x $cp_bin ]]; then
	fail setup "$cp_bin missing (run make host-tools)"
	exit 1
fi
if ! command -v dtc >/dev/null; then
	fail setup "dtc not installed (make deps)"
	exit 1
fi

while IFS=$'\t' read -r file code needle; do
	[[ -z $file || $file == \#* ]] && continue
	if [[ ! -f $dir/$file ]]; then
		fail "$file" "listed in expect.txt but missing"
		continue
	fi
	if ! dtc -q -I dts -O dtb -o "$tmp/${file%.dts}.dtb" "$dir/$file" 2>"$tmp/dtc.err"; then
		fail "$file" "dtc failed: $(head -n1 "$tmp/dtc.err")"
		continue
	fi
	run_case "$file" "$tmp/${file%.dts}.dtb" "$code" "$needle"
done <"$dir/expect.txt"

# Every .dts must have an expectation.
for f in "$dir"/*.dts; do
	grep -q "^$(basename "$f")"$'\t' "$dir/expect.txt" || fail "$(basename "$f")" "not listed in expect.txt"
done

# Not a DTB at all: a text file fed directly.
printf 'this is a text file, not a DTB\n' >"$tmp/text.dtb"
run_case not-a-dtb "$tmp/text.dtb" 2 "partition: error: not a device tree blob (bad magic 0x74686973)"

# A DTB cut short (header intact, body missing).
dtc -q -I dts -O dtb -o "$tmp/full.dtb" "$dir/memory_overlap.dts" && head -c 100 "$tmp/full.dtb" >"$tmp/cut.dtb"
run_case truncated-dtb "$tmp/cut.dtb" 2 "partition: error: device tree blob truncated (header says"

# An empty file.
: >"$tmp/empty.dtb"
run_case empty-file "$tmp/empty.dtb" 2 "partition: error: not a device tree blob (0 bytes)"

exit $failed
