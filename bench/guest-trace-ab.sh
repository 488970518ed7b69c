#!/usr/bin/env bash
# A/B of the tracer's cost in the guest: boots two ftrace-bench kernels alternately, N times
# each, and prints per kernel the fastest boot and the median of the `function` and
# `function_graph` ns per call and of function_graph's ratio to the uninstrumented call.
# Alternating spreads the host's changes of speed over both kernels.
#   bench/guest-trace-ab.sh N A.elf B.elf
# (Build each with `make TRACE=ftrace TARGET=ftrace-bench kernel` and copy
# build/ftrace-bench-ftrace/glass.elf away.)
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$n"); do
	for elf in "$@"; do
		{ HEADLESS=1 EXIT=1 HTTP_PORT=0 APP_PORT=0 timeout 120 scripts/run-qemu.sh "$elf" \
			</dev/null 2>&1 || true; } | tr -d '\r' | awk -v k="$elf" '
			/^ftrace-bench: uninstrumented/ { u = $3 }
			/^ftrace-bench: function /      { f = $3 }
			/^ftrace-bench: function_graph  / { g = $3; r = $5; sub("x", "", r) }
			END { print k, u, f, g, r }' >>"$out"
	done
done
for elf in "$@"; do
	for col in 3 4 5; do
		name=$(case $col in 3) echo "function ns" ;; 4) echo "function_graph ns" ;;
			5) echo "function_graph ratio" ;; esac)
		awk -v k="$elf" -v c="$col" '$1 == k { print $c }' "$out" | sort -n |
			awk -v k="$elf" -v name="$name" '{ a[NR] = $1 }
				END { printf "%s: %s: min %s, median %s (%d boots)\n", k, name,
					a[1], a[int((NR + 1) / 2)], NR }'
	done
done
