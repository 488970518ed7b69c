#!/usr/bin/env bash
# A/B timing of two builds of the tools on the bench inputs of bench.sh ($O/bench, made by
# a bench.sh run): for each case RUNS alternating runs (old, new, old, new, ...), so both
# builds see the same machine load; prints the medians of wall and CPU (user + sys) time.
#   OLD=/path/to/old/bin NEW=build/bin RUNS=7 test/tools/bench-ab.sh
# On a shared machine this is the fair way to compare: load changes between runs of
# bench.sh far more than the builds differ.
set -eu
O=${O:-build}
RUNS=${RUNS:-7}
OLD=${OLD:?OLD=directory with the old parse-trace and runtime-breakdown}
NEW=${NEW:-$O/bin}
D=$O/bench
MB=${BENCH_MB:-600}
ROWS=${BENCH_ROWS:-10000000}
trace=$D/trace-$MB.txt
csv=$D/rows-$ROWS.csv
for f in "$trace" "$trace.zst" "$csv"; do
	[ -s "$f" ] || { echo "$f missing: run test/tools/bench.sh first" >&2; exit 1; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glass-ab.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ab NAME TOOL ARGS...: TOOL is parse-trace or runtime-breakdown
ab() {
	local name=$1 tool=$2 side dir
	shift 2
	: >"$TMP/old"
	: >"$TMP/new"
	for _ in $(seq "$RUNS"); do
		for side in old new; do
			dir=$OLD
			[ "$side" = new ] && dir=$NEW
			/usr/bin/time -f '%e %U %S' -o "$TMP/t" "$dir/$tool" "$@" >/dev/null 2>&1
			awk '{ print $1, $2 + $3 }' "$TMP/t" >>"$TMP/$side"
		done
	done
	printf '%-34s old: wall %.2f s, cpu %.2f s | new: wall %.2f s, cpu %.2f s\n' "$name" \
		"$(cut -d' ' -f1 "$TMP/old" | median)" "$(cut -d' ' -f2 "$TMP/old" | median)" \
		"$(cut -d' ' -f1 "$TMP/new" | median)" "$(cut -d' ' -f2 "$TMP/new" | median)"
}

echo "start: $(date -u); load average $(cut -d' ' -f1-3 /proc/loadavg)"
ab "parse-trace plain, CSV" parse-trace -q -o /dev/null "$trace"
ab "parse-trace zstd, CSV" parse-trace -q -o /dev/null "$trace.zst"
ab "parse-trace parsing only" parse-trace -q --tid -2 -o /dev/null "$trace"
ab "runtime-breakdown (table + charts)" runtime-breakdown -q -o "$TMP/rb" "$csv"
ab "runtime-breakdown --no-plot" runtime-breakdown -q --no-plot "$csv"
echo "end: $(date -u); load average $(cut -d' ' -f1-3 /proc/loadavg)"
