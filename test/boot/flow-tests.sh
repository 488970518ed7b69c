#!/usr/bin/env bash
# Flow control boot tests (trace/flow.h, trace_options flow-control): apps/compute in a loop
# on 2 CPUs (compute_loop=1: its threads never block) with BUF_KB per CPU (default 8 MiB:
# threads are parked only at interrupts, which TCG delivers late; 1 MiB lost 0.5 %, 4 MiB
# none, docs/benchmarks.md) and function_graph on every function, streamed by `glass record` (which
# turns flow control on): 0 lost on every CPU, every seq once in the capture, and the
# option back off afterwards. Then a reader made slow (stopped 90 % of the time, never
# long enough to count as gone) makes the writers wait instead of dropping; killing it
# releases them (the kernel keeps serving, and the
# workload writes again: its CPUs drop, with nobody reading); a slow reader again holds
# them until flow control is switched off, which releases them at once.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh
kernel=$(build_kernel compute ftrace) || { not_ok "build compute TRACE=ftrace"; exit 1; }
make -s --no-print-directory O="$O" "$O/bin/glass" >&2 || { not_ok "build glass"; exit 1; }
GLASS=$O/bin/glass
STREAM_S=${STREAM_S:-15}
dir=$O/flow-tests
rm -rf "$dir"; mkdir -p "$dir"
port=$(free_port)
url=http://127.0.0.1:$port/ftrace
REC= SLOW=
# QEMU by TERM: `timeout` passes that on to run-qemu.sh, which stops QEMU (a KILL would leave
# QEMU running the never-ending workload after the test)
trap 'kill $SLOW 2>/dev/null; kill -9 $REC 2>/dev/null; kill "$QEMU_PID" 2>/dev/null; wait 2>/dev/null' EXIT

HEADLESS=1 SMP=2 HTTP_PORT=$port APP_PORT=0 \
	APPEND="compute_loop=1" \
	timeout 1200 scripts/run-qemu.sh "$kernel" </dev/null >"$dir/serial.log" 2>&1 &
QEMU_PID=$!
for ((i = 0; i < 240; i++)); do
	[ -n "$(curl -s -m 2 "$url/tracing_on" 2>/dev/null)" ] && break
	sleep 0.5
done
# Tracing is on from boot: off while the tracer is set, so that nothing is written
# before the reader is there; new buffers, so that the lost counts (since the buffers
# were allocated) leave out what the boot dropped.
curl -s -f -X PUT -d 0 "$url/tracing_on" >/dev/null &&
	curl -s -f -X PUT -d "${BUF_KB:-8192}" "$url/buffer_size_kb" >/dev/null &&
	curl -s -f -X PUT -d function_graph "$url/current_tracer" >/dev/null ||
	{ not_ok "flow: the guest did not get ready"; tail -20 "$dir/serial.log"; exit 1; }

# dropped CPU: that CPU's dropped events since the last clear (per_cpu/cpuN/stats)
dropped() {
	curl -s -m 20 "$url/per_cpu/cpu$1/stats" | awk '$1 == "dropped" && $2 == "events:" { print $3 }'
}

# attached FILE: waits until the glass record writing FILE has its first request open
# (it creates FILE just before), so that tracing starts with the reader there.
attached() {
	for ((i = 0; i < 120; i++)); do [ -s "$1" ] && break; sleep 0.5; done
	sleep 2
}

# 1. A whole stream with flow control: nothing lost, every seq once.
"$GLASS" record -o "$dir/stream.cap" --port "$port" --until-off >"$dir/stream.out" \
	2>"$dir/stream.err" &
REC=$!
attached "$dir/stream.cap"
curl -s -f -X PUT -d 1 "$url/tracing_on" >/dev/null
sleep "$STREAM_S"
during=$(curl -s -m 20 "$url/trace_options" | grep -x 'flow-control')
curl -s -f -m 60 -X PUT -d 0 "$url/tracing_on" >/dev/null
for ((i = 0; i < 300; i++)); do kill -0 "$REC" 2>/dev/null || break; sleep 1; done
wait "$REC"; rc=$?; REC=
why=$(python3 - "$dir/stream.cap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"GLASSCAP", "not a plain capture"
off = 16 + struct.unpack_from("<I", d, 12)[0]
last = {}
while off < len(d):
    magic, = struct.unpack_from("<I", d, off)
    if magic == 0x444e4547:  # the trailer
        break
    _, _, cpu, seq, n, flags = struct.unpack_from("<IHHQII", d, off)
    if flags & 1 or seq != last.get(cpu, 0) + 1:
        print("CPU %d seq %d after %s, flags %d" % (cpu, seq, last.get(cpu), flags))
        sys.exit()
    last[cpu] = seq
    off += 24 + n
if sorted(last) != [0, 1] or min(last.values()) < 50:
    print("frames per CPU: %s" % last)
PY
)
events=$(awk '/^cpu [0-9]+: / && $8 == "0," && $10 == "0" && $5 > 100000 { n++ } END { print n + 0 }' \
	"$dir/stream.out")
