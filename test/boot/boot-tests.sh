#!/usr/bin/env bash
# Boot tests: hello and compute on 1 and 2 CPUs (TCG, and KVM where hardware KVM exists),
# checking the serial output and exit status; a deliberate fault must print a symbolized
# backtrace naming the faulting function, the same with TRACE=ftrace in both tracers.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh

logs=$O/boot-logs
mkdir -p "$logs"

hello=$(build_kernel hello) || { not_ok "build hello"; exit 1; }
compute=$(build_kernel compute) || { not_ok "build compute"; exit 1; }
fault=$(build_kernel fault) || { not_ok "build fault"; exit 1; }
fault_traced=$(build_kernel fault ftrace) || { not_ok "build fault TRACE=ftrace"; exit 1; }
selftest=$(build_kernel selftest) || { not_ok "build selftest"; exit 1; }

# The expected checksums come from the same workload source compiled for the host.
expect_bin=$O/host/compute-expect
mkdir -p "$O/host"
gcc -O2 -I. -o "$expect_bin" test/boot/compute_expect.c apps/compute/work.c ||
	{ not_ok "build compute-expect"; exit 1; }

# run-qemu.sh's status says how the app ended (0, 1, 3 panic: the fault app below, 4 crash:
# docs/writing-apps.md), and `make ... run` passes a success on, so `make run && next` works.
exits=$(build_kernel exits) || { not_ok "build exits"; exit 1; }
for ends in fail:1 crash:4; do
	log=$logs/exits-${ends%:*}.log
	boot "$exits" 1 0 "$log" "ends=${ends%:*}"
	name="run-qemu.sh exits ${ends#*:} when the app ends with ${ends%:*}"
	expect_status "$name" "${ends#*:}" "$log" && ok "$name"
done
# No boot: a missing kernel is a usage error (2); an option QEMU refuses makes it fail (5).
scripts/run-qemu.sh "$logs/no-such-kernel.elf" 2>/dev/null
status=$?
name="run-qemu.sh exits 2 on bad arguments"
if [ "$status" = 2 ]; then ok "$name"; else not_ok "$name: status $status"; fi
HEADLESS=1 EXIT=1 QEMU_EXTRA=--no-such-qemu-option timeout "$BOOT_TIMEOUT" scripts/run-qemu.sh \
	"$exits" </dev/null >/dev/null 2>&1
status=$?
name="run-qemu.sh exits 5 when QEMU itself fails"
if [ "$status" = 5 ]; then ok "$name"; else not_ok "$name: status $status"; fi
name="make EXIT=1 run exits 0 when the app returns 0"
make -s --no-print-directory O="$O" TARGET=exits EXIT=1 HEADLESS=1 SMP=1 KVM=0 HTTP_PORT=0 \
	APP_PORT=0 run </dev/null >"$logs/make-run-ok.log" 2>&1
status=$?
if [ "$status" = 0 ] && grep -q 'glass: app exits returned 0' "$logs/make-run-ok.log"; then
	ok "$name"; else not_ok "$name: status $status"; tail -5 "$logs/make-run-ok.log" | sed 's/^/#   /'; fi

# The function names of a panic's backtrace, one per line.
backtrace_names() {
	tr -d '\r' <"$1" | sed -n '/^Backtrace:/,/^[^ ]/p' | sed -nE 's/^  \[<[0-9a-f]+>\] ([^+ ]+)\+0x.*/\1/p'
}

no_crash() {
	! grep -qE 'Kernel panic|\*\*\* CPU|unexpected interrupt' "$1"
}

for kvm in $(boot_accels); do
	acc=$([ "$kvm" = 1 ] && echo kvm || echo tcg)
	for smp in 1 2; do
		log=$logs/hello-$acc-smp$smp.log
		boot "$hello" "$smp" "$kvm" "$log"
		name="hello boots on $smp CPU(s) under $acc"
		if expect_status "$name" 0 "$log"; then
			if grep -q "Hello from glass on $smp CPUs, TSC [0-9]*\.[0-9]\{3\} MHz" "$log" &&
				grep -q "glass: $smp CPUs online" "$log" && no_crash "$log" &&
				{ [ "$smp" = 1 ] || grep -q "glass: CPU 1 online" "$log"; }; then
				ok "$name"
			else
				not_ok "$name: unexpected serial output"; sed 's/^/#   /' "$log" | tail -20
			fi
		fi

		log=$logs/compute-$acc-smp$smp.log
		boot "$compute" "$smp" "$kvm" "$log"
		name="compute checksums on $smp CPU(s) under $acc"
		if expect_status "$name" 0 "$log"; then
			want=$("$expect_bin" "$smp")
			got=$(grep '^compute: ' "$log" | tr -d '\r')
			if [ "$got" = "$want" ] && no_crash "$log"; then
				ok "$name"
			else
				not_ok "$name: got '$got', want '$want'"
			fi
		fi

		log=$logs/selftest-$acc-smp$smp.log
		boot "$selftest" "$smp" "$kvm" "$log"
		name="kernel selftest (preemption, sleep, mutex, waitq, heap) on $smp CPU(s) under $acc"
		if expect_status "$name" 0 "$log"; then
			if grep -q '^selftest: SUCCESS' "$log" && no_crash "$log"; then
				ok "$name"
			else
				not_ok "$name"; grep selftest "$log" | sed 's/^/#   /'
			fi
		fi
	done

	log=$logs/fault-$acc.log
	boot "$fault" 2 "$kvm" "$log"
	name="page fault prints a symbolized backtrace under $acc"
	if expect_status "$name" 3 "$log"; then
		if grep -q 'page fault' "$log" && grep -q 'CR2 0000100000000000' "$log" &&
			grep -qE '\] fault_deliberately\+0x[0-9a-f]+/0x[0-9a-f]+' "$log" &&
			grep -qE '\] fault_caller\+0x' "$log" && grep -qE '\] app_main\+0x' "$log"; then
			ok "$name"
		else
			not_ok "$name: backtrace lacks the faulting functions"; sed 's/^/#   /' "$log" | tail -20
		fi
	fi

	# function_graph replaces return addresses with return_to_handler: the unwinder must
	# name the real callers from the shadow stack, so the backtrace is the untraced one.
	want=$(backtrace_names "$log")
	for tracer in function_graph function; do
		tlog=$logs/fault-$tracer-$acc.log
		boot "$fault_traced" 2 "$kvm" "$tlog" "ftrace=$tracer"
		name="TRACE=ftrace $tracer: the fault's backtrace names the untraced build's functions ($acc)"
		if expect_status "$name" 3 "$tlog"; then
			got=$(backtrace_names "$tlog")
			if [ -n "$want" ] && [ "$got" = "$want" ]; then ok "$name"; else
				not_ok "$name"; echo "#   got:  $(echo $got)"; echo "#   want: $(echo $want)"; fi
		fi
	done
done
exit $FAILED
