#!/usr/bin/env bash
# Time on the CPU versus time waiting, on hand-written traces whose answers were worked out
# by hand (test/tools/cases/offcpu-*.txt; their parse-trace rows are checked by cases.sh).
# offcpu-2threads: app-7 blocks in schedule <- wait_io <- read_req <- handle from 10.000010
# (work-9's first line on CPU 0) to 10.000400 (its next line): 390 us off the CPU; srv-12's
# first line on CPU 1 closes wait_msg, begun before the trace: all 150 us of it off the CPU.
# offcpu-nosleep: the same CPU 0 printed with nosleep-time (durations without the waiting).
# offcpu-schedsw: the same CPU 0 with sched_switch events at 10.000005 and 10.000399: the
# waiting is their difference, 394 us (cases.sh checks its rows, and tcmd-schedsw's: a
# trace-cmd report whose kworker/0:1-55 waits from the event at 100.000020 to 100.000040).
# offcpu-loop: srv-3 blocks twice in block <- wait_event <- accept_conn (90 + 190 us) and once
# in block <- read_req (90 us) inside serve_loop, which never returns; the idle task runs
# idle_halt (40 + 50 + 60 us) meanwhile.
# offcpu-est: the default trace options (no timestamps, no proc column), switch blocks only.
# app-7 switches out in schedule <- wait_io <- read_req <- handle on CPU 0 and comes back
# there: schedule's self time, 397 - 0.5 = 396.5 us, is counted as waiting; srv-12 switches
# out in schedule <- wait_msg <- serve on CPU 1 and comes back on CPU 0: 151 - 1 = 150 us;
# net-3's first line, after the idle task's on CPU 1, closes net_poll, begun before the
# trace: all 250 us. work-9's first line is a call, not a return: nothing. The idle task's
# timer_tick and default_idle (5 + 80 us) are idle. offcpu-est-proc: the proc column alone.
# offcpu-est-lost: app-7 switches out in inner, whose return is lost: outer, whose self time
# (300 - 1 us) holds all of inner, takes the switch over and counts 299 us of waiting.
source "$(dirname "$0")/lib.sh"
C=$HERE/cases
two=$C/offcpu-2threads.txt
loop=$C/offcpu-loop.txt
H="function       calls       total_us        self_us  self%      mean_us       min_us       max_us       p50_us       p95_us       p99_us"
MODE_CPU="time: on the CPU, waiting listed apart (switch information in 12 of 12 calls); idle, not work: 80.000 us in the idle task's calls"

want_cpu="$H
crunch             2        300.000        300.000   89.6      150.000      100.000      200.000      100.000      200.000      200.000
compute            1        312.000         12.000    3.6      312.000      312.000      312.000      312.000      312.000      312.000
schedule           1          7.000          6.500    1.9        7.000        7.000        7.000        7.000        7.000        7.000
handle             1         20.000          4.000    1.2       20.000       20.000       20.000       20.000       20.000       20.000
read_req           1         14.000          4.000    1.2       14.000       14.000       14.000       14.000       14.000       14.000
reply              1          3.000          3.000    0.9        3.000        3.000        3.000        3.000        3.000        3.000
wait_io            1         10.000          3.000    0.9       10.000       10.000       10.000       10.000       10.000       10.000
parse              1          2.000          2.000    0.6        2.000        2.000        2.000        2.000        2.000        2.000
pick_next          1          0.500          0.500    0.1        0.500        0.500        0.500        0.500        0.500        0.500
wait_msg           1          0.000          0.000    0.0        0.000        0.000        0.000        0.000        0.000        0.000

$MODE_CPU

waiting (off the CPU inside a call; not work):
app-7                             390.000 us
srv-12                            150.000 us

where (the call that switched out, then its callers):
app-7 waited 390.000 us in schedule <- wait_io <- read_req <- handle
srv-12 waited 150.000 us in wait_msg"
check "on-CPU time by default: table, mode, waits" "$("$RB" -q --no-plot "$two")" "$want_cpu"
"$PT" -q "$two" >"$TMP/two.csv"
check "on-CPU time from the CSV too" "$("$RB" -q --no-plot "$TMP/two.csv")" "$want_cpu"
check "--time cpu is the default" "$("$RB" -q --no-plot --time cpu "$two")" "$want_cpu"

