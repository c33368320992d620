#!/usr/bin/env bash
# Runs one QEMU scenario and prints one verdict line: "PASS scenario <arch>/<name>"
# or "FAIL scenario <arch>/<name>: <what was expected and what was seen>".
#
# A scenario is tests/scenarios/<arch>/<name>.scn with lines:
#   partition: file.dts        partition file (default <name>.dts beside it; "none" = no -initrd,
#                              a non-.dts file is passed as it is)
#   timeout: N                 seconds before QEMU is killed (default 120)
#   qemu: ARGS                 extra QEMU arguments
#   expect: TEXT               a console line must contain TEXT
#   expect-count: N TEXT       exactly N lines contain TEXT
#   expect-order: A ||| B      a line containing B comes after one containing A
#   reject: TEXT               no line may contain TEXT
#   send-after: TEXT ||| KEYS  once TEXT appears, type KEYS on the console (printf escapes);
#                              sends happen in file order
#   expect-gap: A ||| B MIN MAX  a line containing B first appears MIN..MAX seconds (host clock)
#                              after one containing A first appeared (guest time against real time)
#   exclusive: yes             run alone, after the others (timing checks, heavy load)
#   stop-when: TEXT            kill QEMU once TEXT appears (a VM that never stops by design);
#                              without it QEMU must exit by itself (keel powers off)
#   image: testhooks           boot the test-only keel build (make KEEL_TEST_HOOKS=1,
#                              build/<arch>-testhooks) whose hypercall 0x7f breaks keel
#   boot: flash                boot the firmware image of make flash-image exactly as
#                              make run-flash does (build/<arch>/flash/run-qemu) instead of
#                              -kernel keel -initrd partition; partition: is not used
set -u
arch=$1 name=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$root/tests/scenarios/$arch
scn=$dir/$name.scn
out=$root/build/scenarios/$arch
guests=$root/build/guests/$arch
mkdir -p "$out"
log=$out/$name.log

source "$root/tests/scenarios/$arch.env"

partition=$name.dts timeout=120 extra="" stop_when="" boot=kernel image=""
expects=() counts=() orders=() rejects=() sends=() gaps=()
while IFS= read -r line || [ -n "$line" ]; do
	case "$line" in
	partition:*) partition=$(echo "${line#partition:}" | xargs) ;;
	timeout:*) timeout=$(echo "${line#timeout:}" | xargs) ;;
	qemu:*) extra="${line#qemu:}" ;;
	expect:*) expects+=("${line#expect: }") ;;
	expect-count:*) counts+=("${line#expect-count: }") ;;
	expect-order:*) orders+=("${line#expect-order: }") ;;
	reject:*) rejects+=("${line#reject: }") ;;
	stop-when:*) stop_when="${line#stop-when: }" ;;
	send-after:*) sends+=("${line#send-after: }") ;;
	boot:*) boot=$(echo "${line#boot:}" | xargs) ;;
	image:*) image=$(echo "${line#image:}" | xargs) ;;
	expect-gap:*) gaps+=("${line#expect-gap: }") ;;
	esac
done <"$scn"

fail() {
	echo "FAIL scenario $arch/$name: $*  (log: ${log#$root/})"
	exit 1
}

if [ -n "$image" ]; then
	KEEL_IMAGE=${KEEL_IMAGE/\/build\/$arch\//\/build\/$arch-$image\/}
	[ -f "$KEEL_IMAGE" ] || fail "no keel image $KEEL_IMAGE: make ARCH=$arch KEEL_TEST_HOOKS=1 builds it"
fi

# what QEMU boots: keel and the partition file directly, or the built flash image
case "$boot" in
kernel) launch=($QEMU $QEMU_ARGS) kernel=(-kernel "$KEEL_IMAGE") ;;
flash)
	launch=("$root/build/$arch/flash/run-qemu") kernel=() partition=none
	[ -x "${launch[0]}" ] || fail "no flash image: make ARCH=$arch flash-image builds it" ;;
*) fail "unknown boot: $boot (kernel or flash)" ;;
esac

initrd=()
case "$partition" in
none) ;;
*.dts)
	dtc -q -I dts -O dtb -i "$guests" -i "$root/build/linux/$arch" -i "$dir" -o "$out/$name.dtb" "$dir/$partition" 2>"$out/$name.dtc.err" ||
		fail "dtc could not compile $partition: $(head -c 300 "$out/$name.dtc.err")"
	initrd=(-initrd "$out/$name.dtb") ;;
*) initrd=(-initrd "$dir/$partition") ;;
esac

