#!/usr/bin/env bash
# The sampling profiler's boot tests (docs/profiling.md), under TCG on 2 CPUs:
#  1. compute (1000 rounds) with current_tracer nop and profile_sample at 10 kHz: samples on
#     both CPUs, every stack of the workload threads real (ends in compute_worker <-
#     thread_entry <- thread_start, fib only under fib or compute_work), one stack per id;
#     go tool pprof -top puts fib first and -traces shows its stacks; folded and sqlite
#     agree with the text.
#  2. under function_graph (compute_worker and compute_work traced) with sampling at 10 kHz:
#     the calls are exact and the samples come as comments with real stacks (with
#     FGRAPH=hijack, the return addresses it replaced resolved through its shadow stack).
#  3. off-CPU: compute_nap_ms=40 charges at least 40 ms to compute_nap's stack.
#  4. allocations: compute's thread_create allocations (stack pages, thread structs) come
#     with their stacks and sizes, each matched by its free.
#  5. over HTTP (hello): profile_frequency checks its range, profile_stats and raw_header
#     count the samples, stack_table and raw_header list the same stacks, a capture made
#     after the buffers (and the stacks' definitions) were cleared resolves them; net_io records
#     the HTTP server's bytes per connection with the stacks that moved them.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh
BOOT_TIMEOUT=240
dir=$O/profile-tests
rm -rf "$dir"; mkdir -p "$dir"

make -s --no-print-directory O="$O" "$O/bin/parse-trace" "$O/bin/glass" >&2 ||
	{ not_ok "build parse-trace and glass"; exit 1; }
parse=$O/bin/parse-trace
compute=$(build_kernel compute ftrace) || { not_ok "build compute TRACE=ftrace"; exit 1; }
hello=$(build_kernel hello ftrace) || { not_ok "build hello TRACE=ftrace"; exit 1; }
have_go=1
command -v go >/dev/null || have_go=0
# go writes its build cache under HOME; CI's HOME may not be writable
export HOME=$dir/home GOCACHE=$dir/gocache
mkdir -p "$HOME"

# dump_boot NAME KERNEL APPEND: boots with trace_dump=1, leaves the trace in $dir/NAME.trace.
dump_boot() {
	local name=$1 log=$dir/$1.log
	boot "$2" 2 0 "$log" "trace_dump=1 $3"
	expect_status "$name" 0 "$log" || return 1
	tr -d '\r' <"$log" | sed -n '/^=== glass trace begin ===$/,/^=== glass trace end ===$/p' |
		sed '1d;$d' >"$dir/$name.trace"
}