check "--time wall: today's durations, idle included, no waits" "$("$RB" -q --no-plot --time wall "$two")" \
"function          calls       total_us        self_us  self%      mean_us       min_us       max_us       p50_us       p95_us       p99_us
schedule              1        397.000        396.500   41.5      397.000      397.000      397.000      397.000      397.000      397.000
crunch                2        300.000        300.000   31.4      150.000      100.000      200.000      100.000      200.000      200.000
wait_msg              1        150.000        150.000   15.7      150.000      150.000      150.000      150.000      150.000      150.000
default_idle          1         80.000         80.000    8.4       80.000       80.000       80.000       80.000       80.000       80.000
compute               1        312.000         12.000    1.3      312.000      312.000      312.000      312.000      312.000      312.000
handle                1        410.000          4.000    0.4      410.000      410.000      410.000      410.000      410.000      410.000
read_req              1        404.000          4.000    0.4      404.000      404.000      404.000      404.000      404.000      404.000
reply                 1          3.000          3.000    0.3        3.000        3.000        3.000        3.000        3.000        3.000
wait_io               1        400.000          3.000    0.3      400.000      400.000      400.000      400.000      400.000      400.000
parse                 1          2.000          2.000    0.2        2.000        2.000        2.000        2.000        2.000        2.000
pick_next             1          0.500          0.500    0.1        0.500        0.500        0.500        0.500        0.500        0.500

time: wall clock (--time wall): waiting counts as time in the call"

"$RB" --csv --top 3 "$two" >"$TMP/out" 2>"$TMP/err"
check "--csv: on-CPU rows" "$(cat "$TMP/out")" "function,calls,total_us,self_us,mean_us,min_us,max_us,p50_us,p95_us,p99_us
crunch,2,300.000,300.000,150.000,100.000,200.000,100.000,200.000,200.000
compute,1,312.000,12.000,312.000,312.000,312.000,312.000,312.000,312.000
schedule,1,7.000,6.500,7.000,7.000,7.000,7.000,7.000,7.000"
check "--csv: the mode on stderr" "$(cat "$TMP/err")" "$MODE_CPU"

check "threads named comm-tid" "$("$RB" -q --no-plot --by thread "$two" | grep '^thread')" "thread app-7
thread work-9
thread srv-12"

check "no switch information: wall clock, said in one line" "$("$RB" -q --no-plot "$C/nested-2cpu.txt" | tail -1)" \
	"time: wall clock: the trace has no switch information (it needs threads: context-switch lines or funcgraph-proc)"
check "no switch information: --time cpu keeps wall clock" "$("$RB" -q --no-plot --time cpu "$C/nested-2cpu.txt" | tail -1)" \
	"time: wall clock: the trace has no switch information (it needs threads: context-switch lines or funcgraph-proc)"
check "no switch information: --csv prints no mode line" "$("$RB" --csv "$C/nested-2cpu.txt" 2>&1 >/dev/null | grep -c '^time')" "0"

H2="function         calls       total_us        self_us  self%      mean_us       min_us       max_us       p50_us       p95_us       p99_us"
check "waits merge per path; a caller that never returns ends it" "$("$RB" -q --no-plot "$loop")" "$H2
block                4         18.000         18.000   64.3        4.500        1.000        6.000        5.008        6.000        6.000
accept_conn          2         20.000          4.000   14.3       10.000        9.000       11.000        9.000       11.000       11.000
wait_event           2         16.000          4.000   14.3        8.000        7.000        9.000        7.000        9.000        9.000
read_req             1          8.000          2.000    7.1        8.000        8.000        8.000        8.000        8.000        8.000

time: on the CPU, waiting listed apart (switch information in 12 of 12 calls); idle, not work: 150.000 us in the idle task's calls

waiting (off the CPU inside a call; not work):
srv-3                             370.000 us

where (the call that switched out, then its callers):
srv-3 waited 280.000 us in block <- wait_event <- accept_conn
srv-3 waited 90.000 us in block <- read_req"
check "--tid 0: the idle task as work" "$("$RB" -q --no-plot --tid 0 "$loop" | sed -n '2p;4p')" \
"idle_halt          3        150.000        150.000  100.0       50.000       40.000       60.000       50.048       60.000       60.000
time: on the CPU, waiting listed apart (switch information in 3 of 3 calls); the idle task counts as work (--tid 0)"
check "--top 1 limits the paths" "$("$RB" -q --no-plot --top 1 "$loop" | tail -2)" "where (the call that switched out, then its callers):
srv-3 waited 280.000 us in block <- wait_event <- accept_conn"
check "--exclude leaves the wait paths whole" "$("$RB" -q --no-plot --exclude 'wait_*' "$loop" | tail -1)" \
	"srv-3 waited 90.000 us in block <- read_req"

# nosleep-time: the kernel's durations already leave the 390 us out (offcpu-nosleep.txt is
# offcpu-2threads.txt's CPU 0 printed so); the spans between the timestamps tell, and the
# waiting is not taken out twice: app-7's calls come out as with sleep-time
check "nosleep-time durations: not cut twice" "$("$RB" -q --csv --tid 7 "$C/offcpu-nosleep.txt")" \
	"$("$RB" -q --csv --tid 7 "$two")"

