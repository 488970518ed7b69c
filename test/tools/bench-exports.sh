#!/usr/bin/env bash
# Export speed of parse-trace's pprof and sqlite formats (issue 15, text path), against the
# CSV of the same trace, on two generated function_graph traces of BENCH_EXPORT_MB MB with
# the proc and abstime columns: gen-trace's default (about as many distinct call paths as
# calls, the worst case for path aggregation) and one with 10 functions and depth <= 4
# (at most 11110 paths, like a real workload). Medians of RUNS runs; calls/s, output size, peak RSS,
# CPU seconds (user + sys: what the tool needs when a shared machine inflates wall time).
set -eu
O=${O:-build}
RUNS=${RUNS:-3}
MB=${BENCH_EXPORT_MB:-200}
D=$O/bench
mkdir -p "$D"
PT=$O/bin/parse-trace
GEN=$O/host/gen-trace

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# one FORMAT TRACE: prints the median wall s, RSS KB and CPU s of RUNS exports
one() {
	local fmt=$1 trace=$2 out=$D/export.$1
	for _ in $(seq "$RUNS"); do
		rm -f "$out"
		/usr/bin/time -f '%e %M %U %S' -o "$D/time" "$PT" -q -f "$fmt" -o "$out" "$trace"
		cat "$D/time"
	done >"$D/times"
	echo "$(awk '{ print $1 }' "$D/times" | median) $(awk '{ print $2 }' "$D/times" | median)" \
		"$(awk '{ print $3 + $4 }' "$D/times" | median) $(stat -c %s "$out")"
}

for shape in paths few; do
	trace=$D/export-$shape-$MB.txt
	if [ ! -s "$trace" ]; then
		if [ $shape = paths ]; then
			"$GEN" --bytes $((MB * 1000000)) --cpus 2 --threads 8 --proc --abstime --seed 21
		else
			"$GEN" --bytes $((MB * 1000000)) --cpus 2 --threads 8 --proc --abstime --seed 21 \
				--functions 10 --max-depth 4
		fi >"$trace" 2>/dev/null
	fi
	calls=$("$PT" "$trace" 2>&1 >/dev/null | sed -E 's/.* ([0-9]+) calls.*/\1/')
	echo "== $shape: $trace, $calls calls"
	printf '%-8s %10s %12s %10s %10s %12s\n' format wall_s calls/s cpu_s rss_MB out_MB
	for fmt in csv folded pprof sqlite; do
		read -r wall rss cpu size < <(one $fmt "$trace")
		printf '%-8s %10s %12.0f %10s %10.0f %12.1f\n' $fmt "$wall" \
			"$(echo "$calls / $wall" | bc -l)" "$cpu" "$((rss / 1024))" \
			"$(echo "$size / 1000000" | bc -l)"
	done
done