# --- 1. nop tracer, 10 kHz ---
n=nop
if dump_boot $n "$compute" "ftrace=nop trace_event=profile_sample profile_frequency=10000 compute_rounds=1000"; then
	t=$dir/$n.trace
	work=$(grep -E '^ *compute/[01]-[0-9]+ +\[00[01]\].*profile_sample: hz=10000 ' "$t")
	c0=$(grep -c '\[000\]' <<<"$work"); c1=$(grep -c '\[001\]' <<<"$work")
	[ "$c0" -ge 100 ] && [ "$c1" -ge 100 ] && ok "profile: nop: workload samples on both CPUs ($c0, $c1)" ||
		not_ok "profile: nop: workload samples on both CPUs ($c0, $c1; want >= 100 each)"
	# (or the thread's own start and end: thread_entry before and after compute_worker)
	bad=$(grep -v 'compute_worker <- thread_entry <- thread_start$' <<<"$work" |
		grep -vE 'stack=[0-9]+: thread_entry <- thread_start$' | grep -cv 'thread_exit' || true)
	[ "$bad" -eq 0 ] && ok "profile: nop: every workload stack ends in compute_worker <- thread_entry <- thread_start" ||
		{ not_ok "profile: nop: $bad workload stacks do not end in compute_worker"; grep -v 'compute_worker <- thread_entry <- thread_start$' <<<"$work" | head -3 | sed 's/^/#   /'; }
	badfib=$(grep -E 'stack=[0-9]+: fib ' <<<"$work" |
		grep -cvE 'stack=[0-9]+: (fib <- )+compute_work <- compute_worker <- thread_entry <- thread_start$' || true)
	nfib=$(grep -cE 'stack=[0-9]+: fib ' <<<"$work")
	[ "$nfib" -gt 0 ] && [ "$badfib" -eq 0 ] && ok "profile: nop: fib's $nfib stacks are fib <- ... <- compute_work" ||
		not_ok "profile: nop: fib stacks ($nfib, $badfib not fib <- ... <- compute_work)"
	ids=$(grep -oE 'stack=[0-9]+: .*' "$t" | sort -u | awk -F: '{print $1}' | uniq -d | wc -l)
	[ "$ids" -eq 0 ] && ok "profile: nop: each stack id names one stack" || not_ok "profile: nop: $ids stack ids name two stacks"
	flagged=$(grep -c 'flags=' <<<"$work" || true)
	[ "$flagged" -eq 0 ] && ok "profile: nop: no workload walk ended at a bad frame" || not_ok "profile: nop: $flagged workload walks flagged"

	# fib, merge_halves and sort_range take some 20-35 % each; their order varies with
	# where TCG lets the timer interrupt in (tools/profile.sh checks exact ranks on a
	# recorded capture). Here: fib leads or is second with 20 % or more, and the three
	# exports of the same samples agree on the two leading leaves.
	"$parse" -q -f folded "$t" >"$dir/$n.folded" 2>"$dir/$n.err" &&
		top=$(awk '{n = split($1, f, ";"); w[f[n]] += $2; s += $2} END {for (k in w) print w[k], k, int(100 * w[k] / s)}' "$dir/$n.folded" |
			sort -k1,1nr -k2,2 | head -2 | awk '{printf "%d %s ", $3, $2}')
	lead2=$(echo "$top" | awk '{print $2; print $4}' | sort | tr '\n' ' ')
	case "$top" in
	[2-9][0-9]\ fib\ [1-9][0-9]\ *|[2-9][0-9]\ *\ [2-9][0-9]\ fib\ )
		ok "profile: nop: fib is one of folded's two leading leaves, 20 % or more ($top)" ;;
	*) not_ok "profile: nop: folded's leading leaves are '$top'" ;;
	esac
	samples=$(grep -c 'profile_sample: ' "$t")
	if "$parse" -q -f sqlite -o "$dir/$n.db" "$t" 2>"$dir/$n.err"; then
		rows=$(sqlite3 "$dir/$n.db" "SELECT count(*) FROM samples WHERE kind = 'cpu'")
		leaf=$(sqlite3 "$dir/$n.db" "SELECT f.name FROM samples s JOIN stacks k ON k.id = s.stack_id JOIN functions f ON f.id = k.function_id JOIN threads t ON t.id = s.thread_id WHERE t.tid != 0 GROUP BY f.name ORDER BY count(*) DESC, f.name LIMIT 2" | sort | tr '\n' ' ')
		frames=$(sqlite3 "$dir/$n.db" "SELECT count(*) FROM stacks k WHERE k.depth != (SELECT count(*) FROM stack_frames f WHERE f.stack_id = k.id)")
		[ "$rows" = "$samples" ] && [ "$leaf" = "$lead2" ] && [ "$frames" = 0 ] &&
			ok "profile: nop: sqlite has the $samples samples, folded's two leading leaves ($lead2), every stack's frames" ||
			not_ok "profile: nop: sqlite samples $rows (want $samples), top leaf '$leaf', $frames stacks with wrong frames"
	else
		not_ok "profile: nop: parse-trace -f sqlite: $(head -2 "$dir/$n.err")"
	fi
	if [ $have_go = 1 ] && "$parse" -q -f pprof -o "$dir/$n.pb.gz" "$t" 2>"$dir/$n.err"; then
		go tool pprof -top "$dir/$n.pb.gz" >"$dir/$n.top" 2>&1
		first=$(awk '/flat%/ {getline; a = $6; getline; print a, $6; exit}' "$dir/$n.top" | tr ' ' '\n' | sort | tr '\n' ' ')
		[ "$first" = "$lead2" ] && ok "profile: nop: go tool pprof -top puts folded's two leading leaves first ($lead2)" ||
			{ not_ok "profile: nop: go tool pprof -top's first are '$first'"; head -12 "$dir/$n.top" | sed 's/^/#   /'; }
		go tool pprof -traces "$dir/$n.pb.gz" >"$dir/$n.traces" 2>&1
		if awk '/^-+\+/ {blk = ""; next} {blk = blk " " $NF} /thread_start/ && blk ~ / fib fib( fib)* compute_work compute_worker thread_entry thread_start/ {found = 1} END {exit !found}' "$dir/$n.traces" &&
			grep -q 'thread:  compute/0-' "$dir/$n.traces" && grep -q 'cpu:  1' "$dir/$n.traces"; then
			ok "profile: nop: go tool pprof -traces shows fib's real stacks with thread and CPU labels"
		else
			not_ok "profile: nop: go tool pprof -traces lacks fib <- fib <- ... <- compute_work stacks or labels"
		fi
	elif [ $have_go = 0 ]; then
		ok "profile: nop: go tool pprof # SKIP go is not installed"
	else
		not_ok "profile: nop: parse-trace -f pprof: $(head -2 "$dir/$n.err")"
	fi
