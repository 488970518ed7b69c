#!/usr/bin/env bash
# glass report's speed (part of `make bench`): a capture of a natively filled ring (400000
# random call trees on 2 CPUs, function_graph; 3 million function tracer hits), formatted
# into Linux text; MB of text per CPU second (user + system: the machine may be shared),
# best of 5; and capture bytes per traced call, raw and zstd -3. GLASS_FAST=PATH measures
# another build of glass on the same captures (a before/after in the same minute).
source "$(dirname "$0")/lib.sh"
GLASS_FAST=${GLASS_FAST:-$O/bin/glass}
GENCAP_FAST=$O/host/gen-capture

# cpu_seconds CMD...: user + system seconds of CMD, output discarded; to the microsecond
# (GNU time prints hundredths: a tenth of a run that takes 0.15 s)
cpu_seconds() {
	python3 - "$@" <<-'PY'
	import resource, subprocess, sys
	def cpu(): # children's user + system; python's start-up may have had children already
	    r = resource.getrusage(resource.RUSAGE_CHILDREN)
	    return r.ru_utime + r.ru_stime
	t = cpu()
	subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
	print(f"{cpu() - t:.6f}")
	PY
}

speed() {
	local name=$1 cap=$2 txt=$3 best=999
	for _ in 1 2 3 4 5; do
		t=$(cpu_seconds "$GLASS_FAST" report "$cap")
		best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b) ? a : b }')
	done
	awk -v n="$name" -v s="$best" -v b="$(wc -c <"$txt")" \
		'BEGIN { printf "%-30s %8.1f MB text/CPU s  (%.0f MB in %.3f s)\n", n, b / 1e6 / s, b / 1e6, s }'
}

# --align --trailer: the frames' alignment and the trailer of glass record's captures
"$GENCAP_FAST" --calls 400000 --buffer-kb 262144 --align "$TMP/g.cap" "$TMP/g.txt"
# 64 MB-per-CPU buffers, 43 MB of slots each (the generator's clocks stay exact up to about
# 750,000 calls); and 32 MB buffers overfilled: drops, so the header's counts need a pass
"$GENCAP_FAST" --calls 600000 --buffer-kb 65536 --align "$TMP/g64.cap" "$TMP/g64.txt"
"$GENCAP_FAST" --calls 500000 --buffer-kb 32768 --trailer --align "$TMP/gfull.cap" "$TMP/gfull.txt"
# the same as an older glass record wrote it (no event counts in the trailer, frames not
# aligned): the header's count takes a first pass over the frames, and slots are copied
"$GENCAP_FAST" --calls 500000 --buffer-kb 32768 "$TMP/gfull-old.cap" "$TMP/gfull-old.txt"
"$GENCAP_FAST" --function --calls 3000000 --buffer-kb 262144 --trailer --align "$TMP/f.cap" "$TMP/f.txt"
zstd -q -3 -f "$TMP/g.cap" -o "$TMP/g.cap.zst"
for c in g g64 gfull gfull-old; do
	cmp -s <("$GLASS_FAST" report "$TMP/$c.cap") "$TMP/$c.txt" || not_ok "bench-glass" "report of $c differs"
done
speed "function_graph" "$TMP/g.cap" "$TMP/g.txt"
speed "function_graph, 64 MB buffers" "$TMP/g64.cap" "$TMP/g64.txt"
speed "function_graph, full, drops" "$TMP/gfull.cap" "$TMP/gfull.txt"
speed "full, drops, older capture" "$TMP/gfull-old.cap" "$TMP/gfull-old.txt"
speed "function_graph, zstd capture" "$TMP/g.cap.zst" "$TMP/g.txt"
speed "function" "$TMP/f.cap" "$TMP/f.txt"
calls=$(grep -cE '\(\);$|\|[[:space:]]+\}' "$TMP/g.txt")
awk -v c="$calls" -v r="$(wc -c <"$TMP/g.cap")" -v z="$(wc -c <"$TMP/g.cap.zst")" \
	'BEGIN { printf "capture bytes per call: %.2f raw, %.2f zstd -3 (%d calls)\n", r / c, z / c, c }'
finish
