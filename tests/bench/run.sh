#!/usr/bin/env bash
# make bench: instruction counts under -icount shift=0,sleep=off (1 ns of guest
# time = 1 instruction), keel's image size and lines of code for this build.
# Prints a table and writes build/bench/results.json.
set -eu
arch=${1:-arm64}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=build/bench
mkdir -p "$out"
source "tests/bench/$arch.env"

dtc -q -I dts -O dtb -i "build/guests/$arch" -o "$out/$arch-bench.dtb" "tests/bench/$arch/bench.dts"
log=$out/$arch-bench.log
# shellcheck disable=SC2086
timeout -s KILL 300 $QEMU $QEMU_ARGS -icount shift=0,sleep=off -kernel "$KEEL_IMAGE" \
	-initrd "$out/$arch-bench.dtb" </dev/null >"$log" 2>&1 || true
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

val() { grep -oE "BENCH $1 [0-9]+" "$log" | awk '{print $3}'; }
ns_per_tick=$((1000000000 / COUNTER_HZ))
keel_start=$(grep -oE 'starting at counter [0-9]+' "$log" | awk '{print $4}')
ready=$(grep -oE 'VMs ready after [0-9]+ counter ticks, [0-9]+' "$log")
scrub=$(echo "$ready" | awk '{print $7}')
entry=$(val guest_entry_counter)
for v in keel_start scrub entry; do
	[ -n "${!v}" ] || { echo "bench: missing figure '$v' in $log"; exit 1; }
done
boot=$(((entry - keel_start) * ns_per_tick))
scrub_i=$((scrub * ns_per_tick))
read -r text data bss _ < <(${CROSS}size "build/$arch/keel.elf" | tail -n 1)
# lines of keel's own code compiled into this image (dependency files), and of libfdt
deps=$(cat $(find "build/$arch" -name '*.d' -not -path '*/libfdt/*') | tr ' \\' '\n\n' |
	grep -E '^(src|arch|include|platform)/.*\.(c|h|S)$' | sort -u)
loc=$(echo "$deps" | xargs cat | wc -l)
fdt_loc=$(cat build/src/libfdt/{fdt,fdt_ro,fdt_rw,fdt_sw,fdt_wip,fdt_strerror,fdt_empty_tree,fdt_addresses}.c | wc -l)

null=$(val null_call) fwv=$(val fw_version) mmio=$(val mmio_read) tlat=$(val timer_latency)
for v in null fwv mmio tlat; do
	[ -n "${!v}" ] || { echo "bench: missing figure '$v' in $log"; exit 1; }
done
cat <<TABLE
keel $arch benchmark (QEMU $($QEMU --version | head -n 1 | awk '{print $4}'), -icount shift=0,sleep=off; instructions)
  $(printf '%-34s' "$LABEL_NULL") $null   (peers: $PEERS_NULL)
  $(printf '%-34s' "$LABEL_FW") $fwv   (peers: $PEERS_FW)
  $(printf '%-34s' "${LABEL_MMIO:-emulated MMIO read (UART)}") $mmio
  $(printf '%-34s' "$LABEL_TIMER") $tlat   (expiry to guest handler)
  $(printf '%-34s' "boot to first guest instruction") $boot   (2 MiB guest, zeroing included)
  $(printf '%-34s' "... of which zeroing memory") $scrub_i
  $(printf '%-34s' "boot without zeroing") $((boot - scrub_i))
  $(printf '%-34s' "keel image") text $text, data $data, bss $bss bytes
  $(printf '%-34s' "lines of code built") $loc keel + $fdt_loc libfdt
TABLE
cat >"$out/$arch.json" <<JSON
{
  "arch": "$arch",
  "null_call": $null,
  "fw_version": $fwv,
  "mmio_read": $mmio,
  "timer_latency": $tlat,
  "boot_to_first_guest": $boot,
  "boot_zeroing": $scrub_i,
  "boot_without_zeroing": $((boot - scrub_i)),
  "text": $text, "data": $data, "bss": $bss,
  "loc_keel": $loc, "loc_libfdt": $fdt_loc
}
JSON
# results.json: every arch benchmarked so far, keyed by arch
{
	echo "{"
	first=1
	for f in "$out"/arm64.json "$out"/riscv64.json "$out"/x86_64.json; do
		[ -f "$f" ] || continue
		[ $first = 1 ] || echo ","
		first=0
		printf '  "%s": ' "$(basename "$f" .json)"
		sed 's/^/  /' "$f" | sed '1s/^  //'
	done
	echo "}"
} >"$out/results.json"
echo "written: $out/results.json"
