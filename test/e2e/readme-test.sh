#!/usr/bin/env bash
# Follows the README literally: takes the commands of its Quick start block, runs the first
# (`make ... run`, interactive) in the background, waits for the trace server, then runs the
# others in order in a scratch directory, with build/bin on PATH as the README says. The
# last one (`make test`) is this suite itself and is only checked to be there.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh
root=$PWD

mapfile -t cmds < <(awk '/^## Quick start/ {q=1} q && /^```/ {n++; next} q && n == 1 {print}' README.md |
	sed 's/[[:space:]]*#.*$//')
if [ ${#cmds[@]} -ne 5 ] || [ "${cmds[4]}" != "make test" ]; then
	not_ok "README quick start has the five commands ending in 'make test' (got ${#cmds[@]})"
	exit 1
fi
ok "README quick start has five commands"

port=$(echo "${cmds[1]}" | grep -o 'localhost:[0-9]*' | cut -d: -f2)
if ss -ltnH "sport = :$port" | grep -q .; then
	not_ok "port $port is busy: cannot follow the README here"; exit 1
fi

scratch=$O/readme-run
rm -rf "$scratch" && mkdir -p "$scratch"
# `run` is interactive: give it no terminal; its own process group so it can be stopped.
setsid bash -c "${cmds[0]} O=$O" </dev/null >"$scratch/run.log" 2>&1 &
run_pid=$!
trap 'kill -- -$run_pid 2>/dev/null' EXIT

deadline=$((SECONDS + 600))
until curl -s -m 2 "http://127.0.0.1:$port/ftrace/tracing_on" | grep -q .; do
	if ! kill -0 $run_pid 2>/dev/null || [ $SECONDS -gt $deadline ]; then
		not_ok "'${cmds[0]}' did not bring up the trace server"; tail -20 "$scratch/run.log" | sed 's/^/#   /'
		exit 1
	fi
	sleep 0.5
done
ok "'${cmds[0]}' boots and serves /ftrace"

export PATH=$root/$O/bin:$PATH
cd "$scratch"
for i in 1 2 3; do
	if ! bash -c "${cmds[$i]}" >"step$i.out" 2>"step$i.err"; then
		not_ok "'${cmds[$i]}' failed: $(tail -2 "step$i.err")"; exit 1
	fi
done
ok "'${cmds[1]}' then '${cmds[2]}' then '${cmds[3]}' ran"

if grep -qE '^ *[0-9]+\) .*\|' trace_pipe; then ok "trace_pipe holds function_graph lines"; else
	not_ok "trace_pipe holds no function_graph lines"; fi
rows=$(($(wc -l <trace.csv) - 1))
if head -1 trace.csv | grep -q '^function,tid,latency_us,latency_us_self' && [ "$rows" -gt 100 ]; then
	ok "trace.csv has the CSV header and $rows rows"; else not_ok "trace.csv: $rows rows"; fi
if head -1 step3.out | grep -qE '^function +calls +total_us +self_us' && [ "$(wc -l <step3.out)" -gt 5 ]; then
	ok "runtime-breakdown prints the table"; else not_ok "runtime-breakdown output"; fi
exit $FAILED
