#!/usr/bin/env bash
# The sampling profiler's cost and ring bytes per sample in the guest (TCG here):
# apps/profile-bench, 5 boots, each printing the median time of compute with sampling off,
# at 99 Hz and at 10 kHz (interleaved in one run) and the bytes per sample with new and
# known stacks; then the medians of the ratios over the boots (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
kernel=$(build_kernel profile-bench ftrace)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for run in 1 2 3 4 5; do
	echo "run $run:"
	{ HEADLESS=1 EXIT=1 SMP=2 KVM=0 HTTP_PORT=0 APP_PORT=0 timeout 300 scripts/run-qemu.sh \
		"$kernel" </dev/null 2>&1 || true; } | grep '^profile-bench:' | tr -d '\r' | tee -a "$out"
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
echo "median 99 Hz / off: $(awk '/ 99 Hz:/ { print $(NF - 2) }' "$out" | median)"
echo "median 10 kHz / off: $(awk '/10000 Hz:/ { print $(NF - 2) }' "$out" | median)"
echo "median bytes per sample, stacks known: $(awk '/stacks known/ { print $(NF - 10) }' "$out" | median)"
