#!/usr/bin/env bash
# Lossless streaming (issue 13, docs/benchmarks.md "Lossless streaming"): `glass record`
# drains a guest that runs apps/compute in a loop on 2 CPUs (compute_loop=1: CPU-bound, no
# end) with function_graph on every kernel function, for DURATION seconds; then tracing is
# switched off and glass record drains the rest (--until-off). Prints, per CPU, the events
# captured and lost (the guest's drop and overrun totals at the end: W_LOST and the raw
# header count the same), the event rate while tracing was on, and glass record's CPU time.
#
# Usage: bench/glass-stream.sh [DURATION_S]        one run, default 600 s (10 minutes)
#        SWEEP="0 20 100 500" bench/glass-stream.sh [STEP_S]
#            one run per compute_pause_us value (a pause between the workload's rounds
#            lowers the event rate), STEP_S seconds each (default 60); then the highest
#            event rate that streamed with 0 lost.
# Environment: O, PAUSE_US (one run: compute_pause_us, default 0), BUF_KB (per CPU buffer,
# default 16384), KVM (default 0: TCG), OUT (keep the captures there; default a temporary
# directory), NO_BLOCK=1 (glass record --no-block: no flow control, the guest drops what
# the recording cannot keep up with; by default glass record turns flow control on).
# Also printed: the host's load average when the recording ended.
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
kernel=$(build_kernel compute ftrace)
make -s --no-print-directory O="$O" "$O/bin/glass" >&2
GLASS=$O/bin/glass
BUF_KB=${BUF_KB:-16384}
tmp=${OUT:-$(mktemp -d)}
mkdir -p "$tmp"
QEMU_PID=
trap '[ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null; wait 2>/dev/null; [ -z "${OUT:-}" ] && rm -rf "$tmp"' EXIT

# run PAUSE_US SECONDS NAME: one boot, one recording; prints a line per CPU and a total,
# and sets RATE (events/s) and LOST (all CPUs).
run() {
	local pause=$1 secs=$2 name=$3 port url i rec t0 t1
	port=$(free_port)
	url=http://127.0.0.1:$port/ftrace
	HEADLESS=1 SMP=2 KVM=${KVM:-0} HTTP_PORT=$port APP_PORT=0 \
		APPEND="compute_loop=1 compute_pause_us=$pause trace_buf_size=$BUF_KB" \
		scripts/run-qemu.sh "$kernel" </dev/null >"$tmp/$name.serial" 2>&1 &
	QEMU_PID=$!
	for ((i = 0; i < 240; i++)); do
		[ -n "$(curl -s -m 2 "$url/tracing_on" 2>/dev/null)" ] && break
		sleep 0.5
	done
	# the recorder first, then every function traced by function_graph (tracing is on
	# from boot: off until the recorder is there, so that nothing is written before)
	curl -s -f -X PUT -d 0 "$url/tracing_on" >/dev/null
	/usr/bin/time -f '%U %S' -o "$tmp/$name.time" "$GLASS" record -o "$tmp/$name.cap.zst" \
		--port "$port" --until-off ${NO_BLOCK:+--no-block} >"$tmp/$name.out" \
		2>"$tmp/$name.err" &
	rec=$!
	curl -s -f -X PUT -d function_graph "$url/current_tracer" >/dev/null
	# the capture file appears just before the first request
	for ((i = 0; i < 120; i++)); do [ -s "$tmp/$name.cap.zst" ] && break; sleep 0.5; done
	sleep 2
	t0=$(date +%s.%N)
	curl -s -f -X PUT -d 1 "$url/tracing_on" >/dev/null
	sleep "$secs"
	curl -s -f -X PUT -d 0 "$url/tracing_on" >/dev/null
	t1=$(date +%s.%N)
	for ((i = 0; i < 900; i++)); do kill -0 "$rec" 2>/dev/null || break; sleep 1; done
	kill "$rec" 2>/dev/null || true
	wait "$rec" || true
	t2=$(date +%s.%N)
	echo "$name load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
	kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null || true
	QEMU_PID=
	# glass record's summary: per CPU "cpu N: F frames, E events, lost L, overrun O" (the
	# guest's totals at the end, as W_LOST counts them)
	read -r RATE LOST < <(awk -v t0="$t0" -v t1="$t1" -v t2="$t2" -v name="$name" \
		-v size="$(stat -c %s "$tmp/$name.cap.zst")" -v cpu="$(cat "$tmp/$name.time")" '
		/^cpu [0-9]+: / {
			e = $5; l = $8 + 0; o = $10 + 0; te += e; tl += l + o
			printf "%s cpu %s %d events captured, %d lost, %d overrun, %.0f events/s\n",
				name, $2, e, l, o, e / (t1 - t0) > "/dev/stderr"
		}
		END {
			s = t1 - t0; split(cpu, c, " ")
			printf "%s total: %d events in %.1f s traced = %.2f M events/s, %d lost; drain after tracing off %.1f s; capture %.1f MB zstd (%.2f bytes/event); glass record CPU %.1f s user + %.1f s system\n",
				name, te, s, te / s / 1e6, tl, t2 - t1, size / 1e6, size / (te ? te : 1), c[1], c[2] > "/dev/stderr"
			print te / s, tl
		}' "$tmp/$name.out")
}

if [ -n "${SWEEP:-}" ]; then
	best=0 best_pause=
	for pause in $SWEEP; do
		run "$pause" "${1:-60}" "pause-$pause" 2>&1
		if [ "$LOST" = 0 ] && awk -v r="$RATE" -v b="$best" 'BEGIN { exit !(r > b) }'; then
			best=$RATE best_pause=$pause
		fi
	done
	awk -v b="$best" -v p="$best_pause" 'BEGIN {
		if (p == "") print "no rate streamed with 0 lost"
		else printf "highest rate with 0 lost: %.2f M events/s (compute_pause_us=%s)\n", b / 1e6, p }'
else
	run "${PAUSE_US:-0}" "${1:-600}" "stream" 2>&1
fi
