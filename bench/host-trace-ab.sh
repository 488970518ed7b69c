#!/usr/bin/env bash
# A/B of the tracer's native cost: runs two host-trace-bench builds alternately, N times
# each, and prints per build and configuration the median over the runs of each run's
# median ns per call (1 thread and 2 threads). Alternating spreads the host's changes of
# speed over both builds.
#   bench/host-trace-ab.sh N A B
# e.g. bench/host-trace-ab.sh 5 build/host/host-trace-bench-hijack build/host/host-trace-bench
# (make O=build build/host/host-trace-bench build/host/host-trace-bench-hijack)
set -euo pipefail
n=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$n"); do
	for bin in "$@"; do
		# "no -pg   3.02 (  2.60) ns    5.50 (  4.85) ns ...": the name in 18 columns, then
		# 1-thread median (min), 2-thread median (min): name, 1-thread, 2-thread median
		"$bin" | awk -v b="$bin" 'NR > 2 { name = substr($0, 1, 18); sub(/ +$/, "", name);
			rest = substr($0, 19); gsub(/[()]/, " ", rest); split(rest, f, " ");
			print b "\t" name "\t" f[1] "\t" f[4] }' >>"$out"
	done
done
for bin in "$@"; do
	echo "$bin ($n runs, median of the runs' medians, ns per call):"
	for conf in "no -pg" "-pg, NOP-patched" "function" "function_graph" \
		"graph, tracing off" "no -pg, + rdtsc"; do
		for col in 3 4; do
			awk -F'\t' -v b="$bin" -v c="$conf" -v k="$col" '$1 == b && $2 == c { print $k }' \
				"$out" | sort -n | awk '{ a[NR] = $1 } END { printf "%s ", a[int((NR + 1) / 2)] }'
		done | awk -v c="$conf" '{ printf "  %-18s 1 thread %7s  2 threads %7s\n", c, $1, $2 }'
	done
done
