#!/usr/bin/env bash
# glass record + glass report against a real guest (docs/glass.1): one boot of
# apps/tracefill (2 CPUs, 1 MiB buffers filled with function_graph, then tracing off, so the
# buffers stay the same bytes). For several trace_options, /ftrace/trace and raw_header are
# fetched; then `glass record` drains the buffers once, and `glass report` of the capture,
# with each option set's raw_header, must be /ftrace/trace byte for byte. Then a live stream
# of apps/hello: record killed and resumed, and two recorders at once with --cpu 0 and
# --cpu 1. Skipped when the guest has no raw transport (/ftrace/raw_header).
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh
GLASS=$O/host-san/bin/glass
kernel=${GLASS_TEST_KERNEL:-$(build_kernel tracefill ftrace)} ||
	{ not_ok "glass: build tracefill TRACE=ftrace"; exit 1; }
dir=$O/glass-tests
rm -rf "$dir"; mkdir -p "$dir"
port=$(free_port)
url=http://127.0.0.1:$port/ftrace

trap 'kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null' EXIT
if ! start_tracefill "$kernel" "$dir/serial.log" "$port"; then
	not_ok "glass: tracefill did not get ready"; tail -20 "$dir/serial.log" | sed 's/^/#   /'; exit 1
fi
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/raw_header")" != 200 ]; then
	ok "glass: record and report against a guest # SKIP the guest serves no /ftrace/raw_header"
	exit 0
fi

# The option sets: the default, then proc + abstime + tail, then no irq marks and no
# overhead marks. Each: the guest's text and the raw header with those options.
sets=("" "funcgraph-proc funcgraph-abstime funcgraph-tail" "nofuncgraph-irqs nofuncgraph-overhead nofuncgraph-proc nofuncgraph-abstime nofuncgraph-tail")
for i in "${!sets[@]}"; do
	for o in ${sets[$i]}; do
		curl -s -f -X PUT --data "$o" "$url/trace_options" >/dev/null ||
			not_ok "glass: set option $o"
	done
	curl -s -f "$url/trace" >"$dir/trace-$i.txt"
	curl -s -f "$url/raw_header" >"$dir/header-$i.txt"
done

"$GLASS" record -q -o "$dir/run.cap" --port "$port" --duration 8 2>"$dir/record.err"
status=$?
[ $status = 0 ] && ok "glass: record drains the guest (status 0)" ||
	{ not_ok "glass: record: status $status"; sed 's/^/#   /' "$dir/record.err"; }

# capture_with_header N: the capture with option set N's raw header in place of its own
capture_with_header() {
	python3 - "$dir/run.cap" "$dir/header-$1.txt" "$dir/run-$1.cap" <<'PY'
import struct, sys
cap, hdr = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
n = struct.unpack_from('<I', cap, 12)[0]
open(sys.argv[3], 'wb').write(cap[:12] + struct.pack('<I', len(hdr)) + hdr + cap[16 + n:])
PY
}
for i in "${!sets[@]}"; do
	name="glass: report = /ftrace/trace byte for byte, options '${sets[$i]:-default}'"
	if ! grep -q '^untraced ' "$dir/header-$i.txt"; then
		# A guest whose raw_header has no `untraced` line: its text's note about untraced
		# calls cannot be in the report; everything else must be.
		name="$name, but the untraced-calls note (not in this guest's raw_header)"
		sed -i '3{/^# untraced calls: /{N;d}}' "$dir/trace-$i.txt"
	fi
	capture_with_header "$i"
	"$GLASS" report "$dir/run-$i.cap" >"$dir/report-$i.txt" 2>"$dir/report.err"
	# Tracing is off: trace_pipe_raw holds back no last entry, so the report is the
	# guest's text exactly, LOST lines and all.
	if cmp -s "$dir/trace-$i.txt" "$dir/report-$i.txt"; then
		ok "$name ($(wc -l <"$dir/trace-$i.txt") lines)"
	else
		not_ok "$name"
		diff "$dir/trace-$i.txt" "$dir/report-$i.txt" | head -20 | sed 's/^/#   /'
		sed 's/^/#   /' "$dir/report.err"
	fi