if [ $rc = 0 ] && [ -z "$why" ] && [ "$events" = 2 ] && [ -n "$during" ]; then
	ok "flow: a never-blocking workload streamed for ${STREAM_S} s: 0 lost, every seq once ($(grep -c . <<<"$(grep '^cpu' "$dir/stream.out")") CPUs)"
else
	not_ok "flow: stream: rc $rc${why:+, $why}, option during: '${during}'"
	sed 's/^/#   /' "$dir/stream.out" "$dir/stream.err"
fi
grep '^cpu' "$dir/stream.out" | sed 's/^/#   /'
if curl -s -m 20 "$url/trace_options" | grep -qx 'noflow-control'; then
	ok "flow: glass record turns flow control back off when it ends"
else
	not_ok "flow: flow-control still on after glass record"
fi

# 2. A slow reader: the writers wait (nothing dropped); killed, it releases them: they
# write again into the full buffers, which drop (nobody reads).
slow_reader() {
	"$GLASS" record -q -o "$dir/$1.cap" --port "$port" >/dev/null 2>"$dir/$1.err" &
	REC=$!
	attached "$dir/$1.cap"
	( while kill -STOP "$REC" 2>/dev/null; do sleep 0.45; kill -CONT "$REC"; sleep 0.05; done ) &
	SLOW=$!
}
kill_reader() {
	kill "$SLOW"; wait "$SLOW" 2>/dev/null
	kill -9 "$REC"; wait "$REC" 2>/dev/null; REC=
}
slow_reader slow1
curl -s -f -X PUT -d 1 "$url/tracing_on" >/dev/null
sleep 8   # the host's socket buffers fill, then the guest's rings to their high mark
d0=$(dropped 0) d1=$(dropped 1)
sleep 5
e0=$(dropped 0) e1=$(dropped 1)
kill_reader
# the server notices the closed connection, the reader's grace period (1 s) ends, the
# writers fill the buffers and drop: seconds, more on a busy host
for ((i = 0; i < 30; i++)); do
	sleep 1
	f0=$(dropped 0) f1=$(dropped 1)
	[ -n "$f0" ] && [ $((f0 - e0)) -gt 100000 ] && [ $((f1 - e1)) -gt 100000 ] && break
done
if [ -n "$d0" ] && [ "$d0" = "$e0" ] && [ "$d1" = "$e1" ]; then
	ok "flow: with a slow reader the writers wait: nothing dropped in 5 s (cpu0 $d0, cpu1 $d1)"
else
	not_ok "flow: slow reader: dropped went $d0 -> $e0, $d1 -> $e1"
fi
if [ -n "$f0" ] && [ $((f0 - e0)) -gt 100000 ] && [ $((f1 - e1)) -gt 100000 ]; then
	ok "flow: killing the reader releases the writers (dropped +$((f0 - e0)), +$((f1 - e1)) after $((i + 1)) s; the kernel serves)"
else
	not_ok "flow: after the reader was killed: dropped $e0 -> $f0, $e1 -> $f1"
fi

# 3. A slow reader again: switching flow control off releases the writers at once.
curl -s -f -X DELETE "$url/trace" >/dev/null
slow_reader slow2
sleep 8
d0=$(dropped 0) d1=$(dropped 1)
curl -s -f -m 20 -X PUT -d noflow-control "$url/trace_options" >/dev/null
sleep 3
e0=$(dropped 0) e1=$(dropped 1)
kill_reader
if [ -n "$e0" ] && [ $((e0 - d0)) -gt 100000 ] && [ $((e1 - d1)) -gt 100000 ]; then
	ok "flow: switching flow control off releases the waiting writers at once"
else
	not_ok "flow: after noflow-control: dropped $d0 -> $e0, $d1 -> $e1"
fi
curl -s -f -m 20 -X PUT -d 0 "$url/tracing_on" >/dev/null
exit $FAILED
