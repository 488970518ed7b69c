#!/usr/bin/env bash
# Benchmarks of the host tools (optimised builds in $O/bin), medians of RUNS runs:
#  - parse-trace MB/s and lines/s on a generated trace of BENCH_MB (>= 500) MB, plain and
#    zstd, CSV written to /dev/null; the parser alone (no rows written); its peak RSS on
#    1/10 and all of the trace;
#  - runtime-breakdown time on a CSV of BENCH_ROWS (10 million) rows: as run by default
#    (table and the two png charts, gnuplot's time included) and the table alone.
# Targets (issue 5): >= 500 MB/s on one core, < 2 s for 10 million rows, flat memory.
# The generated files stay in $O/bench/ for reruns; delete them to regenerate.
set -eu
O=${O:-build}
RUNS=${RUNS:-5}
MB=${BENCH_MB:-600}
ROWS=${BENCH_ROWS:-10000000}
D=$O/bench
mkdir -p "$D"
PT=$O/bin/parse-trace
RB=$O/bin/runtime-breakdown
GEN=$O/host/gen-trace

trace=$D/trace-$MB.txt
if [ ! -s "$trace" ]; then
	"$GEN" --bytes $((MB * 1000000)) --cpus 4 --threads 16 --seed 11 >"$trace" 2>/dev/null
fi
[ -s "$trace.zst" ] || zstd -q -T0 -f "$trace" -o "$trace.zst"
head -c $((MB * 100000)) "$trace" >"$D/tenth.txt"
csv=$D/rows-$ROWS.csv
if [ ! -s "$csv" ]; then
	"$GEN" --calls "$ROWS" --cpus 4 --threads 16 --proc --abstime --seed 12 2>/dev/null |
		"$PT" -q -o "$csv"
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# time_runs CMD...: prints "median_wall_s median_peak_rss_kb median_cpu_s" (cpu = user +
# sys: on a shared machine it shows what the tool itself needs when wall time is inflated)
time_runs() {
	local t r c
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %M %U %S' -o "$D/time" "$@" >/dev/null 2>&1
		cat "$D/time"
	done >"$D/times"
	t=$(cut -d' ' -f1 "$D/times" | median)
	r=$(cut -d' ' -f2 "$D/times" | median)
	c=$(awk '{ print $3 + $4 }' "$D/times" | median)
	echo "$t $r $c"
}

bytes=$(stat -c %s "$trace")
lines=$(wc -l <"$trace")
rows=$(($(wc -l <"$csv") - 1))
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "trace: $trace, $((bytes / 1000000)) MB, $lines lines; zstd: $(($(stat -c %s "$trace.zst") / 1000000)) MB"
for input in "$trace" "$trace.zst"; do
	read -r t rss c < <(time_runs "$PT" -q -o /dev/null "$input")
	awk -v b="$bytes" -v l="$lines" -v t="$t" -v r="$rss" -v c="$c" -v n="$(basename "$input")" 'BEGIN {
		printf "parse-trace %s: median %.2f s (cpu %.2f s), %.0f MB/s, %.1f M lines/s, peak RSS %.1f MB (target >= 500 MB/s: %s)\n",
			n, t, c, b / t / 1e6, l / t / 1e6, r / 1024, (b / t / 1e6 >= 500 ? "met" : "NOT met") }'
done
# the parser alone: a thread filter that matches nothing, so no CSV is formatted
read -r t rss c < <(time_runs "$PT" -q --tid -2 -o /dev/null "$trace")
awk -v b="$bytes" -v l="$lines" -v t="$t" -v c="$c" 'BEGIN {
	printf "parse-trace, parsing only (--tid -2, no rows written): median %.2f s (cpu %.2f s), %.0f MB/s, %.1f M lines/s\n",
		t, c, b / t / 1e6, l / t / 1e6 }'
read -r t rss c < <(time_runs "$PT" -q -o /dev/null "$D/tenth.txt")
read -r t2 rss2 c2 < <(time_runs "$PT" -q -o /dev/null "$trace")
echo "parse-trace peak RSS: $((rss / 1024)) MB on $((MB / 10)) MB of trace, $((rss2 / 1024)) MB on $MB MB"
# cpu includes gnuplot's (time(1) counts the children waited for)
for mode in default --no-plot; do
	if [ "$mode" = default ]; then
		read -r t rss c < <(time_runs "$RB" -q -o "$D/rb" "$csv")
		what="table + png charts"
	else
		read -r t rss c < <(time_runs "$RB" -q --no-plot "$csv")
		what="table only, --no-plot"
	fi
	awk -v t="$t" -v r="$rss" -v c="$c" -v n="$rows" -v w="$what" 'BEGIN {
		printf "runtime-breakdown (%s): %d rows, median %.2f s (cpu %.2f s), peak RSS %.1f MB (target < 2 s: %s)\n",
			w, n, t, c, r / 1024, (t < 2 ? "met" : "NOT met") }'
done
