#!/usr/bin/env bash
# A/B of the tracer's cost in the guest: boots two (or more) ftrace-bench kernels
# alternately, N times each, and prints per kernel and per line of ftrace-bench (the
# uninstrumented call, nop-patched, function, function_graph, graph-off, plain+rdtsc) the
# minimum and median of the ns per call and the median of the ratio to the uninstrumented
# call. Alternating spreads the host's changes of speed over both kernels.
#   bench/guest-trace-ab.sh N A.elf B.elf
# (Build each with `make TRACE=ftrace TARGET=ftrace-bench [FGRAPH=hijack] kernel` and copy
# build/ftrace-bench-ftrace[-hijack]/glass.elf away.)
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$n"); do
	for elf in "$@"; do
		# "ftrace-bench: function_graph   117.3 ns/call   25.10x" -> kernel name ns ratio
		{ HEADLESS=1 EXIT=1 HTTP_PORT=0 APP_PORT=0 timeout 120 scripts/run-qemu.sh "$elf" \
			</dev/null 2>&1 || true; } | tr -d '\r' |
			awk -v k="$elf" '$1 == "ftrace-bench:" && $4 == "ns/call" {
				r = $5; sub("x", "", r); print k, $2, $3, r }' >>"$out"
	done
done
for elf in "$@"; do
	echo "$elf:"
	for name in uninstrumented nop-patched function function_graph graph-off plain+rdtsc; do
		ns=$(awk -v k="$elf" -v m="$name" '$1 == k && $2 == m { print $3 }' "$out" | sort -n)
		ratio=$(awk -v k="$elf" -v m="$name" '$1 == k && $2 == m { print $4 }' "$out" | sort -n)
		[ -n "$ns" ] || continue
		printf '  %-16s ns min %6s median %6s  ratio median %6s (%d boots)\n' "$name" \
			"$(head -1 <<<"$ns")" "$(awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }' <<<"$ns")" \
			"$(awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }' <<<"$ratio")" "$(wc -l <<<"$ns")"
	done
done
