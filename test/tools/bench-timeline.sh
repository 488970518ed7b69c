#!/usr/bin/env bash
# Export speed and size of parse-trace's timeline formats (issue 14) on a full 64 MB capture
# file: gen-capture fills one CPU's 64 MB ring (8,388,608 slots, as glass's buffer) with
# abstime and proc on, as `make capture` records. Per format: median wall time and CPU
# seconds of RUNS runs, calls/s (wall), peak RSS, output bytes and bytes per call.
set -eu
O=${O:-build}
RUNS=${RUNS:-3}
D=$O/bench
mkdir -p "$D"
PT=$O/bin/parse-trace
cap=$D/timeline-64M.cap
[ -s "$cap" ] || "$O/host/gen-capture" --cpus 1 --calls 1100000 --buffer-kb 65536 --opts 0x3fe \
	--seed 7 "$cap" /dev/null
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
calls=$("$PT" -o /dev/null "$cap" 2>&1 | sed -nE 's/.* ([0-9]+) calls.*/\1/p')
echo "== $cap: $(stat -c %s "$cap") bytes, $calls calls"
printf '%-40s %8s %8s %12s %8s %12s %8s\n' format wall_s cpu_s calls/s rss_MB bytes B/call
for f in "perfetto" "perfetto --uncompressed" "perfetto --cpu-util-hz 0" \
	 "perfetto --uncompressed --cpu-util-hz 0" tracedat chrome csv lifecycle mermaid; do
	out=$D/timeline.out
	for _ in $(seq "$RUNS"); do
		rm -f "$out"
		# shellcheck disable=SC2086
		/usr/bin/time -f '%e %M %U %S' -o "$D/time" "$PT" -q -f $f -o "$out" "$cap"
		cat "$D/time"
	done >"$D/times"
	wall=$(awk '{ print $1 }' "$D/times" | median)
	printf '%-40s %8s %8s %12.0f %8.1f %12s %8.2f\n' "$f" "$wall" \
		"$(awk '{ print $3 + $4 }' "$D/times" | median)" "$(echo "$calls / $wall" | bc -l)" \
		"$(echo "$(awk '{ print $2 }' "$D/times" | median) / 1024" | bc -l)" \
		"$(stat -c %s "$out")" "$(echo "$(stat -c %s "$out") / $calls" | bc -l)"
done
