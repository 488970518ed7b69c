#!/usr/bin/env bash
# Bad input never crashes the tools (they run under ASan/UBSan here) and always gets a clear
# message and the documented exit status: truncated lines, binary garbage, 10000-deep
# nesting, unknown formats, huge lines, empty input, broken zstd, missing files.
source "$(dirname "$0")/lib.sh"
C=$HERE/cases
n2=$C/nested-2cpu.txt

# every prefix length of a sample cut mid-line parses without a crash
crashes=0
size=$(wc -c <"$n2")
for cut in $(seq 1 7 "$size"); do
	head -c "$cut" "$n2" >"$TMP/cut"
	"$PT" -q "$TMP/cut" >/dev/null 2>&1
	[ $? -gt 1 ] && crashes=$((crashes + 1))
done
check "truncated at every 7th byte: no crash" "$crashes" "0"
head -c 200 "$n2" | "$PT" >/dev/null 2>"$TMP/err"
check "truncated line reported" "$(head -1 "$TMP/err")" "<stdin>:7: missing function text"
check "calls cut off reported" "$(sed -n 2,3p "$TMP/err")" "<stdin>:7: call to a (depth 0) has no return
<stdin>:7: call to x (depth 0) has no return"

"$PT" "$PT" >/dev/null 2>"$TMP/err"
expect_status "binary file: status 1" 1 $?
grep -q 'binary data, not trace text' "$TMP/err" && ok "binary file: reason" || not_ok "binary file: reason" "$(head -2 "$TMP/err")"
check "binary file: warnings capped" "$(grep -c ': binary data\|: no CPU field\|: malformed' "$TMP/err")" "20"
tail -1 "$TMP/err" | grep -q 'no function_graph, function or trace-cmd report lines found' && ok "binary file: closing message" || not_ok "binary file: closing message" "$(tail -1 "$TMP/err")"

awk 'BEGIN { d = 10000
	for (i = 0; i < d; i++) printf " 0)               |  %*sf%d() {\n", 2 * i, "", i
	for (i = d - 1; i >= 0; i--) printf " 0)   1.000 us    |  %*s}\n", 2 * i, "" }' >"$TMP/deep"
"$PT" "$TMP/deep" >"$TMP/deep.csv" 2>"$TMP/err"
expect_status "10000-deep nesting: status 0" 0 $?
check "10000-deep nesting: all rows" "$(($(wc -l <"$TMP/deep.csv") - 1))" "10000"
check "10000-deep nesting: innermost first" "$(sed -n 2p "$TMP/deep.csv")" "f9999,-1,1.000,1.000,0,9999,,f9998,,,"

printf '# tracer: wakeup\n#\n' >"$TMP/wakeup"
"$PT" "$TMP/wakeup" >"$TMP/out" 2>"$TMP/err"
expect_status "another tracer's trace: status 1" 1 $?
check "another tracer's trace: message" "$(cat "$TMP/err")" \
	"$TMP/wakeup:1: not a function_graph, function or nop trace (tracer: wakeup)"
check "another tracer's trace: no output" "$(cat "$TMP/out")" ""
# a nop trace is read for its profile events: without any, there is nothing to write
printf '# tracer: nop\n#\n' >"$TMP/nop"
"$PT" -q "$TMP/nop" >"$TMP/out" 2>"$TMP/err"
expect_status "nop trace without profile events: status 1" 1 $?
check "nop trace without profile events: message" "$(cat "$TMP/err")" \
	"$TMP/nop: no profile events (profile_sample, offcpu_stack, alloc, free, net_io) in a nop trace"
check "nop trace without profile events: no output" "$(cat "$TMP/out")" ""
printf '# tracer: nop\n#\n  compute/0-28  [000] .....  0.304776: profile_sample: hz=99 stack=2: fib <- compute_work\n' >"$TMP/nopcsv"
"$PT" -q "$TMP/nopcsv" >"$TMP/out" 2>"$TMP/err"
expect_status "profile events as CSV: status 1" 1 $?
check "profile events as CSV: message" "$(cat "$TMP/err")" \
	"$TMP/nopcsv: profile events are written by --format pprof, folded, sqlite or perfetto, not csv"
check "profile events as CSV: no output" "$(cat "$TMP/out")" ""
"$PT" "$C/nested-2cpu.csv" >/dev/null 2>"$TMP/err"
expect_status "CSV given to parse-trace: status 1" 1 $?
check "CSV given to parse-trace: message" "$(tail -1 "$TMP/err")" "$C/nested-2cpu.csv: no function_graph, function or trace-cmd report lines found"

