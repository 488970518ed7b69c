#!/usr/bin/env bash
# Raw versus text download of the same full buffers (docs/raw-transport.md), in one boot of
# apps/tracefill (function_graph until every CPU's buffer is full, then tracing off, so the
# buffers stay the same bytes): /ftrace/trace (the guest formats Linux text) and
# /ftrace/trace_raw (the guest ships its slots), 3 times each, median; then one
# acknowledged drain of trace_pipe_raw by test/boot/raw_client.py (windowed, with from=).
# Events are the text header's entries-in-buffer. MB = 10^6 bytes.
# Usage: bench/raw-download.sh [KERNEL.elf]   (env: O, SMP, BUF_KB (per CPU, default 16384))
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
kernel=${1:-$(build_kernel tracefill ftrace)}
BUF_KB=${BUF_KB:-16384}
port=$(free_port)
url=http://127.0.0.1:$port/ftrace
tmp=$(mktemp -d)
trap 'kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null; rm -rf "$tmp"' EXIT
start_tracefill "$kernel" "$tmp/serial.log" "$port" "$BUF_KB" || { tail -20 "$tmp/serial.log"; exit 1; }

median3() { sort -g | sed -n 2p; }
events=$( (curl -s "$url/trace" || true) | head -20 |
	sed -n 's/^# entries-in-buffer\/entries-written: \([0-9]*\)\/.*/\1/p' || true)
for file in trace trace_raw; do
	secs=()
	for run in 1 2 3; do
		read -r bytes t < <(curl -s -o /dev/null -w '%{size_download} %{time_total}\n' "$url/$file")
		secs+=("$t")
	done
	t=$(printf '%s\n' "${secs[@]}" | median3)
	awk -v f="$file" -v b="$bytes" -v t="$t" -v e="$events" 'BEGIN {
		printf "%-10s %11d bytes in %.3f s: %7.1f MB/s, %6.2f M events/s (%d events)\n",
			f, b, t, b / t / 1e6, e / t / 1e6, e }'
done
t0=$(date +%s.%N)
python3 test/boot/raw_client.py fetch "$url/trace_pipe_raw" "$tmp/pipe.bin"
t1=$(date +%s.%N)
awk -v b="$(stat -c %s "$tmp/pipe.bin")" -v t0="$t0" -v t1="$t1" -v e="$events" 'BEGIN {
	t = t1 - t0
	printf "%-10s %11d bytes in %.3f s: %7.1f MB/s, %6.2f M events/s (acknowledged drain)\n",
		"pipe_raw", b, t, b / t / 1e6, e / t / 1e6 }'