fi

# --- 2. alongside function_graph ---
# compute_worker and compute_work traced (with FGRAPH=hijack their return addresses are
# return_to_handler), 20 rounds: the samples under them must show the real callers.
n=graph
if dump_boot $n "$compute" "ftrace_graph_filter=compute_worker ftrace_graph_max_depth=2 trace_event=profile_sample profile_frequency=10000 compute_rounds=20"; then
	t=$dir/$n.trace
	if "$parse" --strict -o "$dir/$n.csv" "$t" 2>"$dir/$n.err"; then
		got=$(awk -F, 'NR > 1 && $1 ~ /^compute_work/ {n[$1 " " $5]++} END {for (k in n) print k, n[k]}' "$dir/$n.csv" | sort)
		want=$'compute_work 0 20\ncompute_work 1 20\ncompute_worker 0 1\ncompute_worker 1 1'
		[ "$got" = "$want" ] && ok "profile: function_graph: the exact calls with sampling at 10 kHz" ||
			{ not_ok "profile: function_graph: calls changed by sampling"; echo "$got" | sed 's/^/#   /'; }
	else
		not_ok "profile: function_graph: parse-trace --strict: $(head -2 "$dir/$n.err")"
	fi
	cs=$(grep -E '/\* profile_sample: hz=10000 (flags=[0-9]+ )?stack=[0-9]+: .* \*/$' "$t" | grep -c ' <- compute_work <- compute_worker <- thread_entry <- thread_start \*/$')
	# return_to_handler may be where a sample hit (its own code) or fgraph_exit's caller,
	# never stand for a traced function's real caller
	rth=$(grep 'profile_sample: ' "$t" | sed 's/fgraph_exit <- return_to_handler//g' |
		grep -c ' <- return_to_handler' || true)
	[ "$cs" -ge 10 ] && [ "$rth" -eq 0 ] && ok "profile: function_graph: $cs samples under compute_work as comments, no return_to_handler as a caller" ||
		not_ok "profile: function_graph: $cs samples under compute_work (want >= 10), $rth with return_to_handler as a caller"
fi

# --- 3. off-CPU ---
n=offcpu
if dump_boot $n "$compute" "ftrace=nop trace_event=offcpu_stack compute_nap_ms=40"; then
	t=$dir/$n.trace
	line=$(grep -E 'offcpu_stack: ns=[0-9]+ state=S wait=sleep stack=[0-9]+: schedule_locked <- sched_block <- thread_sleep_ns <- sleep_ns <- compute_nap <- app_main' "$t" | head -1)
	ns=$(sed -n 's/.*offcpu_stack: ns=\([0-9]*\).*/\1/p' <<<"$line")
	[ -n "$ns" ] && [ "$ns" -ge 40000000 ] && ok "profile: offcpu: compute_nap's sleep is charged to its stack (${ns} ns)" ||
		not_ok "profile: offcpu: no compute_nap stack of >= 40 ms ('$line')"
	idle=$(grep -c '<idle>-0 .*offcpu_stack' "$t" || true)
	[ "$idle" -eq 0 ] && ok "profile: offcpu: idle threads have no off-CPU time" || not_ok "profile: offcpu: $idle idle off-CPU events"
	off=$("$parse" -q -f folded --time off "$t" | grep ';compute_nap;' | awk '{s += $2} END {print s + 0}')
	[ "$off" -ge 40000000 ] && ok "profile: offcpu: folded --time off charges compute_nap ($off ns)" ||
		not_ok "profile: offcpu: folded --time off gives compute_nap $off ns"
