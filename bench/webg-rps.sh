#!/usr/bin/env bash
# webg requests per second from the host (wrk, 2 threads, 16 connections, 5 s, GET /), with
# TRACE unset, with TRACE=ftrace and the tracer off (nop: every site a NOP), and with
# function_graph recording (in overwrite mode, so the buffers never stop it); median of 3.
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
RUNS=${RUNS:-3}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # NAME KERNEL [TRACER]
	local name=$1 kernel=$2 tracer=${3:-} http app pid results=""
	http=$(free_port)
	app=$(free_port)
	HEADLESS=1 HTTP_PORT=$http APP_PORT=$app scripts/run-qemu.sh "$kernel" </dev/null \
		>"$O/bench-webg-$name.log" 2>&1 &
	pid=$!
	until curl -s -m 1 "http://127.0.0.1:$app/" | grep -q hello; do sleep 0.2; done
	if [ -n "$tracer" ]; then
		curl -s -X PUT -d overwrite "http://127.0.0.1:$http/ftrace/trace_options"
		curl -s -X PUT -d "$tracer" "http://127.0.0.1:$http/ftrace/current_tracer"
	fi
	for _ in $(seq "$RUNS"); do
		results+=$(wrk -t2 -c16 -d5s "http://127.0.0.1:$app/" | awk '/^Requests\/sec/ {print $2}')$'\n'
	done
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "| $name | $(echo "$results" | grep . | median) | $(echo $results) |"
}

plain=$(build_kernel webg)
traced=$(build_kernel webg ftrace)
echo "| kernel | requests/s (median) | runs |"
echo "|---|---|---|"
measure "TRACE unset" "$plain"
measure "TRACE=ftrace, tracer nop" "$traced" nop
measure "TRACE=ftrace, function_graph" "$traced" function_graph
