#!/usr/bin/env bash
# parse-trace --format lifecycle and mermaid: exact output on a hand-made trace with
# sched_switch events and context-switch blocks (test/tools/cases/offcpu-schedsw.txt: app-7
# sleeps at 10.000005, work-9 runs until it is preempted at 10.000399, app-7 switches to
# idle at 10.000411), and on a generated capture whose thread table has a tid used twice
# (init-3 exits, kworker/0:1-3 is created with the same tid); JSON validity, the mermaid
# label rules, the usage errors.
source "$(dirname "$0")/lib.sh"
G=$HERE/golden/lifecycle
CAPGEN=$O/host-san/gen-capture
sw=$HERE/cases/offcpu-schedsw.txt

"$PT" -q -f lifecycle -o "$TMP/sw.jsonl" "$sw"
expect_status "schedsw: status 0" 0 $?
check_file "schedsw: lifecycle golden" "$TMP/sw.jsonl" "$G/schedsw.jsonl"
"$PT" -q -f lifecycle --by-thread "$sw" >"$TMP/sw.by.jsonl"
check_file "schedsw: --by-thread golden" "$TMP/sw.by.jsonl" "$G/schedsw.by-thread.jsonl"
# the switches as the text says them: the two sched_switch events with their states, the
# blocks after them not counted twice, the block to idle at the idle line's time
check "schedsw: switches and states" "$(jq -r 'select(.kind | startswith("switch")) |
	"\(.ts_ns) \(.kind) \(.tid) \(.status)"' "$TMP/sw.jsonl")" \
	"10000000000 switch_in 7 null
10000005000 switch_out 7 sleeping
10000005000 switch_in 9 null
10000399000 switch_out 9 runnable
10000399000 switch_in 7 null
10000411000 switch_out 7 null"
check "schedsw: every line is a JSON object with the six fields" \
	"$(jq -c 'select(has("ts_ns") and has("kind") and has("tid") and has("parent") and
		has("name") and has("status")) | .kind' "$TMP/sw.jsonl" | wc -l)" \
	"$(wc -l <"$TMP/sw.jsonl")"
check "schedsw: --by-thread holds the same events" \
	"$(jq -c '.events[]' "$TMP/sw.by.jsonl" | sort)" "$(sort "$TMP/sw.jsonl")"
"$PT" -q -f mermaid "$sw" >"$TMP/sw.mmd"
check "schedsw: mermaid" "$(cat "$TMP/sw.mmd")" "gantt
    title Threads (axis: ms.us since the first event)
    dateFormat x
    axisFormat %s.%L
    todayMarker off
    section app-7
    app-7 :0, 411
    section work-9
    work-9 :0, 399"

if [ -x "$CAPGEN" ]; then
	# 40 calls on 2 CPUs with proc and abstime (trace_options 0x3fe), as make capture
	# records; the table: app_main-1, httpd-worker-2, init-3 (exits) and kworker/0:1-3
	"$CAPGEN" --calls 40 --seed 3 --opts 0x3fe "$TMP/c.cap" "$TMP/c.txt" >/dev/null
	"$PT" -q -f lifecycle "$TMP/c.cap" >"$TMP/c.jsonl"
	check_file "capture: lifecycle golden" "$TMP/c.jsonl" "$G/capture.jsonl"
	check "capture: the table's lives, tid 3 twice" "$(jq -r 'select(.kind == "create" or
		.kind == "exit") | "\(.ts_ns) \(.kind) \(.tid) \(.name)"' "$TMP/c.jsonl")" \
		"38 create 1 app_main
