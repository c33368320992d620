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
loc=$(for f in $deps; do [ -f "$f" ] && cat "$f"; done | wc -l) # (stale .d files may name removed files)
fdt_loc=$(cat build/src/libfdt/{fdt,fdt_ro,fdt_rw,fdt_sw,fdt_wip,fdt_strerror,fdt_empty_tree,fdt_addresses}.c | wc -l)

# vCPU switch cost with FP/SVE/SME in use, lazy vs eager (arches with tests/bench/<arch>/fp_*.dts)
fp_lines="" fp_json=""
if [ -f "tests/bench/$arch/fp_lazy.dts" ]; then
	for mode in lazy eager; do
		dtc -q -I dts -O dtb -i "build/guests/$arch" -o "$out/$arch-fp_$mode.dtb" "tests/bench/$arch/fp_$mode.dts"
		# shellcheck disable=SC2086
		timeout -s KILL 300 $QEMU $QEMU_ARGS -icount shift=0,sleep=off -kernel "$KEEL_IMAGE" \
			-initrd "$out/$arch-fp_$mode.dtb" </dev/null 2>&1 | tr -d '\r' >"$out/$arch-fp_$mode.log" || true
	done
	fpval() { grep -oE "BENCH fp_switch_$2 [0-9]+" "$out/$arch-fp_$1.log" | awk '{print $3}'; }
	for c in none fp sve sme; do
		l=$(fpval lazy $c) e=$(fpval eager $c)
		[ -n "$l" ] && [ -n "$e" ] || { echo "bench: missing fp_switch_$c in $out/$arch-fp_*.log"; exit 1; }
		case $c in
		none) what="no FP use" ;; fp) what="FP/SIMD only" ;; sve) what="SVE, 2048-bit" ;;
		sme) what="streaming + ZA, 2048-bit" ;;
		esac
		ratio=$(awk -v e="$e" -v l="$l" 'BEGIN { printf "%.2f", e / l }')
		fp_lines+="  $(printf '%-34s' "vCPU switch, $what") lazy $l, eager $e (eager/lazy $ratio)"$'\n'
		fp_json+="  \"fp_switch_$c\": { \"lazy\": $l, \"eager\": $e },"$'\n'
	done
fi

# Guest-create figures (tests/bench/<arch>/create.dts, a manager VM): create to the new VM's first
# instruction, and terminate+destroy of 64 MiB, 256 MiB and 1 GiB VMs with keel's bulk path and
# with the page-by-page build (make TEARDOWN=pagewise: 4 KiB mappings, each page unmapped,
# invalidated and scrubbed). Needs 2 GiB of RAM for the 1 GiB VM.
dtc -q -I dts -O dtb -i "build/guests/$arch" -o "$out/$arch-create.dtb" "tests/bench/$arch/create.dts"
for variant in bulk pagewise; do
	image=$KEEL_IMAGE
	[ $variant = bulk ] || image=${KEEL_IMAGE/build\/$arch\//build/$arch-pagewise/}
	# shellcheck disable=SC2086
	timeout -s KILL 600 $QEMU ${QEMU_ARGS/-m 1G/-m 2G} -icount shift=0,sleep=off -kernel "$image" \
		-initrd "$out/$arch-create.dtb" </dev/null 2>&1 | tr -d '\r' >"$out/$arch-create-$variant.log" || true
done
cval() { grep -oE "BENCH $1 [0-9]+" "$out/$arch-create-$2.log" | awk '{print $3}'; }
c0=$(cval create_start_counter bulk) c1=$(cval child_entry_counter bulk)
[ -n "$c0" ] && [ -n "$c1" ] || { echo "bench: missing create figures in $out/$arch-create-bulk.log"; exit 1; }
create=$(((c1 - c0) * ns_per_tick))
# scrub times keel logs at each destroy: the 2 MiB VM first, then 64 MiB, 256 MiB, 1 GiB
mapfile -t scrubs < <(grep -oE 'scrub: [0-9]+ counter ticks' "$out/$arch-create-bulk.log" | awk '{print $2}')
td_lines="" td_json=""
i=1
for sz in 64m 256m 1g; do
	k=$(cval "teardown_$sz" bulk) p=$(cval "teardown_$sz" pagewise) sc=${scrubs[$i]:-}
	[ -n "$k" ] && [ -n "$p" ] && [ -n "$sc" ] || { echo "bench: missing teardown_$sz figures in $out/$arch-create-*.log"; exit 1; }
	sc=$((sc * ns_per_tick))
	ratio=$(awk -v p="$p" -v k="$k" 'BEGIN { printf "%.1f", p / k }')
	rest=$(awk -v p="$p" -v k="$k" -v s="$sc" 'BEGIN { printf "%.0f", (p - s) / (k - s > 0 ? k - s : 1) }')
	case $sz in 1g) label="1 GiB" ;; *) label="${sz%m} MiB" ;; esac
	td_lines+="  $(printf '%-34s' "terminate+destroy, $label") keel $k (bulk scrub $sc), page-by-page $p: ${ratio}x (${rest}x without the scrub)"$'\n'
	td_json+="  \"teardown_$sz\": { \"keel\": $k, \"keel_scrub\": $sc, \"pagewise\": $p },"$'\n'
	i=$((i + 1))
done

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
  $(printf '%-34s' "create to first guest instruction") $create   (VM_CREATE of a 2 MiB VM, zeroing included, to its entry)
${td_lines%$'\n'}
  $(printf '%-34s' "keel image") text $text, data $data, bss $bss bytes
  $(printf '%-34s' "lines of code built") $loc keel + $fdt_loc libfdt
${fp_lines%$'\n'}
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
  "create_to_first_guest": $create,
${td_json}${fp_json}  "text": $text, "data": $data, "bss": $bss,
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
