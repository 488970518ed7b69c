#!/usr/bin/env bash
# Trace events' cost inside the guest (TCG here): apps/compute with compute_event_cost=N
# under the nop tracer, 3 boots; each prints every measure with all events off and on in
# the same boot (apps/compute/event_cost.c).
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
kernel=$(build_kernel compute ftrace)
for run in 1 2 3; do
	echo "run $run:"
	{ HEADLESS=1 EXIT=1 SMP=2 HTTP_PORT=0 APP_PORT=0 APPEND="ftrace=nop compute_event_cost=20000" \
		timeout 300 scripts/run-qemu.sh "$kernel" </dev/null 2>&1 || true; } |
		grep '^compute-events:' | tr -d '\r'
done
