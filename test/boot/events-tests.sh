#!/usr/bin/env bash
# Trace event boot tests (docs/events.md): the kernel's events where they happen, read as
# the trace file prints them.
#   1. compute, events from the trace_event= boot parameter under the nop tracer: a
#      sched_wakeup before the switch to the thread it woke, task_newtask with names and
#      entry functions, sched_process_exit, prev_state letters and reasons, timer
#      irq_handler_entry/exit pairs, compute's phase spans in order, no function lines.
#   2. compute without events under nop: nothing recorded; with app spans on under
#      function_graph, compute_worker's exact call tree is unchanged; selftest's renames
#      (task_rename) and mutex waits (prev_state=D).
#   3. webg over HTTP: events/sched/enable and set_event switch events on; each request's
#      span with its exact path and status; /ftrace/events/... paths (nested, 404 for
#      unknown ones); events/enable 0 stops them.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh
dir=$O/events-tests
rm -rf "$dir"; mkdir -p "$dir"

# The lines of the trace dump between its markers.
dump_of() { tr -d '\r' <"$1" | sed -n '/^=== glass trace begin ===$/,/^=== glass trace end ===$/p' | sed '1d;$d'; }

compute=$(build_kernel compute ftrace) || { not_ok "build compute TRACE=ftrace"; exit 1; }

# ---- 1. boot parameter, nop tracer ----
log=$dir/compute-events.log
boot "$compute" 2 0 "$log" \
	"ftrace=nop trace_event=sched:*,task:*,irq:*,app:* compute_nap_ms=200 trace_dump=1"