# folded stacks weigh paths by time on the CPU by default, as printed with --time wall, by
# the waiting alone with --time off (an off-CPU flame graph)
folded() { "$PT" -q -f folded "$@" "$two" | LC_ALL=C sort; }
# compute is named only by its return's tail: its own 12 us go on its name, the crunch
# calls written before that return keep [unknown] as their caller
check "folded: on the CPU" "$(folded)" "[unknown];crunch 300000
compute 12000
default_idle 80000
handle 4000
handle;parse 2000
handle;read_req 4000
handle;read_req;wait_io 3000
handle;read_req;wait_io;schedule 6500
handle;read_req;wait_io;schedule;pick_next 500
reply 3000"
check "folded --time wall" "$(folded --time wall | grep -e schedule -e wait_msg)" \
	"handle;read_req;wait_io;schedule 396500
handle;read_req;wait_io;schedule;pick_next 500
wait_msg 150000"
check "folded --time off" "$(folded --time off)" "handle;read_req;wait_io;schedule 390000
wait_msg 150000"
"$PT" -q --time off "$two" >/dev/null 2>"$TMP/err"
expect_status "--time without folded: usage error" 2 $?
check "--time without folded: message" "$(head -1 "$TMP/err")" \
	"parse-trace: --time applies to --format folded"

check "sched_switch events time the waiting" "$("$RB" -q --no-plot "$C/offcpu-schedsw.txt" | tail -1)" \
	"app-7 waited 394.000 us in schedule <- wait_io <- read_req <- handle"

# a comm with a comma and a quote is quoted in the CSV (cases.sh checks comm-quoting.csv)
# and read back whole
check "comm quoted and read back" "$("$RB" -q --no-plot --by thread "$C/comm-quoting.csv" | sed -n 2p)" \
	'thread we,i"rd-5'

# charts and the report name threads comm-tid (serve-browser.sh checks the report's labels)
"$RB" -q --plot svg -o "$TMP/s" "$two" >/dev/null 2>&1
grep -q '>app-7<' "$TMP/s-threads.svg" && ! grep -q '>tid ' "$TMP/s-threads.svg" &&
	ok "thread chart labels comm-tid" || not_ok "thread chart labels comm-tid" "no app-7 label"
grep -q 'Self time on the CPU per thread' "$TMP/s-threads.svg" && ok "thread chart says on the CPU" ||
	not_ok "thread chart says on the CPU" "title"
"$RB" --time bogus "$two" >/dev/null 2>&1
expect_status "--time bogus: usage error" 2 $?
# --- no timestamps: the estimate ---------------------------------------------------------
est=$C/offcpu-est.txt
H3="function       calls       total_us        self_us  self%      mean_us       min_us       max_us       p50_us       p95_us       p99_us"
EST="(estimated from the switches: the trace has no timestamps; waiting = self time of calls that switched out)"
MODE_EST="time: on the CPU $EST, waiting listed apart (switch information in 17 of 17 calls); idle, not work: 85.000 us in the idle task's calls"
want_est="$H3
crunch             2        300.000        300.000   86.8      150.000      100.000      200.000      100.000      200.000      200.000
compute            1        312.000         12.000    3.5      312.000      312.000      312.000      312.000      312.000      312.000
wait_msg           1         10.000          9.000    2.6       10.000       10.000       10.000       10.000       10.000       10.000
serve              1         20.000          7.000    2.0       20.000       20.000       20.000       20.000       20.000       20.000
handle             1         13.500          4.000    1.2       13.500       13.500       13.500       13.500       13.500       13.500
read_req           1          7.500          4.000    1.2        7.500        7.500        7.500        7.500        7.500        7.500
reply              1          3.000          3.000    0.9        3.000        3.000        3.000        3.000        3.000        3.000
wait_io            1          3.500          3.000    0.9        3.500        3.500        3.500        3.500        3.500        3.500
parse              1          2.000          2.000    0.6        2.000        2.000        2.000        2.000        2.000        2.000
pick_next          2          1.500          1.500    0.4        0.750        0.500        1.000        0.500        1.000        1.000
net_poll           1          0.000          0.000    0.0        0.000        0.000        0.000        0.000        0.000        0.000
schedule           2          1.500          0.000    0.0        0.750        0.500        1.000        0.500        1.000        1.000

$MODE_EST

