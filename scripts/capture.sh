#!/usr/bin/env bash
# One-command capture: boots the app headless with the trace port forwarded, waits for the
# HTTP server, runs the app's workload, fetches the trace, powers the guest off and analyses
# the trace with parse-trace and runtime-breakdown.
# Usage: scripts/capture.sh KERNEL.elf   (the Makefile's `capture` target passes its variables)
# Environment: TARGET (app name), MODE=raw|trace|pipe (raw, the default: `glass record`
# streams the ring buffers' raw blocks into trace.cap.zst from the end of boot until the
# workload ends, or for DURATION, then tracing is switched off and it drains the buffers
# (--until-off); the guest formats nothing. trace: /ftrace/trace's text at the end. pipe:
# stream trace_pipe's text likewise), SMP, MEM, KVM, HTTP_PORT,
# APP_PORT, OUT (default out/<app>-<timestamp>), BIN (host tools directory), WORKLOAD (a
# shell command that replaces the app's CAPTURE_WORKLOAD).
# An app may define apps/<app>/capture.env setting CAPTURE_APPEND (kernel command line, e.g.
# ftrace boot parameters), CAPTURE_WORKLOAD (a shell command run from the host once the server
# answers; $APP_PORT is set) and CAPTURE_EXCLUDE (globs left out of the analysis).
set -euo pipefail
kernel=${1:?usage: capture.sh KERNEL.elf}
TARGET=${TARGET:?TARGET is not set}
MODE=${MODE:-raw}
DURATION=${DURATION:-}
HTTP_PORT=${HTTP_PORT:-9090}
APP_PORT=${APP_PORT:-8080}
BIN=${BIN:-build/bin}
OUT=${OUT:-out/$TARGET-$(date +%Y%m%d-%H%M%S)}
CAPTURE_APPEND= CAPTURE_WORKLOAD= CAPTURE_EXCLUDE=
[ -f "apps/$TARGET/capture.env" ] && . "apps/$TARGET/capture.env"
[ -n "${WORKLOAD:-}" ] && CAPTURE_WORKLOAD=$WORKLOAD
case $MODE in raw|trace|pipe) ;; *) echo "capture: MODE must be raw, trace or pipe" >&2; exit 2 ;; esac
case $DURATION in '' | [0-9]*s) ;; *) echo "capture: DURATION must be like 10s" >&2; exit 2 ;; esac

