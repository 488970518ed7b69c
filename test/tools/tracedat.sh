#!/usr/bin/env bash
# parse-trace --format tracedat, read back by Debian's trace-cmd: `trace-cmd report` of the
# small hand-made trace against its golden (nesting, durations, sched_switch, lost events),
# and round trips: parse-trace's CSV of the report equals its CSV of the original text
# (function, tid, durations, self, cpu, depth, parent; start_us can move: a CPU's records
# never go back in time, while us timestamps make some calls seem to).
source "$(dirname "$0")/lib.sh"
G=$HERE/golden

if ! command -v trace-cmd >/dev/null; then
	ok "tracedat # SKIP trace-cmd not installed"
	finish
	exit
fi

"$PT" -q -f tracedat -o "$TMP/small.dat" "$G/perfetto/small.txt"
expect_status "small: status 0" 0 $?
trace-cmd report "$TMP/small.dat" >"$TMP/small.report" 2>"$TMP/err"
check_file "small: trace-cmd report golden" "$TMP/small.report" "$G/tracedat/small.report"
check "small: trace-cmd says nothing on stderr" "$(cat "$TMP/err")" ""
"$PT" -q -f trace-cmd "$G/perfetto/small.txt" | cmp -s - "$TMP/small.dat"
expect_status "small: --format trace-cmd = tracedat, stdout = -o FILE" 0 $?

same_calls() {	# NAME TRACE [trace-cmd report options]
	local name=$1 t=$2
	shift 2
	"$PT" -q -f tracedat -o "$TMP/t.dat" "$t"
	expect_status "$name: export status 0" 0 $?
	trace-cmd report "$@" "$TMP/t.dat" >"$TMP/t.report" 2>"$TMP/err"
	expect_status "$name: trace-cmd report status 0" 0 $?
	[ -s "$TMP/err" ] && sed 's/^/#   trace-cmd: /' "$TMP/err" | head -5
	check "$name: same calls through trace.dat" \
		"$("$PT" -q "$TMP/t.report" | cut -d, -f1-6,8 | sort)" \
		"$("$PT" -q "$t" | cut -d, -f1-6,8 | sort)"
}
# glass's printer with abstime, proc and durations (time extends: gaps of up to 1.5 s,
# lost events, tail-named returns read back with fgraph:tailprint)
for t in "$HERE"/../golden/trace/graph-_ap?*d.txt; do
	same_calls "$(basename "$t" .txt)" "$t" -O fgraph:tailprint
done
same_calls "trace-cmd report input" "$HERE/cases/tcmd-graph.txt"
# the sample Linux traces, many without the proc column: a thread the text does not name is
# one per CPU (pid 4194304 + CPU), so only the tid column differs; traces without durations
# are left out (trace.dat always has calltime and rettime: their calls come back with 0)
if ls "$TRACES"/fg*.txt >/dev/null 2>&1; then
	for t in "$TRACES"/fg*.txt; do
		"$PT" -q "$t" | cut -d, -f3 | grep -q '^$' && continue
		"$PT" -q -f tracedat -o "$TMP/t.dat" "$t"
		trace-cmd report -O fgraph:tailprint "$TMP/t.dat" >"$TMP/t.report" 2>"$TMP/err"
		check "$(basename "$t" .txt): same calls but tid through trace.dat" \
			"$("$PT" -q "$TMP/t.report" | cut -d, -f1,3-6,8 | sort)" \
			"$("$PT" -q "$t" | cut -d, -f1,3-6,8 | sort)"
	done
else
	ok "sample Linux traces # SKIP $TRACES not present"
fi
same_calls "migrating thread" "$HERE/cases/proc-abstime-migrate.txt"
"$GEN" --calls 20000 --cpus 3 --threads 6 --proc --abstime >"$TMP/g.txt" 2>/dev/null
same_calls "generated, 3 CPUs, 6 threads" "$TMP/g.txt"

# trace-cmd report's own sched_switch events come back with their times and states
t=$HERE/cases/tcmd-schedsw.txt
"$PT" -q -f tracedat -o "$TMP/sw.dat" "$t"
check "sched_switch events: same lines through trace.dat" \
	"$(trace-cmd report "$TMP/sw.dat" | grep sched_switch: | tr -s ' ')" \
	"$(grep sched_switch: "$t" | tr -s ' ')"
check "sched_switch without the plugin: prev_state by name" \
	"$(trace-cmd report -N "$TMP/sw.dat" 2>/dev/null | grep -o 'prev_state=[A-Z]*' | tr '\n' ' ')" \
	"prev_state=S prev_state=S "

# a marker longer than a 28-word record: a record with a length word (type_len 0)
long=$(printf 'x%.0s' $(seq 1 300))
{ head -8 "$G/perfetto/small.txt"; echo "   10.000102 |   0)    app-7       |               |    /* $long */"
  tail -n +9 "$G/perfetto/small.txt"; } >"$TMP/long.txt"
"$PT" -q -f tracedat -o "$TMP/long.dat" "$TMP/long.txt"
check "300-byte marker: whole" \
	"$(trace-cmd report "$TMP/long.dat" | grep -o "tracing_mark_write: xx*" | wc -c)" \
	"$((20 + 300 + 1))"

# no thread names at all (no proc column, no context switch): empty saved cmdlines
"$PT" -q -f tracedat -o "$TMP/n.dat" "$HERE/cases/nested-2cpu.txt"
trace-cmd report "$TMP/n.dat" >"$TMP/n.report" 2>"$TMP/err"
check "no thread names: the 6 calls back, nothing on stderr" \
	"$("$PT" -q "$TMP/n.report" | tail -n +2 | wc -l) $(wc -c <"$TMP/err")" "6 0"

"$PT" -q -f tracedat -o "$TMP/g.dat" "$TMP/g.txt"
check "sched_switch records" "$(trace-cmd report "$TMP/g.dat" | grep -c 'sched_switch:')" \
	"$(grep -c '=>' "$TMP/g.txt")"
# wakeup events (gen-capture --events) become sched_wakeup records: trace-cmd prints them
# as Linux's, on the waker's line (times: the CPU's records never go back, so the first is
# 1 us after the text's)
if [ -x "$O/host-san/gen-capture" ]; then
	"$O/host-san/gen-capture" --calls 40 --seed 3 --opts 0x3fe --events "$TMP/e.cap" \
		"$TMP/e.txt" >/dev/null
	"$PT" -q -f tracedat -o "$TMP/e.dat" "$TMP/e.cap"
	check "events: sched_wakeup records" "$(trace-cmd report "$TMP/e.dat" 2>&1 | grep wakeup)" \
		"        app_main-1     [001]     0.100278: sched_wakeup:         httpd-worker:2 [120] CPU:001
    httpd-worker-2     [001]     0.340866: sched_wakeup:         app_main:1 [120] CPU:001"
fi
finish
