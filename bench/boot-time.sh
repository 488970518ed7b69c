#!/usr/bin/env bash
# Boot time: wall time from spawning QEMU to the app's first line and to power-off, for
# hello on 1 and 2 CPUs under TCG (and KVM where hardware KVM exists); median of 5 runs.
# Also the kernel image size. Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
RUNS=${RUNS:-5}
kernel=$(build_kernel hello)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one_run() { # prints "first_ms exit_ms"
	local smp=$1 kvm=$2 start first="" now
	start=$(date +%s%N)
	while IFS= read -r line; do
		if [ -z "$first" ] && [[ $line == Hello* ]]; then
			first=$(date +%s%N)
		fi
	done < <(HEADLESS=1 EXIT=1 SMP=$smp KVM=$kvm HTTP_PORT=0 APP_PORT=0 \
		scripts/run-qemu.sh "$kernel" </dev/null 2>&1)
	now=$(date +%s%N)
	echo "$(( (first - start) / 1000000 )) $(( (now - start) / 1000000 ))"
}

echo "| accel | CPUs | first app line (ms) | power-off (ms) |"
echo "|---|---|---|---|"
for kvm in $(boot_accels); do
	for smp in 1 2; do
		results=$(for _ in $(seq "$RUNS"); do one_run "$smp" "$kvm"; done)
		first=$(echo "$results" | awk '{print $1}' | median)
		off=$(echo "$results" | awk '{print $2}' | median)
		echo "| $([ "$kvm" = 1 ] && echo KVM || echo TCG) | $smp | $first | $off |"
	done
done
echo
size "$kernel" | tail -1 | awk '{printf "kernel image (hello, no TRACE): text %d B, data %d B, bss %d B\n", $1, $2, $3}'
echo "file size: $(stat -c %s "$kernel") B (with debug info)"