{ head -6 "$n2"; head -c 1000000 /dev/zero | tr '\0' x; echo; tail -7 "$n2"; } >"$TMP/huge"
"$PT" "$TMP/huge" >"$TMP/huge.csv" 2>"$TMP/err"
expect_status "1 MB line: status 0" 0 $?
check "1 MB line: reported" "$(head -1 "$TMP/err")" "$TMP/huge:7: line longer than 65536 bytes skipped"
check_file "1 MB line: the other lines still parsed" "$TMP/huge.csv" "$C/nested-2cpu.csv"

: >"$TMP/empty"
"$PT" -q "$TMP/empty" >"$TMP/out" 2>"$TMP/err"
expect_status "empty input: status 1" 1 $?
check "empty input: no output, not even a header" "$(cat "$TMP/out")" ""
check "empty input: message" "$(cat "$TMP/err")" "$TMP/empty: no trace lines"
"$PT" -q </dev/null >"$TMP/out" 2>"$TMP/err"
expect_status "empty stdin: status 1" 1 $?
check "empty stdin: message" "$(cat "$TMP/err")" "<stdin>: no trace lines"
printf '\n\n' | "$PT" -q >/dev/null 2>"$TMP/err"
expect_status "blank lines only: status 1" 1 $?
check "blank lines only: message" "$(cat "$TMP/err")" "<stdin>: no trace lines"
printf '# tracer: function_graph\n#\n# CPU  DURATION                  FUNCTION CALLS\n' >"$TMP/hdr"
check "header without events: CSV header, status 0" "$("$PT" -q "$TMP/hdr"; echo "status $?")" \
	"function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent,offcpu_us,offcpu_us_self,comm
status 0"

zstd -q -c "$n2" | head -c 60 >"$TMP/trunc.zst"
"$PT" "$TMP/trunc.zst" >/dev/null 2>"$TMP/err"
expect_status "truncated zstd: status 1" 1 $?
check "truncated zstd: message" "$(cat "$TMP/err")" "$TMP/trunc.zst: truncated zstd stream"
{ printf '\x28\xb5\x2f\xfd'; head -c 300 "$PT"; } >"$TMP/bad.zst"
"$PT" "$TMP/bad.zst" >/dev/null 2>&1
expect_status "corrupt zstd: status 1" 1 $?
"$PT" "$TMP/missing" >"$TMP/out" 2>"$TMP/err"
expect_status "missing file: status 1" 1 $?
check "missing file: message" "$(cat "$TMP/err")" "$TMP/missing: No such file or directory"
check "missing file: no CSV header" "$(cat "$TMP/out")" ""
"$PT" -q "$TMP/missing" "$n2" >"$TMP/out" 2>/dev/null
expect_status "missing file, then a trace: status 1" 1 $?
check_file "missing file, then a trace: its rows" "$TMP/out" "$C/nested-2cpu.csv"

# function tracer hits and function_graph calls need different columns
"$PT" -q "$n2" "$C/fn-pipe-4flags.txt" >"$TMP/out" 2>"$TMP/err"
expect_status "graph then function trace: status 1" 1 $?
check "graph then function trace: message" "$(cat "$TMP/err")" \
	"$C/fn-pipe-4flags.txt: function text cannot share one output with the calls of the files before it"
check_file "graph then function trace: the graph rows" "$TMP/out" "$C/nested-2cpu.csv"
"$PT" -q "$C/fn-pipe-4flags.txt" "$n2" >"$TMP/out" 2>"$TMP/err"
expect_status "function then graph trace: status 1" 1 $?
check "function then graph trace: message" "$(cat "$TMP/err")" \
	"$n2: function_graph text cannot share one output with the function tracer hits of the files before it"
check_file "function then graph trace: the hits" "$TMP/out" "$C/fn-pipe-4flags.csv"
"$PT" -q -f chrome "$C/fn-pipe-4flags.txt" >"$TMP/out" 2>"$TMP/err"
expect_status "function trace as chrome: status 1" 1 $?
check "function trace as chrome: message" "$(cat "$TMP/err")" \
	"$C/fn-pipe-4flags.txt: function tracer hits can only be written as CSV"
check "function trace as chrome: no output" "$(cat "$TMP/out")" ""

