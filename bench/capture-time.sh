#!/usr/bin/env bash
# Wall time of `make TRACE=ftrace TARGET=<app> capture` for compute and webg, split into
# boot, run, fetch, power-off and analysis (from each capture's summary), median of 3.
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
O=${O:-build}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| app | boot ms | run ms | fetch ms | power-off ms | analyse ms | total ms | trace size |"
echo "|---|---|---|---|---|---|---|---|"
for app in ${APPS:-compute webg}; do
	make -s --no-print-directory O="$O" TRACE=ftrace TARGET="$app" kernel tools >/dev/null
	rows=""
	for run in 1 2 3; do
		out=$O/bench-capture/$app-$run
		rm -rf "$out"
		make -s --no-print-directory O="$O" TRACE=ftrace TARGET="$app" OUT="$out" \
			HTTP_PORT="$(free_port)" APP_PORT="$(free_port)" capture >/dev/null 2>&1
		t=$(grep '^Time:' "$out/summary.txt")
		rows+=$(echo "$t" | grep -oE '[0-9]+ ms' | grep -oE '[0-9]+' | tr '\n' ' ')$'\n'
		for raw in "$out/trace.txt" "$out/trace.zst"; do
			[ -f "$raw" ] && size=$(du -h "$raw" | cut -f1)
		done
	done
	line="| $app"
	for col in 1 2 3 4 5 6; do
		line+=" | $(echo "$rows" | grep . | awk -v c=$col '{print $c}' | median)"
	done
	echo "$line | $size |"
done
