#!/usr/bin/env bash
# parse-trace --format sqlite, read back with Debian's sqlite3: the rows equal the CSV's,
# the documented queries (docs/sqlite.md, taken from the page itself) give the answers the
# page shows on the hand-computed cases/compute-2cpu.txt, the per-file capture table, the
# switches and their times, and the export's failure modes.
source "$(dirname "$0")/lib.sh"
C=$HERE/cases
DOC=$HERE/../../docs/sqlite.md
pt=$(realpath "$PT")

if ! command -v sqlite3 >/dev/null; then
	echo "ok - sqlite export # SKIP sqlite3 (Debian sqlite3) not installed"
	finish
	exit
fi

# doc_query N / doc_answer N: the Nth ```sql block of docs/sqlite.md, the block after it
doc_query() { awk -v n="$1" '/^```sql/ { k++; on = k == n; next } /^```/ { on = 0 } on' "$DOC"; }
doc_answer() {
	awk -v n="$1" '/^```sql/ { k++; state = k == n ? 1 : 0; next }
		/^```$/ && state == 1 { state = 2; next }	# end of the query
		/^```$/ && state == 2 { state = 3; next }	# start of its answer
		/^```$/ && state == 3 { exit }
		/^#/ && state == 2 { exit }			# no answer shown
		state == 3' "$DOC"
}
q() { sqlite3 "$1" "$2"; }

# every row of the CSV, rebuilt from the database (times back in us with 3 decimals)
us() { echo "CASE WHEN $1 IS NULL THEN '' ELSE printf('%d.%03d', $1 / 1000, $1 % 1000) END"; }
csv_from_db() {
	q "$1" "SELECT f.name, t.tid, $(us c.dur_ns), $(us c.self_ns), c.cpu, c.depth,
		$(us c.start_ns), ifnull(pf.name, ''), $(us c.offcpu_ns), $(us c.offcpu_self_ns),
		ifnull(t.comm, '')
		FROM calls c JOIN functions f ON f.id = c.function_id JOIN threads t ON t.id = c.thread_id
		LEFT JOIN calls p ON p.id = c.parent_id LEFT JOIN functions pf ON pf.id = p.function_id" |
		tr '|' ',' | sort
}

(cd "$C" && "$pt" -q -f sqlite -o "$TMP/c.db" compute-2cpu.txt)
expect_status "sqlite: written" 0 $?
check "sqlite: tables and view" "$(q "$TMP/c.db" "SELECT name FROM sqlite_master
	WHERE type IN ('table', 'view') ORDER BY name" | tr '\n' ' ')" \
	"allocations call_names calls capture functions net_io samples spans stack_frames stacks switches threads "
check "sqlite: indexes" "$(q "$TMP/c.db" "SELECT name FROM sqlite_master WHERE type = 'index'
	AND name NOT LIKE 'sqlite_%' ORDER BY name" | tr '\n' ' ')" \
	"allocations_stack calls_function calls_parent calls_start samples_stack samples_thread spans_name spans_thread stack_frames_function switches_cpu "
check "sqlite: no .part file left" "$(ls "$TMP" | grep -c part)" "0"

for n in 1 3 4 5 10; do
	check "sqlite: docs/sqlite.md query $n gives the documented answer" \
		"$(doc_query $n | sqlite3 "$TMP/c.db")" "$(doc_answer $n)"
done

check "sqlite: capture row" "$(q "$TMP/c.db" 'SELECT * FROM capture')" \
	"1|compute-2cpu.txt|function_graph|parse-trace 0.1.0|39|31|21|0|0|0|0|2|3|1|100000010000|100000050000|$(head -4 "$C/compute-2cpu.txt")"
"$PT" -q -f sqlite -o "$TMP/t.db" "$C/tcmd-graph.txt"
check "sqlite: trace-cmd report's preamble is its header" \
	"$(q "$TMP/t.db" "SELECT format || ': ' || replace(header, char(10), '/') FROM capture")" \
	"trace-cmd report: version = 6/CPU 0 is empty/cpus=2/"
check "sqlite: threads named comm-tid" "$(q "$TMP/c.db" 'SELECT * FROM threads ORDER BY tid')" \
	"2|1|0|<idle>|<idle>-0
1|1|3|worker|worker-3
3|1|4|worker|worker-4"
# the block before worker-4's first line (100.000020) on CPU 1, line 12 of the file
check "sqlite: the switch block, timed by the next line of its CPU" \
	"$(q "$TMP/c.db" 'SELECT s.line, s.cpu, p.name, n.name, s.ts_ns FROM switches s
	JOIN threads p ON p.id = s.prev_thread_id JOIN threads n ON n.id = s.next_thread_id')" \
	"12|1|<idle>-0|worker-4|100000020000"
# a trace with sched_switch events has both kinds: the events at their own time, the
# blocks at the next line of their CPU
"$PT" -q -f sqlite -o "$TMP/s.db" "$C/offcpu-schedsw.txt"
check "sqlite: sched_switch events and blocks" "$(q "$TMP/s.db" 'SELECT s.kind, s.line, s.cpu,
	p.name, n.name, s.ts_ns FROM switches s JOIN threads p ON p.id = s.prev_thread_id
	JOIN threads n ON n.id = s.next_thread_id ORDER BY s.id')" \
	"sched_switch|10|0|app-7|work-9|10000005000
block|12|0|app-7|work-9|10000010000
sched_switch|18|0|work-9|app-7|10000399000
block|20|0|work-9|app-7|10000400000
block|29|0|app-7|<idle>-0|10000411000"
"$PT" -q -f sqlite -o "$TMP/o.db" "$C/offcpu-2threads.txt"
# (crunch's caller, compute, is known by its tail only: linked here, empty in the CSV)
check "sqlite: offcpu columns = the CSV's" "$(csv_from_db "$TMP/o.db" | cut -d, -f1-7,9-)" \
	"$("$PT" -q "$C/offcpu-2threads.txt" | tail -n +2 | cut -d, -f1-7,9- | sort)"
check "sqlite: docs/sqlite.md query 8 (off-CPU time by call path), hand-computed" \
	"$(doc_query 8 | sqlite3 "$TMP/o.db")" "$(doc_answer 8)"
check "sqlite: ids in entry order, parents resolved" \
	"$(q "$TMP/c.db" "SELECT group_concat(f.name || ':' || ifnull(c.parent_id, '-'), ' ')
	FROM (SELECT * FROM calls WHERE thread_id = 3 ORDER BY id) c
	JOIN functions f ON f.id = c.function_id")" \
	"compute_worker:- compute_work:7 fib:8 fib:9 fib:10 fib:10 fib:9 table_insert:8 mix:19"

# app spans (cases/spans-2cpu.txt, worked out by hand): webg-5 ends GET /x and GET /z and
# leaves GET /y open; webg-6's GET /slow holds a db_query span, ended before it
(cd "$C" && "$pt" -q -f sqlite -o "$TMP/sp.db" spans-2cpu.txt)
expect_status "sqlite: spans: written" 0 $?
check "sqlite: spans: row counts (calls = CSV rows)" \
	"$(q "$TMP/sp.db" 'SELECT (SELECT count(*) FROM calls), (SELECT count(*) FROM spans),
	(SELECT count(*) FROM threads)')" "$(($(wc -l <"$C/spans-2cpu.csv") - 1))|5|2"
check "sqlite: spans: every span, hand-computed" \
	"$(q "$TMP/sp.db" "SELECT t.name, s.cpu, s.name, s.args, ifnull(s.begin_ns, '-'),
	ifnull(s.end_ns, '-'), ifnull(s.dur_ns, '-'), s.depth FROM spans s
	JOIN threads t ON t.id = s.thread_id ORDER BY s.id")" \
	"webg-5|0|GET /x|status=200|200000010000|200000030000|20000|0
webg-5|0|GET /z|status=404|200000032000|200000035000|3000|0
webg-6|1|db_query|table=users|200000017000|200000039000|22000|1
webg-6|1|GET /slow|status=500|200000012000|200000050000|38000|0
webg-5|0|GET /y||200000060000|-|-|0"
check "sqlite: spans: docs/sqlite.md query 14 (slowest requests, what they called)" \
	"$(doc_query 14 | sqlite3 "$TMP/sp.db")" "$(doc_answer 14)"
# the same without funcgraph-abstime: the spans and their nesting, no times
sed -E 's/^ +[0-9]+\.[0-9]+ \| / /' "$C/spans-2cpu.txt" >"$TMP/spans-noabs.txt"
"$PT" -q -f sqlite -o "$TMP/spn.db" "$TMP/spans-noabs.txt"
check "sqlite: spans: without timestamps, NULL times" \
	"$(q "$TMP/spn.db" "SELECT group_concat(name || ':' || depth || ':' || ifnull(begin_ns, '-') ||
	ifnull(end_ns, '-') || ifnull(dur_ns, '-'), ' ') FROM (SELECT * FROM spans ORDER BY id)")" \
	"GET /x:0:--- GET /z:0:--- db_query:1:--- GET /slow:0:--- GET /y:0:---"
check "sqlite: spans: a trace without span events has none" \
	"$(q "$TMP/c.db" 'SELECT count(*) FROM spans')" "0"
(cd "$C" && "$pt" -q -f sqlite -o "$TMP/sp2.db" spans-2cpu.txt compute-2cpu.txt spans-2cpu.txt)
check "sqlite: spans: per capture, on that capture's threads" \
	"$(q "$TMP/sp2.db" 'SELECT s.capture_id, count(*), sum(t.capture_id = s.capture_id)
	FROM spans s JOIN threads t ON t.id = s.thread_id GROUP BY s.capture_id')" "1|5|5
3|5|5"

"$GEN" --calls 20000 --cpus 2 --threads 5 --proc --abstime --seed 11 >"$TMP/g.txt" 2>/dev/null
"$PT" -q "$TMP/g.txt" >"$TMP/g.csv"
"$PT" -q -f sqlite -o "$TMP/g.db" "$TMP/g.txt"
check "sqlite: row count = CSV rows (generated trace)" "$(q "$TMP/g.db" 'SELECT count(*) FROM calls')" \
	"$(($(wc -l <"$TMP/g.csv") - 1))"
check "sqlite: every CSV row, field by field (generated trace)" "$(csv_from_db "$TMP/g.db")" \
	"$(tail -n +2 "$TMP/g.csv" | sort)"
check "sqlite: capture counts = parse-trace's summary" \
	"$(q "$TMP/g.db" 'SELECT lines, calls, cpus, threads FROM capture')" \
	"$("$PT" "$TMP/g.txt" 2>&1 >/dev/null | sed -E 's/.*: ([0-9]+) lines, ([0-9]+) calls.*/\1|\2/')|2|5"
check "sqlite: no parent_id dangles in a complete trace" \
	"$(q "$TMP/g.db" 'SELECT count(*) FROM calls c LEFT JOIN calls p ON p.id = c.parent_id
	WHERE c.parent_id IS NOT NULL AND p.id IS NULL')" "0"
"$PT" -q -f folded "$TMP/g.txt" | sort >"$TMP/g.folded"
check "sqlite: query 10 (self time per path) = --format folded" \
	"$(doc_query 10 | sqlite3 "$TMP/g.db" | tr '|' ' ' | sort)" "$(cat "$TMP/g.folded")"

# a real capture (test/tools/captures, make TRACE=ftrace TARGET=compute capture): every
# row, and fib first by self time in both workers, with the CSV's sums
cap=$HERE/captures/compute-2cpu.txt.zst
"$PT" -q -f sqlite -o "$TMP/r.db" "$cap"
check "sqlite: a real compute capture, every CSV row" "$(csv_from_db "$TMP/r.db")" \
	"$("$PT" -q "$cap" | tail -n +2 | sort)"
check "sqlite: a real compute capture, glass's header with its untraced-call counts" \
	"$(q "$TMP/r.db" 'SELECT header FROM capture' | sed -n 3p)" \
	"# untraced calls: 4 recursion, 0 overflow, 0 abandoned"
check "sqlite: a real compute capture, query 1: fib first in each worker" \
	"$(doc_query 1 | sqlite3 "$TMP/r.db" | awk -F'|' '!seen[$1]++')" \
	"$("$PT" -q "$cap" | awk -F, '$1 == "fib" { gsub(/\./, "", $4); s[$11 "-" $2] += $4; n[$11 "-" $2]++ }
		END { for (t in s) print t "|fib|" s[t] "|" n[t] }' | sort)"

# partial traces: the CSV's rows but for the caller: inner's (middle, named by its tail
# only) has a row and is linked, while the callers of middle and bar (no entry, no name)
# and of do_IRQ (foo, whose return was lost) have none
"$PT" -q -f sqlite -o "$TMP/p.db" "$C/partial-tails.txt"
check "sqlite: partial trace rows = CSV rows" "$(csv_from_db "$TMP/p.db" | cut -d, -f1-7,9-)" \
	"$("$PT" -q "$C/partial-tails.txt" | tail -n +2 | cut -d, -f1-7,9- | sort)"
check "sqlite: partial trace, callers" "$(q "$TMP/p.db" "SELECT f.name, ifnull(pf.name, '-'),
	c.parent_id IS NULL FROM calls c JOIN functions f ON f.id = c.function_id
	LEFT JOIN calls p ON p.id = c.parent_id LEFT JOIN functions pf ON pf.id = p.function_id
	ORDER BY c.id" | tr '\n' ' ')" \
	"middle|-|0 inner|middle|0 do_IRQ|-|0 handle|do_IRQ|0 bar|-|0 leaf|-|1 pick|-|1 ovl_open [overlay]|pick|0 "
"$PT" -q -f sqlite -o "$TMP/n.db" "$HERE/../golden/trace/graph-tapio_.txt"
check "sqlite: no duration column gives NULL times" \
	"$(q "$TMP/n.db" 'SELECT count(*) = sum(dur_ns IS NULL AND self_ns IS NULL) FROM calls')" "1"

(cd "$C" && "$pt" -q -f sqlite -o "$TMP/two.db" compute-2cpu.txt nested-2cpu.txt)
check "sqlite: one capture row per file, threads per capture" \
	"$(q "$TMP/two.db" 'SELECT c.id, c.source, c.calls, count(t.id) FROM capture c
	JOIN threads t ON t.capture_id = c.id GROUP BY c.id')" \
	"1|compute-2cpu.txt|21|3
2|nested-2cpu.txt|6|1"
echo stale >"$TMP/two.db"
(cd "$C" && "$pt" -q -f sqlite -o "$TMP/two.db" nested-2cpu.txt)
check "sqlite: an existing file is replaced" "$(q "$TMP/two.db" 'SELECT count(*) FROM calls')" "6"

"$PT" -f sqlite "$C/nested-2cpu.txt" >/dev/null 2>"$TMP/err"
expect_status "sqlite: without -o is a usage error" 2 $?
check "sqlite: without -o, the message" "$(head -1 "$TMP/err")" \
	"parse-trace: --format sqlite needs -o FILE (a database is not a stream)"
"$PT" -q -f sqlite -o "$TMP/no/such/dir/x.db" "$C/nested-2cpu.txt" 2>"$TMP/err"
expect_status "sqlite: unwritable path is status 1" 1 $?
check "sqlite: unwritable path, the message" "$(cat "$TMP/err")" \
	"$TMP/no/such/dir/x.db: sqlite: cannot create the database: unable to open database file"
"$PT" -q -f sqlite -o "$TMP/f.db" "$C/fn-trace-header.txt" 2>/dev/null
expect_status "sqlite: function tracer hits are refused" 1 $?
(cd "$C" && "$pt" -q -f sqlite -o "$TMP/m.db" nested-2cpu.txt fn-trace-header.txt 2>/dev/null)
expect_status "sqlite: a function tracer file among traces: status 1" 1 $?
check "sqlite: ... and no capture row for it" "$(q "$TMP/m.db" 'SELECT id, source FROM capture')" \
	"1|nested-2cpu.txt"
finish