76 create 2 httpd-worker
115 create 3 init
3461 exit 3 init
3500 create 3 kworker/0:1"
	# the text of the same capture has no table: the same switches, first_seen instead
	"$PT" -q -f lifecycle "$TMP/c.txt" >"$TMP/t.jsonl"
	check "capture vs its text: same switches" \
		"$(grep switch "$TMP/t.jsonl" | sed 's/"name":"[^"]*"//')" \
		"$(grep switch "$TMP/c.jsonl" | sed 's/"name":"[^"]*"//')"
	"$PT" -q -f mermaid --top-calls "$TMP/c.cap" >"$TMP/c.mmd"
	check_file "capture: mermaid --top-calls golden" "$TMP/c.mmd" "$G/capture.mmd"
	check "capture: mermaid labels have no ':', ';' or '#'" \
		"$(tail -n +6 "$TMP/c.mmd" | grep -v '^    %%' | sed 's/ :.*//' | grep '[:;#]')" ""
	# the 20 longest top-level calls per thread, said so in a comment when there are more
	"$CAPGEN" --calls 400 --seed 3 --opts 0x3fe "$TMP/b.cap" "$TMP/b.txt" >/dev/null
	"$PT" -q -f mermaid --top-calls "$TMP/b.cap" >"$TMP/b.mmd"
	n=$(awk '/^    section/ {s = $2} / :active, / {c[s]++} END {m = 0
		for (k in c) if (c[k] > m) m = c[k]; print m}' "$TMP/b.mmd")
	check "400 calls: at most 20 calls per thread" "$n" "20"
	check "400 calls: the comment" "$(grep -c '^    %% the 20 longest of [0-9]* top-level calls$' \
		"$TMP/b.mmd")" "$(grep -c '^    section' "$TMP/b.mmd")"
	# with trace events (gen-capture --events): create with its parent (the idle task of
	# CPU 0), rename, wakeup with its waker and target CPU, exit with its status
	"$CAPGEN" --calls 40 --seed 3 --opts 0x3fe --events "$TMP/e.cap" "$TMP/e.txt" >/dev/null
	"$BIN/glass" report "$TMP/e.cap" >"$TMP/e.report" 2>/dev/null
	check_file "events: glass report prints every event's payload as the kernel's printer" \
		"$TMP/e.report" "$TMP/e.txt"
	"$PT" -q -f lifecycle "$TMP/e.cap" >"$TMP/e.jsonl"
	check_file "events: lifecycle golden" "$TMP/e.jsonl" "$G/capture-events.jsonl"
	check "events: the lifecycle events" "$(jq -c 'select(.cpu != null and (.kind == "create"
		or .kind == "rename" or .kind == "exit" or .kind == "wakeup")) |
		[.kind, .tid, .parent, .name, .status, .cpu, .waker]' "$TMP/e.jsonl")" \
		'["create",1,0,"app_main",null,0,null]
["create",2,0,"httpd-worker",null,0,null]
["create",3,0,"kworker",null,0,null]
["rename",3,null,"kworker/0:1",null,0,null]
["wakeup",2,null,"httpd-worker",null,1,1]
["wakeup",1,null,"app_main",null,1,2]
["exit",2,null,"httpd-worker",-3,0,null]'
	# the table's creation and the event's are one: the table's exact time, the event's
	# parent and name (kworker-3 before its rename)
	check "events: one create per life" "$(jq -r 'select(.kind == "create") |
		"\(.ts_ns) \(.tid) \(.parent) \(.name)"' "$TMP/e.jsonl")" "38 1 0 app_main
76 2 0 httpd-worker
115 3 null init
3500 3 0 kworker"
	check "events: same from the capture's text (but the times of creation)" \
		"$("$PT" -q -f lifecycle "$TMP/e.txt" | jq -c 'select(.cpu != null) |
			if .kind == "create" then del(.ts_ns) else . end' | sort)" \
		"$(jq -c 'select(.cpu != null) | if .kind == "create" then del(.ts_ns) else . end' \
			"$TMP/e.jsonl" | sort)"
	check "events: mermaid shows the exit status" \
		"$("$PT" -q -f mermaid "$TMP/e.cap" | grep exit)" "    httpd-worker-2 (exit -3) :0, 5002755"
else
	ok "capture # SKIP gen-capture not built"
fi

# a top-level call that never returns (a thread's main loop) lasts until the thread's last
# event: the first 9 lines end with pick_next() returning at 10.0000035 (4 us, rounded)
head -9 "$sw" >"$TMP/open.txt"
"$PT" -q -f mermaid --top-calls "$TMP/open.txt" >"$TMP/open.mmd"
check "a top-level call still open: a bar to the thread's last event" \
	"$(grep -A1 'section app-7' "$TMP/open.mmd" ; grep active "$TMP/open.mmd")" "    section app-7
    app-7 :0, 4
    handle :active, 0, 4"

check "--by-thread without lifecycle: usage error" "$("$PT" --by-thread "$sw" 2>&1)" \
	"parse-trace: --by-thread applies to --format lifecycle
Try 'parse-trace --help'."
"$PT" -f mermaid --top-calls --tid 7 "$sw" >/dev/null 2>&1
expect_status "mermaid with a filter: usage error" 2 $?
: >"$TMP/empty.txt"
"$PT" -q -f lifecycle "$TMP/empty.txt" >"$TMP/e.jsonl" 2>/dev/null
check "empty input: no lines" "$(wc -c <"$TMP/e.jsonl")" "0"
finish
