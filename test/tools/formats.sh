#!/usr/bin/env bash
# The other formats users arrive with (the parse-trace side is in cases/: fn-*.txt for the
# function tracer, tcmd-*.txt for trace-cmd report): runtime-breakdown's hit counts of
# function tracer input, from raw text and from parse-trace's CSV, and the CSV that Nanos's
# parse-trace.py writes (Python float reprs such as 1e-05, negative self times).
source "$(dirname "$0")/lib.sh"
C=$HERE/cases
fn=$C/fn-trace-header.txt

# hits of fn-trace-header.txt, counted by hand: vfs_write twice (caller ksys_write, threads
# 2001 and 4242), the others once; the tables are sorted by hits, then by name in byte order
"$RB" --no-plot "$fn" >"$TMP/out" 2>"$TMP/err"
expect_status "hits: status 0" 0 $?
check "hits: tables" "$(cat "$TMP/out")" "function                   hits
vfs_write                     2
\"odd,name\"                    1
ksys_write                    1
ovl_open [overlay]            1
tick_nohz_idle_enter          1

caller -> callee                           hits
ksys_write -> vfs_write                       2
do_dentry_open -> ovl_open [overlay]          1
do_idle -> tick_nohz_idle_enter               1
do_syscall_64 -> ksys_write                   1
ksys_write -> \"odd,name\"                      1"
check "hits: warnings" "$(cat "$TMP/err")" "$fn:22: CPU 1 lost 3 events"
"$RB" --csv "$fn" >"$TMP/raw.csv" 2>/dev/null
check "hits: --csv" "$(cat "$TMP/raw.csv")" "function,hits
vfs_write,2
\"\"\"odd,name\"\"\",1
ksys_write,1
ovl_open [overlay],1
tick_nohz_idle_enter,1

caller,callee,hits
ksys_write,vfs_write,2
do_dentry_open,ovl_open [overlay],1
do_idle,tick_nohz_idle_enter,1
do_syscall_64,ksys_write,1
ksys_write,\"\"\"odd,name\"\"\",1"
"$PT" -q "$fn" >"$TMP/hits.csv"
"$RB" --csv "$TMP/hits.csv" >"$TMP/from.csv" 2>"$TMP/err"
check_file "hits: parse-trace CSV gives the same tables as the raw text" "$TMP/from.csv" "$TMP/raw.csv"
check "hits: CSV read without warnings" "$(cat "$TMP/err")" ""
check "hits: --top 1" "$("$RB" --csv --top 1 "$fn" 2>/dev/null)" "function,hits
vfs_write,2

caller,callee,hits
ksys_write,vfs_write,2"
check "hits: --tid and --exclude" "$("$RB" --csv --tid 2001 --exclude ksys_write "$fn" 2>/dev/null)" \
	"function,hits
\"\"\"odd,name\"\"\",1
vfs_write,1

caller,callee,hits
ksys_write,\"\"\"odd,name\"\"\",1
ksys_write,vfs_write,1"
check "hits: time window from the timestamps" \
	"$("$RB" --csv --from-us 812500101 --to-us 812500301 "$fn" 2>/dev/null | sed -n 2,4p)" \
	"vfs_write,2
ovl_open [overlay],1
tick_nohz_idle_enter,1"
"$RB" --plot svg -o "$TMP/h" "$fn" >/dev/null 2>"$TMP/err"
check "hits: no charts, and said so" "$(tail -1 "$TMP/err")" \
	"runtime-breakdown: hit counts have no charts, none written"
# (wall clock: the durations as printed; offcpu.sh checks its time on the CPU)
check "hits: trace-cmd report of function_graph gives calls" \
	"$("$RB" -q --csv --time wall "$C/tcmd-graph.txt" | cut -d, -f1-4)" "function,calls,total_us,self_us
vfs_write,1,150.250,121.249
rw_verify_area,1,29.001,16.397
security_file_permission,1,12.604,12.192
read_config,1,2.310,2.310
fsnotify_perm,1,0.412,0.412
menu_select,1,0.150,0.150"

# Nanos's tools/trace-utilities/parse-trace.py writes function,tid,latency_us,latency_us_self
# with Python's float repr; its single stack gives negative self times. Totals by hand:
# f 0.00001 + 0.5 us = 0.500 (0.01 ns rounds to 0), self 0 (negative) + 0.25;
# g 1.5e+01 us = 15, self 2.5e-06 us rounds to 0; h -0.0 self is not negative.
printf 'function,tid,latency_us,latency_us_self\r\nf,0,1e-05,-2.5e-06\r\nf,0,0.5,0.25\r\ng,0,1.5e+01,2.5e-06\r\nh,0,3.0,-0.0\r\ng,0,12.25,-0.75\r\n' >"$TMP/nanos.csv"
"$RB" --csv "$TMP/nanos.csv" >"$TMP/out" 2>"$TMP/err"
expect_status "Nanos CSV: status 0" 0 $?
check "Nanos CSV: negative self times reported" "$(cat "$TMP/err")" \
	"$TMP/nanos.csv: 2 rows with a negative self time (their writer matched calls wrongly): counted as 0"
check "Nanos CSV: table" "$(cut -d, -f1-5 "$TMP/out")" "function,calls,total_us,self_us,mean_us
f,2,0.500,0.250,0.250
g,2,27.250,0.000,13.625
h,1,3.000,0.000,3.000"
printf 'function,tid,latency_us,latency_us_self\nf,0,1e,1\nf,0,-1,1\nf,0,1e-99999,1\n' >"$TMP/bad.csv"
"$RB" --csv "$TMP/bad.csv" >/dev/null 2>"$TMP/err"
check "Nanos-like CSV: malformed numbers still rejected" "$(cat "$TMP/err")" "$TMP/bad.csv:2: bad CSV field
$TMP/bad.csv:3: bad CSV field
$TMP/bad.csv:4: bad CSV field"
finish