fi

# --- 4. allocations ---
n=alloc
if dump_boot $n "$compute" "ftrace=nop trace_event=alloc,free alloc_every=1"; then
	t=$dir/$n.trace
	if "$parse" -q -f sqlite -o "$dir/$n.db" "$t" 2>"$dir/$n.err"; then
		# the thread struct (its size is struct thread's: the same twice) and its 8-page stack
		got=$(sqlite3 "$dir/$n.db" "SELECT a.kind, CASE WHEN a.kind = 'page' THEN a.bytes ELSE a.bytes = (SELECT max(bytes) FROM allocations b WHERE b.stack_id = a.stack_id) AND a.bytes > 1000 END, a.freed_ns IS NOT NULL, k.folded FROM allocations a JOIN stacks k ON k.id = a.stack_id WHERE k.folded LIKE '%;app_main;thread_create;%' ORDER BY a.id")
		want=$'heap|1|1|thread_start;thread_entry;app_thread;app_main;thread_create;kzalloc;kmalloc\npage|32768|1|thread_start;thread_entry;app_thread;app_main;thread_create;page_alloc'
		want=$want$'\n'$want
		rows=$(sqlite3 "$dir/$n.db" "SELECT count(*) FROM allocations")
		[ "$got" = "$want" ] && [ "$rows" = "$(grep -c ' alloc: ' "$t")" ] &&
			ok "profile: alloc: the workload threads' stack pages and structs, with their stacks, freed by thread_join" ||
			{ not_ok "profile: alloc: compute's thread_create allocations"; echo "$got" | sed 's/^/#   /'; }
		live=$("$parse" -q -f folded --time live "$t" | grep -c ';app_main;thread_create;' || true)
		[ "$live" -eq 0 ] && ok "profile: alloc: folded --time live has none of them left" ||
			not_ok "profile: alloc: folded --time live still has $live thread_create paths"
	else
		not_ok "profile: alloc: parse-trace -f sqlite: $(head -2 "$dir/$n.err")"
	fi
fi

# --- 5. tracefs over HTTP ---
port=$(free_port)
url=http://127.0.0.1:$port/ftrace
trap 'kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null' EXIT
HEADLESS=1 SMP=2 HTTP_PORT=$port APP_PORT=0 APPEND="ftrace=nop" timeout 600 scripts/run-qemu.sh "$hello" </dev/null >"$dir/http.log" 2>&1 &
QEMU_PID=$!
for ((i = 0; i < 240; i++)); do
	[ -n "$(curl -s -m 2 "$url/tracing_on" 2>/dev/null)" ] && break
	sleep 0.5
done
freq=$(curl -s "$url/profile_frequency")
c0=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d 0 "$url/profile_frequency")
c1=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d 20001 "$url/profile_frequency")
c2=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -d 1000 "$url/profile_frequency")
[ "$freq" = 99 ] && [ "$c0" = 400 ] && [ "$c1" = 400 ] && [ "$c2" = 200 ] && [ "$(curl -s "$url/profile_frequency")" = 1000 ] &&
	ok "profile: http: profile_frequency is 99 by default, takes 1000, refuses 0 and 20001" ||
	not_ok "profile: http: profile_frequency default '$freq', writes $c0 $c1 $c2"
curl -s -f -X PUT -d 1 "$url/events/profile/profile_sample/enable" >/dev/null
sleep 2
curl -s -f -X PUT -d 0 "$url/events/profile/profile_sample/enable" >/dev/null
sleep 0.3
stats=$(curl -s "$url/profile_stats")
hdr=$(curl -s "$url/raw_header")
table=$(curl -s "$url/stack_table")
n0=$(sed -n 's/^cpu 0 samples \([0-9]*\) lost \([0-9]*\)$/\1/p' <<<"$stats")
n1=$(sed -n 's/^cpu 1 samples \([0-9]*\) lost \([0-9]*\)$/\1/p' <<<"$stats")
h0=$(sed -n 's/^profile_cpu 0 samples \([0-9]*\) lost [0-9]*$/\1/p' <<<"$hdr")
[ -n "$n0" ] && [ "$n0" -ge 200 ] && [ -n "$n1" ] && [ "$n1" -ge 200 ] && [ "$h0" = "$n0" ] &&
	ok "profile: http: profile_stats and raw_header count the samples ($n0, $n1 in 2 s at 1 kHz)" ||
	{ not_ok "profile: http: samples counted '$n0' '$n1', raw_header '$h0'"; echo "$stats" | sed 's/^/#   /'; }