# console input comes through a FIFO kept open for the whole run
fifo=$out/$name.in
rm -f "$fifo"
mkfifo "$fifo"
# empty the log first: QEMU's own >"$log" happens in the background job, after it has
# opened the FIFO, and the loop below must not match stop-when or send-after text in
# the previous run's log
: >"$log"
# shellcheck disable=SC2086
"${launch[@]}" $extra "${kernel[@]+"${kernel[@]}"}" "${initrd[@]+"${initrd[@]}"}" <"$fifo" >"$log" 2>&1 &
qpid=$!
exec 3>"$fifo"
next_send=0
# expect-gap: host time (ms) at which each A and B was first seen in the log
gap_a=() gap_b=()
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
deadline=$((SECONDS + timeout))
how=exited
while kill -0 "$qpid" 2>/dev/null; do
	if [ $next_send -lt ${#sends[@]} ]; then
		s=${sends[$next_send]}
		if grep -qF -- "${s%% |||*}" "$log"; then
			sleep 0.3
			# shellcheck disable=SC2059
			printf "${s#*||| }" >&3
			next_send=$((next_send + 1))
		fi
	fi
	for i in "${!gaps[@]}"; do
		g=${gaps[$i]} ga=${g%% |||*} gb=${g#*||| } gb=${gb% * *}
		[ -z "${gap_a[$i]:-}" ] && grep -qF -- "$ga" "$log" && gap_a[$i]=$(now_ms)
		[ -z "${gap_b[$i]:-}" ] && grep -qF -- "$gb" "$log" && gap_b[$i]=$(now_ms)
	done
	if [ -n "$stop_when" ] && grep -qF -- "$stop_when" "$log"; then
		sleep 0.5
		how=stopped
		break
	fi
	if [ $SECONDS -ge $deadline ]; then
		how=timeout
		break
	fi
	sleep 0.2
done
# QEMU 7.2 may ignore SIGTERM with every CPU in wfi (facts.md 8): SIGKILL
{
	kill -9 "$qpid"
	wait "$qpid"
} 2>/dev/null
qrc=$?
exec 3>&-
rm -f "$fifo"
[ "$how" = exited ] && [ $qrc -ne 0 ] && fail "QEMU exited with status $qrc"
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"

if [ "$how" = timeout ]; then
	if [ -n "$stop_when" ]; then
		fail "timed out after ${timeout}s waiting for '$stop_when'"
	else
		fail "timed out after ${timeout}s: keel did not power off (last line: $(tail -n 1 "$log"))"
	fi
fi
for e in "${expects[@]+"${expects[@]}"}"; do
	grep -qF -- "$e" "$log" || fail "expected a line containing '$e', saw none"
done
for c in "${counts[@]+"${counts[@]}"}"; do
	n=${c%% *} text=${c#* }
	seen=$(grep -cF -- "$text" "$log")
	[ "$seen" = "$n" ] || fail "expected $n line(s) containing '$text', saw $seen"
done
for o in "${orders[@]+"${orders[@]}"}"; do
	a=${o%% |||*} b=${o#*||| }
	la=$(grep -nF -- "$a" "$log" | head -n 1 | cut -d: -f1)
	lb=$(grep -nF -- "$b" "$log" | tail -n 1 | cut -d: -f1)
	[ -n "$la" ] && [ -n "$lb" ] && [ "$lb" -gt "$la" ] ||
		fail "expected a line containing '$b' after one containing '$a' (lines: ${la:-none}, ${lb:-none})"
done
for i in "${!gaps[@]}"; do
	g=${gaps[$i]} ga=${g%% |||*} rest=${g#*||| }
	gb=${rest% * *} lim=${rest##"$gb" } min=${lim% *} max=${lim#* }
	[ -n "${gap_a[$i]:-}" ] && [ -n "${gap_b[$i]:-}" ] ||
		fail "expected '$ga' then '$gb' (expect-gap), saw ${gap_a[$i]:+the first only}${gap_a[$i]:-neither}"
	ms=$((gap_b[i] - gap_a[i]))
	# polled every 0.2 s: a gap is known to about +-0.3 s
	awk -v ms="$ms" -v lo="$min" -v hi="$max" 'BEGIN { exit !(ms >= lo * 1000 && ms <= hi * 1000) }' ||
		fail "'$gb' came $ms ms after '$ga', expected $min..$max s"
	echo "gap: '$gb' $ms ms after '$ga'" >>"$log"
done
for r in "${rejects[@]+"${rejects[@]}"}"; do
	if grep -qF -- "$r" "$log"; then
		fail "line containing '$r' must not appear, saw: $(grep -F -- "$r" "$log" | head -n 1)"
	fi
done
echo "PASS scenario $arch/$name"