waiting (off the CPU inside a call; not work):
app-7                             396.500 us
net-3                             250.000 us
srv-12                            150.000 us
(estimated: a call that switched out counts its whole self time as waiting, so the waiting includes the switches' own work on the CPU (switches: 3), which a trace without timestamps does not show (funcgraph-abstime measures it); the smallest self time of such a call is 150.000 us)

where (the call that switched out, then its callers):
app-7 waited 396.500 us in schedule <- wait_io <- read_req <- handle
net-3 waited 250.000 us in net_poll
srv-12 waited 150.000 us in schedule <- wait_msg <- serve"
check "no timestamps: estimated on-CPU time by default, mode, waits" \
	"$("$RB" -q --no-plot "$est")" "$want_est"
"$PT" -q "$est" >"$TMP/est.csv"
check "no timestamps: the same from the CSV" "$("$RB" -q --no-plot "$TMP/est.csv")" "$want_est"
check "no timestamps: --time cpu is the default" "$("$RB" -q --no-plot --time cpu "$est")" "$want_est"
check "no timestamps: --time wall" "$("$RB" -q --no-plot --time wall "$est")" \
"function          calls       total_us        self_us  self%      mean_us       min_us       max_us       p50_us       p95_us       p99_us
schedule              2        548.000        546.500   44.5      274.000      151.000      397.000      151.000      397.000      397.000
crunch                2        300.000        300.000   24.4      150.000      100.000      200.000      100.000      200.000      200.000
net_poll              1        250.000        250.000   20.4      250.000      250.000      250.000      250.000      250.000      250.000
default_idle          1         80.000         80.000    6.5       80.000       80.000       80.000       80.000       80.000       80.000
compute               1        312.000         12.000    1.0      312.000      312.000      312.000      312.000      312.000      312.000
wait_msg              1        160.000          9.000    0.7      160.000      160.000      160.000      160.000      160.000      160.000
serve                 1        170.000          7.000    0.6      170.000      170.000      170.000      170.000      170.000      170.000
timer_tick            1          5.000          5.000    0.4        5.000        5.000        5.000        5.000        5.000        5.000
handle                1        410.000          4.000    0.3      410.000      410.000      410.000      410.000      410.000      410.000
read_req              1        404.000          4.000    0.3      404.000      404.000      404.000      404.000      404.000      404.000
reply                 1          3.000          3.000    0.2        3.000        3.000        3.000        3.000        3.000        3.000
wait_io               1        400.000          3.000    0.2      400.000      400.000      400.000      400.000      400.000      400.000
parse                 1          2.000          2.000    0.2        2.000        2.000        2.000        2.000        2.000        2.000
pick_next             2          1.500          1.500    0.1        0.750        0.500        1.000        0.500        1.000        1.000

time: wall clock (--time wall): waiting counts as time in the call"
"$RB" --csv --top 2 "$est" >"$TMP/out" 2>"$TMP/err"
check "no timestamps: --csv mode on stderr" "$(cat "$TMP/err")" "$MODE_EST"
check "no timestamps: threads named comm-tid from the switch blocks" \
	"$("$RB" -q --no-plot --by thread --tid 3,7,9,12 "$est" | grep '^thread' | sort)" \
	"thread app-7
thread net-3
thread srv-12
thread work-9"
check "no timestamps, proc column: the estimate" "$("$RB" -q --no-plot "$C/offcpu-est-proc.txt" | sed -n '/^time/,$p')" \
"time: on the CPU $EST, waiting listed apart (switch information in 3 of 3 calls); idle, not work: 0.000 us in the idle task's calls

waiting (off the CPU inside a call; not work):
app-7                              20.000 us
(estimated: a call that switched out counts its whole self time as waiting, so the waiting includes the switches' own work on the CPU (switches: 1), which a trace without timestamps does not show (funcgraph-abstime measures it); the smallest self time of such a call is 20.000 us)

where (the call that switched out, then its callers):
app-7 waited 20.000 us in schedule <- read"
"$RB" -q --no-plot "$C/offcpu-2threads.txt" "$est" >"$TMP/out"
check "timestamps and none: the mode line says which part is estimated" "$(grep '^time' "$TMP/out")" \
	"time: on the CPU (estimated for 17 calls from traces without timestamps: waiting = self time of calls that switched out), waiting listed apart (switch information in 29 of 29 calls); idle, not work: 165.000 us in the idle task's calls"
# the same trace with its timestamps removed: the estimate is the measured waiting plus the
# switching call's own time on the CPU (schedule: 390 us measured, 6.5 us of work), never less
sed -E 's/^ +[0-9]+\.[0-9]+ \| //' "$two" >"$TMP/two-notime.txt"
check "estimate = measured waiting + the switch path's own work" \
	"$("$PT" -q "$TMP/two-notime.txt" | awk -F, 'NR > 1 && $10 > 0 { print $1, $2, $10 }')" \
	"schedule 7 396.500
wait_msg 12 150.000"
finish