ntab=$(grep -c . <<<"$table")
nhdr=$(sed -n 's/^stacks \([0-9]*\)$/\1/p' <<<"$hdr")
if [ "$ntab" -ge 1 ] && [ "$nhdr" = "$ntab" ] && [ "$(tail -n "$ntab" <<<"$hdr")" = "$table" ]; then
	ok "profile: http: stack_table and raw_header list the same $ntab stacks"
else
	not_ok "profile: http: stack_table has $ntab lines, raw_header announces '$nhdr'"
fi
# a late reader: a capture started after the buffers were cleared (the definitions of the
# stacks seen before went with them) resolves those ids from the raw header's stack table
curl -s -f -X PUT -d 1 "$url/events/profile/profile_sample/enable" >/dev/null
sleep 1
curl -s -f -X DELETE "$url/trace" >/dev/null
sleep 0.5
"$O/bin/glass" record -q --port "$port" --duration 1 -o "$dir/late.cap"
curl -s -f -X PUT -d 0 "$url/events/profile/profile_sample/enable" >/dev/null
"$O/bin/glass" report "$dir/late.cap" >"$dir/late.txt" 2>"$dir/late.err"
defined=$(grep -oE ' stack: id=[0-9]+ ' "$dir/late.txt" | grep -oE '[0-9]+' | sort -u)
ns=$(grep -oE 'profile_sample: hz=1000 (flags=[0-9]+ )?stack=[0-9]+:' "$dir/late.txt" | grep -oE 'stack=[0-9]+' |
	grep -oE '[0-9]+' | grep -cvxF -e 0 ${defined:+$(printf -- '-e %s ' $defined)} || true)
nu=$(grep -c '\[unknown\]' "$dir/late.txt")
[ "$ns" -ge 100 ] && [ "$nu" -eq 0 ] &&
	ok "profile: http: a late capture resolves $ns samples whose stacks it never saw defined (raw header)" ||
	not_ok "profile: http: late capture: $ns samples of stacks defined before it, $nu unresolved"

curl -s -f -X PUT -d 1 "$url/events/net/net_io/enable" >/dev/null
curl -s "$url/available_tracers" >/dev/null
curl -s -f -X PUT -d 0 "$url/events/net/net_io/enable" >/dev/null
curl -s "$url/trace" >"$dir/net.trace"
rx=$(grep -cE 'net_io: conn=tcp:10\.0\.2\.15:9090-10\.0\.2\.2:[0-9]+ dir=rx bytes=[0-9]+ stack=[0-9]+: net_recv <- conn_serve <- worker <- thread_entry <- thread_start$' "$dir/net.trace")
tx=$(grep -cE 'net_io: conn=tcp:10\.0\.2\.15:9090-10\.0\.2\.2:[0-9]+ dir=tx bytes=[0-9]+ stack=[0-9]+: net_send <- .* <- conn_serve <- worker <- thread_entry <- thread_start$' "$dir/net.trace")
[ "$rx" -ge 1 ] && [ "$tx" -ge 1 ] && ok "profile: http: net_io gives the server's bytes per connection and direction with their stacks" ||
	{ not_ok "profile: http: net_io lines (rx $rx, tx $tx)"; grep net_io "$dir/net.trace" | head -3 | sed 's/^/#   /'; }
if "$parse" -q -f sqlite -o "$dir/net.db" "$dir/net.trace" 2>"$dir/net.err"; then
	got=$(sqlite3 "$dir/net.db" "SELECT count(*) = (SELECT count(*) FROM net_io WHERE dir = 'rx'), sum(bytes) > 0 FROM net_io WHERE dir = 'rx' AND conn LIKE 'tcp:10.0.2.15:9090-%'")
	[ "$got" = "1|1" ] && ok "profile: http: sqlite net_io rows" || not_ok "profile: http: sqlite net_io rows ($got)"
else
	not_ok "profile: http: parse-trace -f sqlite of net_io: $(head -2 "$dir/net.err")"
fi
kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null
exit $FAILED