done
# parse-trace on the capture gives the rows it gives on the guest's text
"$O/host-san/bin/parse-trace" -q "$dir/trace-0.txt" >"$dir/trace.csv"
"$O/host-san/bin/parse-trace" -q "$dir/run-0.cap" >"$dir/cap.csv"
cmp -s "$dir/trace.csv" "$dir/cap.csv" &&
	ok "glass: parse-trace of the capture = of /ftrace/trace ($(wc -l <"$dir/cap.csv") rows)" ||
	not_ok "glass: parse-trace of the capture differs from /ftrace/trace's"
kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null

# A live stream: hello idles with function_graph on (its ticks write all the time) while
# `glass record --append` is killed (SIGKILL) 5 times; then tracing stops and one more run
# drains the rest. The capture must have every frame once (the reader checks the order),
# no gap, and the guest must have lost nothing.
hello=${GLASS_TEST_HELLO:-$(build_kernel hello ftrace)} || { not_ok "glass: build hello"; exit 1; }
start_graph_hello "$hello" "$dir/live.log" "$port" || not_ok "glass: live: tracing on"
for ((k = 0; k < 5; k++)); do
	"$GLASS" record -q --append -o "$dir/live.cap" --port "$port" 2>>"$dir/live.err" &
	rec=$!
	sleep "$((RANDOM % 3 + 1)).$((RANDOM % 10))"
	kill -KILL $rec; wait $rec 2>/dev/null
done
curl -s -f -X PUT -d 0 "$url/tracing_on" >/dev/null
"$GLASS" record --append -o "$dir/live.cap" --port "$port" --duration 4 >"$dir/live.out" \
	2>>"$dir/live.err"
rc=$?
"$GLASS" report "$dir/live.cap" >"$dir/live.txt" 2>>"$dir/live.err"
rrc=$?
gaps=$(grep -c 'LOST EVENTS' "$dir/live.txt")
lost=$(awk '/^cpu [0-9]+:/ { n += $(NF - 2) + $NF } END { print n + 0 }' "$dir/live.out")
if [ $rc = 0 ] && [ $rrc = 0 ] && [ "$gaps" = 0 ] && [ "$lost" = 0 ]; then
	ok "glass: live stream, record killed 5 times and resumed: no gap, 0 lost ($(wc -l <"$dir/live.txt") lines)"
else
	not_ok "glass: live stream: record $rc, report $rrc, $gaps gaps, $lost lost"
	sed 's/^/#   /' "$dir/live.err" | tail -5
fi

# --cpu against the live guest: one recorder per CPU at the same time (each claims and
# acknowledges only its CPU's per_cpu/cpuN/trace_pipe_raw, so neither gets 409), tracing on
# for 3 s, then off: each capture holds its CPU alone, with no gap, and nothing was lost.
"$GLASS" record --cpu 0 --until-off -o "$dir/c0.cap" --port "$port" >"$dir/c0.out" 2>&1 &
r0=$!
"$GLASS" record --cpu 1 --until-off -o "$dir/c1.cap" --port "$port" >"$dir/c1.out" 2>&1 &
r1=$!
curl -s -f -X PUT -d 1 "$url/tracing_on" >/dev/null
sleep 3
curl -s -f -X PUT -d 0 "$url/tracing_on" >/dev/null
wait $r0; s0=$?
wait $r1; s1=$?
if [ $s0 = 0 ] && [ $s1 = 0 ] &&
	grep -Eq '^cpu 0: [1-9][0-9]* frames, [1-9][0-9]* events, lost 0, overrun 0$' "$dir/c0.out" &&
	grep -Eq '^cpu 1: 0 frames' "$dir/c0.out" &&
	grep -Eq '^cpu 1: [1-9][0-9]* frames, [1-9][0-9]* events, lost 0, overrun 0$' "$dir/c1.out" &&
	grep -Eq '^cpu 0: 0 frames' "$dir/c1.out" &&
	! "$GLASS" report "$dir/c0.cap" | grep -q 'LOST EVENTS' &&
	! "$GLASS" report "$dir/c1.cap" | grep -q 'LOST EVENTS'; then
	ok "glass: record --cpu 0 and --cpu 1 at once against the guest: each its CPU alone, no gap, 0 lost"
else
	not_ok "glass: record --cpu 0 and --cpu 1 at once: status $s0 $s1"
	cat "$dir/c0.out" "$dir/c1.out" | sed 's/^/#   /'
fi
exit $FAILED
