#!/usr/bin/env bash
# Raw transport boot tests (docs/raw-transport.md), on one boot of apps/tracefill (2 CPUs,
# 1 MiB buffers filled with function_graph, then tracing off: the buffers stay the same
# bytes): raw_header's layout, trace_raw's framing, bad from= lists answered 400 while the
# server keeps serving, and a trace_pipe_raw?follow=1 reader killed at 10 random points
# that resumes with from= each time: its capture has every seq once and the snapshot's
# slots byte for byte. Then a live stream (hello, tracing on) killed 10 times.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh
kernel=$(build_kernel tracefill ftrace) || { not_ok "build tracefill TRACE=ftrace"; exit 1; }
client=test/boot/raw_client.py
dir=$O/raw-tests
rm -rf "$dir"; mkdir -p "$dir"
port=$(free_port)
url=http://127.0.0.1:$port/ftrace

trap 'kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null' EXIT
if ! start_tracefill "$kernel" "$dir/serial.log" "$port"; then
	not_ok "raw: tracefill did not get ready"; tail -20 "$dir/serial.log" | sed 's/^/#   /'; exit 1
fi

# raw_header: the version first, the keys, and as many symbol and thread lines as announced,
# then the profiler's lines (profile_hz, a profile_cpu line per CPU) and its stack table.
curl -s -f "$url/raw_header" >"$dir/header.txt"
why=$(awk 'NR == 1 && $0 != "glass-raw 1" { print "first line: " $0; exit }
	{ key[$1] = 1 }
	$1 == "cpus" { nc = $2 }
	$1 == "symbols" { ns = $2; sym = NR }
	$1 == "threads" { nt = $2; thr = NR }
	$1 == "profile_hz" { ph = NR }
	$1 == "stacks" { nk = $2; stk = NR }
	END {
		split("tsc_hz tsc_boot text_base cpus buffer_bytes block_bytes tracer trace_options cpu", k, " ")
		for (i in k) if (!(k[i] in key)) { print "no " k[i]; exit }
		if (thr != sym + ns + 1) { print "symbols " ns " but " thr - sym - 1 " lines"; exit }
		if (ph != thr + nt + 1) { print "threads " nt " but " ph - thr - 1 " lines"; exit }
		if (stk != ph + nc + 1) { print "profile_cpu lines: " stk - ph - 1 ", cpus " nc; exit }
		if (NR != stk + nk) { print "stacks " nk " but " NR - stk " lines"; exit }
	}' "$dir/header.txt")
if [ -z "$why" ] && grep -qx 'cpu 1 lost [0-9]* overrun [0-9]* seq 1 lost_at_clear [0-9]* overrun_at_clear [0-9]*' "$dir/header.txt" &&
	grep -q '^trace_options print-parent .*funcgraph-duration' "$dir/header.txt"; then
	ok "raw: raw_header has the version, keys, a line per CPU, symbols and threads as announced"
else
	not_ok "raw: raw_header: ${why:-cpu or trace_options line}"; head -12 "$dir/header.txt" | sed 's/^/#   /'
fi

ctype=$(curl -s -o "$dir/snap.bin" -w '%{http_code} %{content_type}' "$url/trace_raw")
if [ "$ctype" = "200 application/octet-stream" ] && [ -s "$dir/snap.bin" ]; then
	ok "raw: trace_raw is application/octet-stream ($(stat -c %s "$dir/snap.bin") bytes)"
else
	not_ok "raw: trace_raw answered '$ctype'"
fi

# Bad acknowledgements: 400 with a reason, nothing consumed, and the server goes on.
bad=0
for q in 'from=x' 'from=0:' 'from=0:1,0:1' 'from=7:1' 'from=0:99999' 'from=0:0' 'from=1' \
	'from=0:1,' "from=0:$(printf '9%.0s' {1..30})" 'follow=2'; do
	code=$(curl -s -o "$dir/bad.txt" -w '%{http_code}' "$url/trace_pipe_raw?$q")
	[ "$code" = 400 ] || { not_ok "raw: ?$q answered $code, want 400"; bad=1; }
done
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/trace?from=0:1")
[ "$code" = 400 ] || { not_ok "raw: from= on trace answered $code, want 400"; bad=1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/per_cpu/cpu1/trace_pipe_raw?from=1")
[ "$code" = 200 ] || { not_ok "raw: per_cpu/cpu1/trace_pipe_raw?from=1 answered $code"; bad=1; }
[ $bad = 0 ] && ok "raw: bad from= lists get 400 with a reason; the server keeps serving"

# The kill test: 10 abrupt deaths at random byte counts, each run resuming from its file.
kills=0
for ((k = 0; k < 10; k++)); do
	python3 "$client" fetch "$url/trace_pipe_raw" "$dir/capture.bin" --follow \
		--die-after $((RANDOM * 32768 % 150000 + RANDOM % 1000 + 1)) 2>"$dir/client.err"
	[ $? = 9 ] && kills=$((kills + 1))
done
if python3 "$client" fetch "$url/trace_pipe_raw" "$dir/capture.bin" --follow 2>"$dir/client.err" &&
	[ $kills = 10 ]; then
	ok "raw: trace_pipe_raw?follow=1 reader killed 10 times resumes with from= to the end"
else
	not_ok "raw: reader: $kills kills; $(head -2 "$dir/client.err")"
fi
python3 "$client" compare "$dir/snap.bin" "$dir/capture.bin" || FAILED=1
n=$(curl -s "$url/trace_pipe_raw" | wc -c)
if [ "$n" -le 64 ]; then
	ok "raw: after the acknowledged drain nothing is sent again"
else
	not_ok "raw: after the drain trace_pipe_raw still sends $n bytes"
fi
kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null

# A live stream: hello idles with function_graph on (its ticks write all the time) while a
# follow=1 reader is killed 10 times; then tracing stops and the reader drains the rest.
hello=$(build_kernel hello ftrace) || { not_ok "build hello TRACE=ftrace"; exit 1; }
start_graph_hello "$hello" "$dir/live.log" "$port" || not_ok "raw: live: tracing on"
kills=0
for ((k = 0; k < 10; k++)); do
	timeout 60 python3 "$client" fetch "$url/trace_pipe_raw" "$dir/live.bin" --follow \
		--die-after $((RANDOM * 8 + 1)) 2>"$dir/client.err"
	[ $? = 9 ] && kills=$((kills + 1))
done
curl -s -f -X PUT -d 0 "$url/tracing_on" >/dev/null
timeout 60 python3 "$client" fetch "$url/trace_pipe_raw" "$dir/live.bin" --follow \
	2>"$dir/client.err"
rc=$?
why=$(python3 - "$dir/live.bin" <<'PY'
import sys
sys.path.insert(0, "test/boot")
import raw_client
frames, _ = raw_client.frames(open(sys.argv[1], "rb").read())
last = {}
for cpu, seq, flags, _ in frames:
    if flags & raw_client.GAP or (cpu in last and seq != last[cpu] + 1):
        print("CPU %d seq %d after %s, flags %d" % (cpu, seq, last.get(cpu), flags))
        break
    last[cpu] = seq
else:
    if len(frames) < 20:
        print("only %d frames" % len(frames))
PY
)
lost=$(curl -s "$url/raw_header" | awk '$1 == "cpu" { n += $4 } END { print n + 0 }')
if [ $rc = 0 ] && [ $kills = 10 ] && [ -z "$why" ] && [ "$lost" = 0 ]; then
	ok "raw: a live follow stream killed 10 times: every seq once, no gap, 0 lost"
else
	not_ok "raw: live stream: rc $rc, $kills kills, lost $lost${why:+, $why}"
fi
# One consumer per CPU: while a text trace_pipe streams, trace_pipe_raw gets 409.
curl -s -o /dev/null --max-time 3 "$url/trace_pipe?follow=1" &
pipe=$!
sleep 1
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/trace_pipe_raw")
wait "$pipe"
[ "$code" = 409 ] && ok "raw: trace_pipe_raw while trace_pipe is read: 409" ||
	not_ok "raw: trace_pipe_raw while trace_pipe is read answered $code, want 409"
exit $FAILED