# the error threshold and --strict
{ cat "$n2"; for i in $(seq 100); do echo "junk $i"; done; } >"$TMP/junk100"
{ cat "$TMP/junk100"; echo "junk 101"; } >"$TMP/junk101"
"$PT" -q "$TMP/junk100" >/dev/null 2>&1
expect_status "100 bad lines: status 0" 0 $?
"$PT" "$TMP/junk101" >/dev/null 2>"$TMP/err"
expect_status "101 bad lines: status 1" 1 $?
check "101 bad lines: message" "$(tail -1 "$TMP/err")" "$TMP/junk101: 101 unparsable lines (more than 100)"
"$PT" --max-errors 101 -q "$TMP/junk101" >/dev/null 2>&1
expect_status "--max-errors 101" 0 $?
"$PT" --strict "$C/partial-tails.txt" >/dev/null 2>"$TMP/err"
expect_status "--strict stops at the first warning" 1 $?
check "--strict message" "$(cat "$TMP/err")" "$C/partial-tails.txt:3: return at depth 1 has no entry and no function name"
"$PT" --strict -q "$n2" >/dev/null
expect_status "--strict on a clean trace" 0 $?

# runtime-breakdown on bad CSV
printf 'function,tid,latency_us\nf,1,1.5\nf,x,2\n"g,1,1\nh,1,-3\n' >"$TMP/bad.csv"
"$RB" --csv "$TMP/bad.csv" >"$TMP/out" 2>"$TMP/err"
expect_status "bad CSV rows: status 0" 0 $?
check "bad CSV rows: messages" "$(cat "$TMP/err")" "$TMP/bad.csv:1: no latency_us_self column: self times are unknown and shown as 0
$TMP/bad.csv:3: bad CSV field
$TMP/bad.csv:4: malformed CSV line
$TMP/bad.csv:5: bad CSV field"
check "bad CSV rows: good rows kept" "$(sed -n 2p "$TMP/out")" "f,1,1.500,0.000,1.500,1.500,1.500,1.500,1.500,1.500"
printf 'name,time\nf,1\n' >"$TMP/nohdr.csv"
"$RB" "$TMP/nohdr.csv" >/dev/null 2>"$TMP/err"
expect_status "CSV without our columns: status 1" 1 $?
"$RB" "$PT" >/dev/null 2>"$TMP/err"
expect_status "runtime-breakdown on binary: status 1" 1 $?
tail -1 "$TMP/err" | grep -q "neither parse-trace CSV nor function_graph, function or trace-cmd report text" && ok "runtime-breakdown on binary: message" || not_ok "runtime-breakdown on binary: message" "$(tail -1 "$TMP/err")"
"$RB" --no-plot "$TMP/empty" >/dev/null 2>"$TMP/err"
expect_status "runtime-breakdown on empty input: status 1" 1 $?
check "runtime-breakdown on empty input: message" "$(cat "$TMP/err")" "$TMP/empty: no trace lines"

# rows without a duration, CSV without self times or start times: said, not hidden
printf 'function,tid,latency_us,latency_us_self\nf,1,,\nf,1,2,1\n' >"$TMP/nolat.csv"
"$RB" --csv "$TMP/nolat.csv" >"$TMP/out" 2>"$TMP/err"
expect_status "rows without latency_us: status 0" 0 $?
check "rows without latency_us: message" "$(cat "$TMP/err")" \
	"$TMP/nolat.csv: 1 rows without latency_us: counted as calls, not in the times"
check "rows without latency_us: counted, not timed" "$(sed -n 2p "$TMP/out")" \
	"f,2,2.000,1.000,2.000,2.000,2.000,2.000,2.000,2.000"
printf 'function,tid,latency_us\nf,1,2\n' >"$TMP/noself.csv"
"$RB" --csv "$TMP/noself.csv" >/dev/null 2>"$TMP/err"
expect_status "no latency_us_self column: status 0" 0 $?
check "no latency_us_self column: message" "$(cat "$TMP/err")" \
	"$TMP/noself.csv:1: no latency_us_self column: self times are unknown and shown as 0"
"$RB" --csv --from-us 1 "$TMP/noself.csv" >/dev/null 2>"$TMP/err"
expect_status "--from-us without start_us: status 1" 1 $?
check "--from-us without start_us: message" "$(tail -1 "$TMP/err")" \
	"$TMP/noself.csv:1: no start_us column, so --from-us/--to-us select no call (parse-trace writes start times for traces with funcgraph-abstime)"
"$RB" --csv --to-us 1 "$n2" >/dev/null 2>"$TMP/err"
expect_status "--to-us on a trace without abstime: status 1" 1 $?
check "--to-us on a trace without abstime: message" "$(cat "$TMP/err")" \
	"$n2: no call has a start time, so --from-us/--to-us select none (start times need funcgraph-abstime)"
"$RB" -q --csv --from-us 0 "$C/proc-abstime-migrate.txt" >/dev/null 2>&1
expect_status "--from-us on a trace with abstime: status 0" 0 $?

"$RB" --sort bogus "$n2" >/dev/null 2>&1
expect_status "runtime-breakdown usage error" 2 $?
"$RB" --serve >/dev/null 2>&1 </dev/null
expect_status "--serve without files is a usage error" 2 $?
finish
