#!/usr/bin/env bash
# The tracer's cost inside the guest (TCG here): apps/ftrace-bench, 3 boots, each printing
# medians of 5 rounds of 100,000 calls; prints every run's lines.
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
kernel=$(build_kernel ftrace-bench ftrace)
for run in 1 2 3; do
	echo "run $run:"
	# Whatever the status (a failed run prints no ftrace-bench lines), go on.
	{ HEADLESS=1 EXIT=1 HTTP_PORT=0 APP_PORT=0 timeout 120 scripts/run-qemu.sh "$kernel" \
		</dev/null 2>&1 || true; } | grep '^ftrace-bench:' | tr -d '\r'
done
