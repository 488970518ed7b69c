#!/usr/bin/env bash
# MB/s of /ftrace/trace downloaded over QEMU's user-network forward with every CPU's 64 MB
# buffer full (function_graph), and where the time goes. One boot of apps/tracefill, which
# fills the buffers, then times formatting alone in the guest (tracefs `trace` read into a
# discarded buffer); the host then times sending alone (tracefill's port-8080 server: as
# many bytes from one preformatted buffer through the same net_send path) and the real
# download over HTTP. Each figure is the median of 3 runs; MB = 10^6 bytes.
# Usage: bench/trace-download.sh [KERNEL.elf]   (env: O, SMP, FILL_TIMEOUT)
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
kernel=${1:-$(build_kernel tracefill ftrace)}
FILL_TIMEOUT=${FILL_TIMEOUT:-900}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
median3() { sort -g | sed -n 2p; }
mbps() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.1f", (t > 0) ? b / t / 1e6 : 0 }'; }

http_port=$(free_port)
app_port=$(free_port)
log=$(mktemp)
HEADLESS=1 SMP=${SMP:-2} HTTP_PORT=$http_port APP_PORT=$app_port \
	scripts/run-qemu.sh "$kernel" </dev/null >"$log" 2>&1 &
qemu=$!
trap 'kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null; rm -f "$log"' EXIT

for ((i = 0; i < FILL_TIMEOUT; i++)); do
	grep -q '^tracefill: ready' "$log" && break
	if ! kill -0 "$qemu" 2>/dev/null || grep -q "^tracefill: failed" "$log"; then
		tail -20 "$log"; echo "trace-download: tracefill did not get ready" >&2; exit 1
	fi
	sleep 1
done
grep -q '^tracefill: ready' "$log" || { tail -20 "$log"; echo "trace-download: no ready line" >&2; exit 1; }
tr -d '\r' <"$log" | grep '^tracefill:'

# Formatting alone, in the guest: "tracefill: format BYTES bytes NS ns".
fmt=$(tr -d '\r' <"$log" | awk '/^tracefill: format/ { printf "%.1f\n", $3 / $5 * 1000 }' | median3)
fmt_ns=$(tr -d '\r' <"$log" | awk '/^tracefill: format/ { print $5 }' | median3)
# The ring reader alone: "tracefill: ring EVENTS events NS ns".
events=$(tr -d '\r' <"$log" | awk '/^tracefill: ring/ { print $3 }' | median3)
ring_ns=$(tr -d '\r' <"$log" | awk '/^tracefill: ring/ { print $5 }' | median3)

# Sending alone, then the real download; three of each.
send=() http=()
for run in 1 2 3; do
	read -r b t < <(curl -s -o /dev/null -w '%{size_download} %{time_total}\n' \
		"http://127.0.0.1:$app_port/")
	send+=("$(mbps "$b" "$t")")
	read -r b t < <(curl -s -o /dev/null -w '%{size_download} %{time_total}\n' \
		"http://127.0.0.1:$http_port/ftrace/trace")
	http+=("$(mbps "$b" "$t")")
	echo "run $run: /ftrace/trace $b bytes in ${t}s = ${http[-1]} MB/s; send-only ${send[-1]} MB/s"
done
send_m=$(printf '%s\n' "${send[@]}" | median3)
http_m=$(printf '%s\n' "${http[@]}" | median3)
echo "trace download: $http_m MB/s (median of 3, $b bytes)"
echo "formatting alone (guest): $fmt MB/s; sending alone (guest->host): $send_m MB/s"
awk -v e="$events" -v r="$ring_ns" -v f="$fmt_ns" 'BEGIN {
	if (e > 0)
		printf "per event (guest, %d events): ring reader %.0f ns, printer %.0f ns\n",
			e, r / e, (f - r) / e
}'
# Time per MB of each half, as if they ran one after the other; the download overlaps
# them when it is faster than this sum suggests.
awk -v f="$fmt" -v s="$send_m" -v h="$http_m" 'BEGIN {
	if (f > 0 && s > 0 && h > 0)
		printf "per MB: formatting %.1f ms, sending %.1f ms, download %.1f ms (serial sum %.1f ms)\n",
			1000 / f, 1000 / s, 1000 / h, 1000 / f + 1000 / s
}'
