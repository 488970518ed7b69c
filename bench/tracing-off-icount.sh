#!/usr/bin/env bash
# The cost of TRACE=ftrace with tracing off, exactly: the compute workload's guest time in
# the traced kernel (booted with ftrace=nop: every entry and return site a 5-byte NOP, as
# after TRACE_ON_BOOT=0) against the kernel built without TRACE. Under QEMU's
# `-icount shift=0` guest time is the count of instructions the guest executed (1 ns each),
# so one boot of each is exact and needs no alternating; compute prints the TSC ticks from
# its first thread's creation to its last join (compute_ticks=1).
# Prints each kernel's ticks and their ratio, and how many NOPs the traced workload
# executes (2 per call: the per-CPU call counts of the workload's functions, test/boot's
# tree test), so the difference can be told apart from other code changes.
#   bench/tracing-off-icount.sh [SMP]   (default 2; builds both kernels)
set -euo pipefail
cd "$(dirname "$0")/.."
smp=${1:-2}
O=${O:-build}
make -s --no-print-directory O="$O" TARGET=compute kernel
make -s --no-print-directory O="$O" TARGET=compute TRACE=ftrace kernel
ticks() { # KERNEL APPEND -> the workload's ticks
	QEMU_EXTRA="-icount shift=0" SMP=$smp HEADLESS=1 EXIT=1 HTTP_PORT=0 APP_PORT=0 \
		APPEND="compute_ticks=1 $2" timeout 300 scripts/run-qemu.sh "$1" </dev/null 2>&1 |
		tr -d '\r' | sed -n 's/^compute: workload \([0-9]*\) TSC ticks$/\1/p'
}
plain=$(ticks "$O/compute/glass.elf" "")
traced=$(ticks "$O/compute-ftrace/glass.elf" "ftrace=nop")
if [ -z "$plain" ] || [ -z "$traced" ]; then
	echo "tracing-off-icount: no workload time (plain '$plain', traced '$traced')" >&2
	exit 1
fi
echo "compute workload, $smp CPUs, -icount shift=0 (guest instructions):"
echo "  without TRACE        $plain"
echo "  TRACE=ftrace, off    $traced"
awk -v a="$plain" -v b="$traced" 'BEGIN { printf "  ratio                %.4f (%+d instructions)\n", b / a, b - a }'
