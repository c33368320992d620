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

null=$(val null_hvc) psci=$(val psci_version) mmio=$(val mmio_read) tlat=$(val vtimer_latency)
cat <<TABLE
keel $arch benchmark (QEMU $($QEMU --version | head -n 1 | awk '{print $4}'), -icount shift=0,sleep=off; instructions)
  null hypercall round trip      $null   (peers: $PEERS_NULL)
  PSCI_VERSION round trip        $psci   (peers: $PEERS_PSCI)
  emulated MMIO read (UART)      $mmio
  virtual timer latency          $tlat   (expiry to guest handler)
  boot to first guest instr.     $boot   (with zeroing 16 MiB of guest memory)
  ... of which zeroing memory    $scrub_i
  boot without zeroing           $((boot - scrub_i))
  keel image                     text $text, data $data, bss $bss bytes
  lines of code built            $loc keel + $fdt_loc libfdt
TABLE
cat >"$out/results.json" <<JSON
{
  "arch": "$arch",
  "null_hypercall": $null,
  "psci_version": $psci,
  "mmio_read": $mmio,
  "vtimer_latency": $tlat,
  "boot_to_first_guest": $boot,
  "boot_zeroing": $scrub_i,
  "boot_without_zeroing": $((boot - scrub_i)),
  "text": $text, "data": $data, "bss": $bss,
  "loc_keel": $loc, "loc_libfdt": $fdt_loc
}
JSON
echo "written: $out/results.json"