mkdir -p "$OUT"
url=http://127.0.0.1:$HTTP_PORT/ftrace
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
qemu_pid=
cleanup() { [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null || true; }
trap cleanup EXIT

if curl -s -m 1 -o /dev/null "$url/tracing_on" 2>/dev/null; then
	echo "capture: port $HTTP_PORT already answers; is another glass running? (set HTTP_PORT)" >&2
	exit 1
fi

t0=$(now_ms)
HEADLESS=1 EXIT=0 APPEND="$CAPTURE_APPEND" scripts/run-qemu.sh "$kernel" </dev/null \
	>"$OUT/serial.log" 2>&1 &
qemu_pid=$!

# 1. Boot: until the trace server answers (slirp accepts connections before the guest
#    listens, so wait for response bytes, not for connect).
until [ "$(curl -s -m 2 "$url/tracing_on" 2>/dev/null)" != "" ]; do
	kill -0 "$qemu_pid" 2>/dev/null || { echo "capture: QEMU exited; see $OUT/serial.log" >&2; exit 1; }
	[ $(( $(now_ms) - t0 )) -lt 120000 ] || { echo "capture: no answer from $url" >&2; exit 1; }
	sleep 0.1
done
t_boot=$(now_ms)

# The TASK/PID column lets the analysis tell threads apart, and timestamps let it tell
# time on the CPU from time switched out (docs/tools.md, "Time off the CPU").
curl -s -f -X PUT -d funcgraph-proc "$url/trace_options" >/dev/null
curl -s -f -X PUT -d funcgraph-abstime "$url/trace_options" >/dev/null

# 2. Run: the app's workload from the host, else until the app returns. In pipe mode the
#    trace streams out meanwhile, so the buffers never fill however long it runs; the
#    server leaves its own sending out of the trace (option trace-server).
if [ "$MODE" = pipe ]; then
	raw=$OUT/trace.zst
	{ curl -s -N "$url/trace_pipe?follow=1&until_off=1" || true; } | zstd -q -f -o "$raw" &
	pipe_pid=$!
elif [ "$MODE" = raw ]; then
	raw=$OUT/trace.cap.zst
	"$BIN/glass" record -o "$raw" --port "$HTTP_PORT" --until-off >"$OUT/record.txt" \
		2>"$OUT/record.log" &
	pipe_pid=$!
fi
run_workload() {
	if [ -n "$CAPTURE_WORKLOAD" ]; then
		(eval "$CAPTURE_WORKLOAD") >"$OUT/workload.log" 2>&1
	else
		until grep -q "^glass: app $TARGET returned" "$OUT/serial.log"; do
			[ $(( $(now_ms) - t_boot )) -lt 600000 ] || { echo "capture: app did not finish" >&2; return 1; }
			sleep 0.1
		done
	fi
}
if [ "$MODE" != trace ] && [ -n "$DURATION" ]; then
	# The capture lasts DURATION whatever the workload does; one still running is cut short.
	run_workload &
	work_pid=$!
	sleep "${DURATION%s}"
	kill "$work_pid" 2>/dev/null && echo "capture: the workload was still running after $DURATION" >&2
	wait "$work_pid" 2>/dev/null || true
else
	run_workload || exit 1
fi
t_run=$(now_ms)

# 3. Fetch: stop recording and let the stream drain the buffers (it ends by itself once
#    they are empty), or read the whole buffer.
if [ "$MODE" != trace ]; then
	curl -s -f -X PUT -d 0 "$url/tracing_on" >/dev/null
	for ((i = 0; i < 3000; i++)); do kill -0 "$pipe_pid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$pipe_pid" 2>/dev/null; then
		echo "capture: the stream did not end 300 s after tracing was switched off" >&2
		kill "$pipe_pid" 2>/dev/null
	fi
	wait "$pipe_pid" || true
else
	raw=$OUT/trace.txt
	curl -s -f -o "$raw" "$url/trace"
fi
cpus=$(curl -s "$url/buffer_total_size_kb" >/dev/null; grep -o 'glass: [0-9]* CPUs online' "$OUT/serial.log" | grep -o '[0-9]*' | head -1)
: >"$OUT/stats.txt"
for ((c = 0; c < ${cpus:-1}; c++)); do
	{ echo "CPU $c:"; curl -s "$url/per_cpu/cpu$c/stats"; } >>"$OUT/stats.txt"
done
t_fetch=$(now_ms)

# 4. Power off.
kill "$qemu_pid" 2>/dev/null || true
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=
t_off=$(now_ms)

# 5. Analyse.
excludes=()
for g in $CAPTURE_EXCLUDE; do excludes+=(--exclude "$g"); done
"$BIN/parse-trace" -o "$OUT/trace.csv" "$raw" 2>"$OUT/parse-trace.log" || true
# timelines: Perfetto (ui.perfetto.dev) and trace-cmd (trace-cmd report, KernelShark)
"$BIN/parse-trace" -q -f perfetto -o "$OUT/trace.pftrace" "$raw" || true
"$BIN/parse-trace" -q -f tracedat -o "$OUT/trace.dat" "$raw" || true
"$BIN/runtime-breakdown" "${excludes[@]}" --top 30 --plot png -o "$OUT/plot" "$OUT/trace.csv" \
	>"$OUT/table.txt" 2>"$OUT/runtime-breakdown.log"
t_done=$(now_ms)

# per_cpu_sum REGEX: " 0: N, 1: M", the stats lines matching REGEX summed per CPU.
per_cpu_sum() {
	awk -v re="$1" '/^CPU [0-9]+:/ {cpu = $2 + 0; n[cpu] += 0} $0 ~ re {n[cpu] += $NF}
		END {s = ""; for (c = 0; c in n; c++) s = s sprintf("%s %d: %d", (s == "" ? "" : ","), c, n[c]); print s}' \
		"$OUT/stats.txt"
}
lost=$(per_cpu_sum '^(overrun|dropped events):')
# A trace_pipe stream consumes what it carries: what is still in the buffers was never read.
unread=
[ "$MODE" = pipe ] && unread=" Unread events per CPU (left in the buffers):$(per_cpu_sum '^entries:')."
top=$(awk 'NR > 1 && NR <= 6 {printf "%s%s (%s us self, %s calls)", (NR > 2 ? ", " : ""), $1, $4, $2}' \
	"$OUT/table.txt")
calls=$(($(wc -l <"$OUT/trace.csv") - 1))
cat >"$OUT/summary.txt" <<SUMMARY
$TARGET: $calls calls captured ($MODE mode) in $(du -h "$raw" | cut -f1) of $([ "$MODE" = raw ] && echo "capture (zstd)" || echo "trace text"). The top functions by self time are $top. Lost events per CPU (overrun + dropped):$lost.$unread
Time: boot $((t_boot - t0)) ms, run $((t_run - t_boot)) ms, fetch $((t_fetch - t_run)) ms, power-off $((t_off - t_fetch)) ms, analyse $((t_done - t_off)) ms; total $((t_done - t0)) ms.
SUMMARY
cat "$OUT/summary.txt"
echo "capture: results in $OUT/ (trace, trace.csv, trace.pftrace, trace.dat, table.txt, plot-*.png, summary.txt)"