if expect_status "events: compute boots with trace_event=" 0 "$log"; then
	dump_of "$log" >"$dir/compute-events.txt"
	t=$dir/compute-events.txt

	# Every line is a header or an event: "comm-tid [cpu] ..... ts: name: fields".
	bad=$(grep -v '^#' "$t" | grep -cvE '^ *.+-[0-9]+ +\[[0-9]{3}\] \.{5} +[0-9]+\.[0-9]{6}: [a-z_]+: ')
	if [ "$bad" = 0 ] && grep -q ': sched_switch: ' "$t"; then
		ok "events: nop tracer + events: event lines only, no function lines"
	else
		not_ok "events: nop tracer + events: $bad lines are not events"
		grep -v '^#' "$t" | grep -vE '\.{5} +[0-9]+\.[0-9]{6}: [a-z_]+: ' | head -5 | sed 's/^/#   /'
	fi

	# A wakeup of pid P for CPU C, then the next switch on C goes to P (or the woken thread
	# already runs: some switch on C to P comes before any switch away from idle to another).
	why=$(awk '
		match($0, /\[[0-9]+\]/) { cpu = substr($0, RSTART + 1, RLENGTH - 2) + 0 }
		/: sched_wakeup: / {
			match($0, / pid=[0-9]+/); pid = substr($0, RSTART + 5, RLENGTH - 5)
			match($0, /target_cpu=[0-9]+/); tc = substr($0, RSTART + 11) + 0
			if (!(tc in want)) { want[tc] = pid; woken++ }
		}
		/: sched_switch: / && (cpu in want) {
			match($0, /next_pid=[0-9]+/); np = substr($0, RSTART + 9, RLENGTH - 9)
			if (np == want[cpu]) matched++; else if (np != 0) other[cpu] = np
			delete want[cpu]
		}
		END { if (!matched) print "no wakeup followed by its switch (" woken " wakeups)" }' "$t")
	# a new thread's wakeup (by its creator, main) comes before the first switch to it
	w1=$(sed -n 's/.*task_newtask: pid=\([0-9]*\) comm=compute\/1 .*/\1/p' "$t")
	first=$(grep -nE "^ +main-[0-9]+ .*: sched_wakeup: comm=compute/1 pid=$w1 prio=120 target_cpu=001\$|: sched_switch: .* next_pid=$w1 " "$t" | head -1)
	case $first in
	*sched_wakeup*) ;;
	*) why="${why:+$why; }compute/1 ($w1): first line is not main's wakeup: ${first:-none}" ;;
	esac
	if [ -z "$why" ]; then
		ok "events: a sched_wakeup's pid is the next_pid of the next switch on its target CPU; a new thread's wakeup precedes its first switch"
	else
		not_ok "events: $why"
	fi

	# task_newtask of known threads, with their entry functions; their exits.
	miss=
	for want in 'comm=net entry=net_thread' 'comm=httpd-0 entry=worker' \
		'comm=main entry=app_thread' 'comm=compute/0 entry=compute_worker' \
		'comm=compute/1 entry=compute_worker'; do
		grep -qE ": task_newtask: pid=[0-9]+ $want\$" "$t" || miss="$miss [$want]"
	done
	w0=$(sed -n 's/.*task_newtask: pid=\([0-9]*\) comm=compute\/0 .*/\1/p' "$t")
	grep -qE "^ +compute/0-$w0 +\[000\] .*: sched_process_exit: comm=compute/0 pid=$w0 prio=120 status=0\$" "$t" ||
		miss="$miss [sched_process_exit of compute/0]"
	if [ -z "$miss" ]; then
		ok "events: task_newtask names threads and entry functions; sched_process_exit"
	else
		not_ok "events: missing$miss"
	fi

	# prev_state: a thread that ends leaves in X (exit), the joining main thread in S
	# (waitq), compute_nap's sleep in S (sleep), a preempted or idle one in R.
	miss=
	grep -qE ": sched_switch: prev_comm=compute/0 prev_pid=$w0 prev_prio=120 prev_state=X ==> .* reason=exit\$" "$t" ||
		miss="$miss [X exit]"
	# main joins (S waitq) unless a tick let the workers finish first (R+ preempt)
	grep -qE ': sched_switch: prev_comm=main prev_pid=[0-9]+ prev_prio=120 prev_state=(S ==> .* reason=waitq|R\+ ==> .* reason=preempt)$' "$t" ||
		miss="$miss [main S waitq or R+ preempt]"
	# every letter is its reason's (docs/events.md)
	bad=$(grep ': sched_switch: ' "$t" | grep -cvE 'prev_state=(R ==> .* reason=yield|R\+ ==> .* reason=preempt|S ==> .* reason=(sleep|waitq|net)|D ==> .* reason=mutex|X ==> .* reason=exit)$')
	[ "$bad" = 0 ] || miss="$miss [$bad switches with a letter not their reason's]"
	grep -qE ': sched_switch: prev_comm=main prev_pid=[0-9]+ prev_prio=120 prev_state=S ==> .* reason=sleep$' "$t" ||
		miss="$miss [main S sleep]"
	grep -qE ': sched_switch: prev_comm=<idle> prev_pid=0 prev_prio=120 prev_state=R ==> .* reason=yield$' "$t" ||
		miss="$miss [idle R]"
	grep -qE ': sched_switch: prev_comm=net prev_pid=[0-9]+ prev_prio=120 prev_state=S ==> .* reason=net$' "$t" ||
		miss="$miss [net S net]"
	if [ -z "$miss" ]; then
		ok "events: switches carry the state the thread leaves in (X exit, S waitq/sleep/net, R, R+) with Linux's letters"
	else
		not_ok "events: prev_state missing$miss"
	fi

	# Timer interrupts: per CPU and thread, entries and exits alternate (a tick that
	# switches threads exits when the interrupted thread runs again).
	why=$(awk '
		/: irq_handler_(entry|exit): irq=224 / {
			match($0, /^ *.*-[0-9]+ +\[[0-9]+\]/); key = substr($0, RSTART, RLENGTH); sub(/^ +/, "", key)
			if ($0 ~ /irq_handler_entry: irq=224 name=timer$/) {
				if (open[key]) { print "two entries on " key; exit }
				open[key] = 1
			} else if ($0 ~ /irq_handler_exit: irq=224 ret=handled$/) {
				if (!open[key]) { print "an exit without entry on " key; exit }
				open[key] = 0; pairs++
			} else { print "bad line: " $0; exit }
		}
		END { if (pairs < 20) print "only " pairs + 0 " timer pairs" }' "$t")
	grep -qE ': irq_handler_entry: irq=240 name=ipi-resched$' "$t" || why="$why; no ipi-resched"
	grep -qE ': irq_handler_entry: irq=[0-9]+ name=virtio-net$' "$t" || why="$why; no virtio-net"
	if [ -z "$why" ]; then
		ok "events: irq_handler_entry/exit pairs for the timer vector (224, name=timer); ipi-resched, virtio-net named"
	else
		not_ok "events: timer irq events: $why"
	fi

	# compute's phases on the main thread, in order; each worker's span.
	got=$(grep -E '^ +main-[0-9]+ .*: (span_begin|span_end|counter): ' "$t" | sed 's/.*: \(span_[a-z]*\|counter\): /\1 /')
	want=$(printf '%s\n' 'span_begin spawn threads=2' 'span_end spawn' 'span_begin join' \
		'counter joined=1' 'counter joined=2' 'span_end join' 'span_begin nap ms=200' 'span_end nap')
	if [ "$got" = "$want" ] &&
		[ "$(grep -cE "^ +compute/0-$w0 +\[000\] .*: span_(begin|end): work\$" "$t")" = 2 ]; then
		ok "events: compute's phase spans and counter in order; each worker's work span"
	else
		not_ok "events: compute spans: got '$(echo $got)'"
	fi
fi

# ---- 2. no events: nothing recorded under nop ----
log=$dir/compute-off.log
boot "$compute" 2 0 "$log" "ftrace=nop trace_dump=1"
if expect_status "events: compute boots with nop and no events" 0 "$log"; then
	if dump_of "$log" | grep -q '^# entries-in-buffer/entries-written: 0/0 ' &&
		[ "$(dump_of "$log" | grep -cv '^#')" = 0 ]; then
		ok "events: events off under nop: nothing recorded"
	else
		not_ok "events: events off recorded something"; dump_of "$log" | grep -v '^#' | head -3 | sed 's/^/#   /'
	fi
fi

# ---- 2a. spans on, function_graph: compute_worker's call tree is the same exact tree ----
make -s --no-print-directory O="$O" "$O/bin/parse-trace" >&2 || { not_ok "build parse-trace"; exit 1; }
log=$dir/compute-graph.log
# nofuncgraph-irqs: a timer tick inside the worker would add its handler's calls (the
# question here is only whether the span calls add any of their own).
boot "$compute" 2 0 "$log" "trace_event=app:* ftrace_graph_filter=compute_worker trace_options=nofuncgraph-irqs trace_dump=1"
if expect_status "events: compute boots with app events under function_graph" 0 "$log"; then
	dump_of "$log" >"$dir/compute-graph.txt"
	"$O/bin/parse-trace" -q "$dir/compute-graph.txt" >"$dir/compute-graph.csv"
	got=$(awk -F, 'NR > 1 {n[$5 " " $1]++} END {for (f in n) print f, n[f]}' "$dir/compute-graph.csv" | sort)
	want=
	for cpu in 0 1; do
		want="$want"$'\n'"$cpu compute_work 1"$'\n'"$cpu compute_worker 1"$'\n'"$cpu fib 1973"$'\n'"$cpu merge_halves 255"$'\n'"$cpu mix 400"$'\n'"$cpu sort_range 511"$'\n'"$cpu table_insert 200"$'\n'"$cpu table_lookup 200"
	done
	want=$(echo "$want" | sed '/^$/d' | sort)
	spans=$(grep -cE '^ *[01]\) +\| +/\* span_(begin|end): work \*/$' "$dir/compute-graph.txt")
	if [ "$got" = "$want" ] && [ "$spans" = 4 ]; then
		ok "events: with app spans on, compute_worker's exact call tree is unchanged (the span calls add no functions)"
	else
		not_ok "events: compute_worker tree with spans on ($spans span lines)"
		diff <(echo "$want") <(echo "$got") | head -6 | sed 's/^/#   /'
	fi
fi

# ---- 2b. selftest: renames and mutex waits ----
selftest=$(build_kernel selftest ftrace) || { not_ok "build selftest TRACE=ftrace"; exit 1; }
log=$dir/selftest-events.log
boot "$selftest" 2 0 "$log" "ftrace=nop trace_event=sched:sched_switch,task:task_rename trace_dump=1"
if expect_status "events: selftest boots with sched_switch and task_rename" 0 "$log"; then
	dump_of "$log" >"$dir/selftest-events.txt"
	t=$dir/selftest-events.txt
	got=$(sed -n 's/^ *main-[0-9]* .*: task_rename: pid=[0-9]* newcomm=//p' "$t" | tr '\n' ' ')
	if [ "$got" = "selftest a-name-longer-t main " ]; then
		ok "events: thread_set_name writes task_rename with the new name, cut to 15 bytes"
	else
		not_ok "events: task_rename lines: '$got'"
	fi
	# the adders yield while holding the mutex: the others block on it (D)
	if grep -qE '^ +adder-[0-9]+ .*: sched_switch: prev_comm=adder prev_pid=[0-9]+ prev_prio=120 prev_state=D ==> .* reason=mutex$' "$t"; then
		ok "events: a thread waiting for a mutex leaves in D (reason=mutex)"
	else
		not_ok "events: no D (mutex) switch of the adders"
	fi
fi

# ---- 3. webg over HTTP ----
webg=$(build_kernel webg ftrace) || { not_ok "build webg TRACE=ftrace"; exit 1; }
HTTP_PORT=$(free_port); APP_PORT=$(free_port)
H=http://127.0.0.1:$HTTP_PORT/ftrace; A=http://127.0.0.1:$APP_PORT
HEADLESS=1 SMP=2 KVM=0 HTTP_PORT=$HTTP_PORT APP_PORT=$APP_PORT timeout 900 \
	scripts/run-qemu.sh "$webg" </dev/null >"$dir/webg.log" 2>&1 &
GUEST_PID=$!
trap 'kill "$GUEST_PID" 2>/dev/null; wait "$GUEST_PID" 2>/dev/null' EXIT
up=0
for _ in $(seq 1 240); do
	curl -s -o /dev/null --max-time 2 "$A/" && { up=1; break; }
	kill -0 "$GUEST_PID" 2>/dev/null || break
	sleep 0.5
done
if [ $up = 0 ]; then
	not_ok "events: webg did not come up"; tail -20 "$dir/webg.log" | sed 's/^/#   /'; exit 1
fi
put() { curl -s -f -o /dev/null --max-time 20 -X PUT --data-binary "$2" "$H/$1"; }
get() { curl -s --max-time 60 "$H/$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$H/$1"; }

put current_tracer nop && put tracing_on 0 && put trace '' &&
	put events/sched/enable 1 && put 'set_event?append=1' 'app:span_begin app:span_end' &&
	put tracing_on 1
on_ok=$?
curl -s -o /dev/null --max-time 20 "$A/bytes/100"
curl -s -o /dev/null --max-time 20 "$A/nosuch"
put tracing_on 0
get trace >"$dir/webg-on.txt"
t=$dir/webg-on.txt
begin=$(grep -E ': span_begin: GET /bytes/100 status=200$' "$t" | head -1)
tid=$(echo "$begin" | sed -E 's/^ *webg-([0-9]+) .*/\1/')
if [ $on_ok = 0 ] && [ -n "$begin" ] && grep -qE "^ +webg-$tid .*: span_end: GET /bytes/100\$" "$t" &&
	grep -qE '^ +webg-[0-9]+ .*: span_begin: GET /nosuch status=404$' "$t"; then
	ok "events: webg's request spans over HTTP: 'GET /bytes/100 status=200', 'GET /nosuch status=404'"
else
	not_ok "events: webg request spans (setup $on_ok)"; grep -E 'span_' "$t" | head -4 | sed 's/^/#   /'
fi
if grep -qE ': sched_switch: prev_comm=webg prev_pid=[0-9]+ prev_prio=120 prev_state=S ==> .* reason=net$' "$t" &&
	grep -qE ': sched_wakeup: comm=webg pid=[0-9]+ prio=120 target_cpu=00[01]$' "$t" &&
	! grep -qE ': (irq_handler|task_)' "$t"; then
	ok "events: events/sched/enable records webg's wakeups and net waits; other groups stay off"
else
	not_ok "events: sched events of webg"
fi

# The events directory over HTTP: nested paths, ids, mixed groups, 404 for unknown ones.
got="$(get events/sched/enable)|$(get events/sched/sched_switch/enable)|$(get events/app/enable)|$(get events/sched/sched_wakeup/id)|$(get events/app/span_end/enable)"
codes="$(code events/nosuch/enable) $(code events/sched/nosuch/enable) $(code events/sched/id) $(code events/sched/sched_wakeup/enable/x)"
if [ "$got" = "1|1|X|1|1" ] && [ "$codes" = "404 404 404 404" ] &&
	get set_event | grep -qx 'sched:sched_switch' && get available_events | grep -qx 'irq:irq_handler_entry'; then
	ok "events: /ftrace/events/... over HTTP: nested enable and id files, 404 for unknown paths"
else
	not_ok "events: events paths: '$got', codes '$codes'"
fi

# Under function_graph the same events print as comments among the calls.
put current_tracer function_graph && put tracing_on 1
curl -s -o /dev/null --max-time 20 "$A/bytes/100"
put tracing_on 0
get trace >"$dir/webg-graph.txt"
if grep -qE '^ *[0-9]+\) +\| +/\* span_begin: GET /bytes/100 status=200 \*/$' "$dir/webg-graph.txt" &&
	grep -qE '^ *[0-9]+\) +\| +/\* sched_switch: prev_comm=.* reason=[a-z]+ \*/$' "$dir/webg-graph.txt" &&
	grep -qE '^ *[0-9]+\) .*\| +net_send\(\) \{$' "$dir/webg-graph.txt"; then
	ok "events: under function_graph, spans and switches print as comments among the calls"
else
	not_ok "events: function_graph comments"; grep -m3 -E 'span_|sched_switch' "$dir/webg-graph.txt" | sed 's/^/#   /'
fi
put current_tracer nop

# Off again: no events recorded.
put events/enable 0 && put trace '' && put tracing_on 1
curl -s -o /dev/null --max-time 20 "$A/bytes/100"
put tracing_on 0
if [ "$(get events/enable)" = 0 ] && ! get trace | grep -qE ': (span_begin|span_end|sched_switch|sched_wakeup): '; then
	ok "events: events/enable 0 turns every event off: none recorded"
else
	not_ok "events: events still recorded after events/enable 0"
fi
exit $FAILED
