#!/usr/bin/env bash
# Tracer boot tests (TRACE=ftrace): the function_graph tree of the compute workload read from
# a serial dump of `trace` must be exact: call counts per CPU, nesting, durations; filters and
# max_graph_depth (as Linux boot parameters) change it exactly; toggling tracing 1000 times
# under load never crashes and never yields an unparsable line; no tracer function appears.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh
BOOT_TIMEOUT=240 # lib.sh's default (60 s) is for boots without a trace dump
logs=$O/trace-logs
mkdir -p "$logs"

make -s --no-print-directory O="$O" "$O/bin/parse-trace" >&2 || { not_ok "build parse-trace"; exit 1; }
parse=$O/bin/parse-trace
compute=$(build_kernel compute ftrace) || { not_ok "build compute TRACE=ftrace"; exit 1; }
toggle=$(build_kernel tracetoggle ftrace) || { not_ok "build tracetoggle TRACE=ftrace"; exit 1; }
selftest=$(build_kernel selftest ftrace) || { not_ok "build selftest TRACE=ftrace"; exit 1; }
fault=$(build_kernel fault ftrace) || { not_ok "build fault TRACE=ftrace"; exit 1; }

# FGRAPH=rethook patches a function's return sites with its entry: each must be the NOP
# before a `ret`, owned by the nearest entry below it (mk/flags.mk's build rules).
if [ "${FGRAPH:-rethook}" = rethook ]; then
	python3 test/boot/return_sites.py "$compute" || FAILED=1
fi

# traced_boot NAME KERNEL APPEND: boots on 2 CPUs with trace_dump=1, leaves the trace text in
# $logs/NAME.trace and its CSV in $logs/NAME.csv; returns non-zero (after reporting) on failure.
traced_boot() {
	local name=$1 kernel=$2 append=$3 kvm=$4 strict=${5---strict}
	local log=$logs/$name.log
	boot "$kernel" 2 "$kvm" "$log" "trace_dump=1 $append"
	expect_status "$name" 0 "$log" || return 1
	if grep -qE 'Kernel panic|\*\*\* CPU' "$log"; then
		not_ok "$name: kernel crashed"; return 1
	fi
	tr -d '\r' <"$log" | sed -n '/^=== glass trace begin ===$/,/^=== glass trace end ===$/p' |
		sed '1d;$d' >"$logs/$name.trace"
	if ! "$parse" $strict -o "$logs/$name.csv" "$logs/$name.trace" 2>"$logs/$name.parse.err" &&
		[ -n "$strict" ]; then
		not_ok "$name: parse-trace --strict failed: $(head -3 "$logs/$name.parse.err")"
		return 1
	fi
}

# counts CSV CPU: "function count" for the workload's functions on one CPU, sorted.
workload_counts() {
	awk -F, -v cpu="$2" 'NR > 1 && $5 == cpu && $1 ~ /^(compute_work|fib|sort_range|merge_halves|table_insert|table_lookup|mix)$/ {n[$1]++}
		END {for (f in n) print f, n[f]}' "$1" | sort
}

expect_counts() { # NAME CSV EXPECTED(lines "func count", sorted)
	local name=$1 csv=$2 want=$3 ok_all=1 got
	for cpu in 0 1; do
		got=$(workload_counts "$csv" "$cpu")
		if [ "$got" != "$want" ]; then
			not_ok "$name: CPU $cpu counts"; echo "#   got:  $(echo $got)"; echo "#   want: $(echo $want)"
			ok_all=0
		fi
	done
	[ $ok_all = 1 ]
}

full=$'compute_work 1\nfib 1973\nmerge_halves 255\nmix 400\nsort_range 511\ntable_insert 200\ntable_lookup 200'

# check_nap NAME BASE: compute_nap(5000) (compute_nap_ms=5000) under tracing_thresh=1 s, with
# funcgraph-proc. Its `}` shows the `$` mark and the duration the app timed around the call,
# within 1 ms (durations once stopped at 2^32 TSC ticks, 1.65 s here); the returns of the
# calls it made print one level deeper each, and it one level below app_main (returns once
# printed at depth 0), so parse-trace gives it only its own time. Only the app's thread
# (`main-N`) is looked at: other threads' waits of a second come and go meanwhile.
check_nap() {
	local name=$1 base=$2 took line us mark indents want
	grep -E '^ *[0-9]+\) +main-[0-9]+ +\|' "$base.trace" >"$base.main"
	took=$(sed -n 's/^compute: compute_nap(5000) took \([0-9]*\) ns.*/\1/p' "$base.log")
	line=$(grep -E '\} /\* compute_nap \*/$' "$base.main" | tail -1)
	mark=$(echo "$line" | sed -nE 's/.*\| (.) +[0-9]+ us +\|.*/\1/p')
	us=$(echo "$line" | sed -nE 's/.*\| . +([0-9]+) us +\|.*/\1/p')
	if [ -z "$took" ] || [ -z "$us" ]; then
		not_ok "$name: no timing ($took) or no compute_nap return ($line)"; return
	fi
	if [ "$took" -lt 5000000000 ] || [ "$mark" != '$' ] ||
		[ $((took / 1000 - us)) -gt 1000 ] || [ $((us - took / 1000)) -gt 1000 ]; then
		not_ok "$name: app timed $took ns, trace says '$line'"; return
	fi
	# The indentation of each return, innermost first: 2 columns less each.
	indents=$(for f in schedule_locked sched_block thread_sleep_ns sleep_ns compute_nap app_main; do
		grep -E "\} /\* $f \*/\$" "$base.main" | tail -1 |
			sed -E 's/^[^|]*\|[^|]*\|  ( *)\}.*/\1/' | awk '{print length($0)}'
	done | tr '\n' ' ')
	set -- $indents
	want="$1 $(($1 - 2)) $(($1 - 4)) $(($1 - 6)) $(($1 - 8)) $(($1 - 10)) "
	if [ "$indents" != "$want" ] || [ "$6" -lt 2 ]; then
		not_ok "$name: return indentation $indents, want $want"; return
	fi
	if ! awk -F, '$1 == "compute_nap" && $4 + 0 < 1000 {found = 1} END {exit !found}' "$base.csv"; then
		not_ok "$name: parse-trace gives compute_nap $(grep '^compute_nap,' "$base.csv") (self >= 1 ms)"
		return
	fi
	ok "$name"
}

for kvm in $(boot_accels); do
	acc=$([ "$kvm" = 1 ] && echo kvm || echo tcg)

	n="function_graph tree of compute ($acc)"
	if traced_boot "compute-$acc" "$compute" "" "$kvm"; then
		csv=$logs/compute-$acc.csv
		if expect_counts "$n" "$csv" "$full"; then
			# Nesting: every workload call has the parent the source gives it.
			bad=$(awk -F, 'NR > 1 && (($1 == "mix" && $8 !~ /^table_(insert|lookup)$/) ||
				($1 == "merge_halves" && $8 != "sort_range") ||
				($1 == "fib" && $8 !~ /^(fib|compute_work)$/) ||
				($1 == "table_insert" && $8 != "compute_work"))' "$csv" | head -3)
			neg=$(awk -F, 'NR > 1 && $4 < 0' "$csv" | head -3)
			if [ -z "$bad" ] && [ -z "$neg" ]; then ok "$n"; else not_ok "$n: nesting: $bad $neg"; fi
		fi
		tracer_fns=$(grep -oE '\b(fgraph_[a-z_]+|ring_[a-z_]+|__fentry__|__fexit__|return_to_handler|ftrace_[a-z_]+)\(\)' \
			"$logs/compute-$acc.trace" | sort -u | head -5)
		if [ -z "$tracer_fns" ]; then ok "no tracer function in the trace ($acc)"; else
			not_ok "tracer functions traced ($acc): $tracer_fns"; fi
	fi

	n="a 5 s call's exact duration; tracing_thresh returns at their depths ($acc)"
	if traced_boot "nap-$acc" "$compute" \
		"tracing_thresh=1000000 trace_options=funcgraph-proc compute_nap_ms=5000" "$kvm"; then
		check_nap "$n" "$logs/nap-$acc"
	fi

	n="set_graph_function=compute_work ($acc)"
	if traced_boot "graphfn-$acc" "$compute" "ftrace_graph_filter=compute_work" "$kvm"; then
		expect_counts "$n" "$logs/graphfn-$acc.csv" "$full" &&
		if awk -F, 'NR > 1 && $1 != "compute_work" && $6 == 0 {exit 1}' "$logs/graphfn-$acc.csv"; then
			ok "$n"; else not_ok "$n: calls outside compute_work were traced"; fi
	fi

	n="max_graph_depth=2 under compute_work ($acc)"
	if traced_boot "depth-$acc" "$compute" "ftrace_graph_filter=compute_work ftrace_graph_max_depth=2" "$kvm"; then
		expect_counts "$n" "$logs/depth-$acc.csv" \
			$'compute_work 1\nfib 1\nsort_range 1\ntable_insert 200\ntable_lookup 200' && ok "$n"
	fi

	n="set_ftrace_notrace=mix ($acc)"
	if traced_boot "notrace-$acc" "$compute" "ftrace_graph_filter=compute_work ftrace_notrace=mix" "$kvm"; then
		expect_counts "$n" "$logs/notrace-$acc.csv" \
			$'compute_work 1\nfib 1973\nmerge_halves 255\nsort_range 511\ntable_insert 200\ntable_lookup 200' && ok "$n"
	fi

	# The top sort_range call and every call under it (sort_range, merge_halves) left out.
	n="set_graph_notrace=sort_range ($acc)"
	if traced_boot "graphnotrace-$acc" "$compute" \
		"ftrace_graph_filter=compute_work ftrace_graph_notrace=sort_range" "$kvm"; then
		expect_counts "$n" "$logs/graphnotrace-$acc.csv" \
			$'compute_work 1\nfib 1973\nmix 400\ntable_insert 200\ntable_lookup 200' && ok "$n"
	fi

	n="set_ftrace_filter=fib* ($acc)"
	if traced_boot "filter-$acc" "$compute" "ftrace_filter=fib*" "$kvm"; then
		expect_counts "$n" "$logs/filter-$acc.csv" $'fib 1973' &&
		if awk -F, 'NR > 1 && $1 !~ /^fib/ {exit 1}' "$logs/filter-$acc.csv"; then
			ok "$n"; else not_ok "$n: other functions traced"; fi
	fi

	# The function tracer's header counts the lines it prints (context switches happen
	# on both CPUs and are recorded, but print no line).
	n="function tracer: entries-in-buffer equals the lines printed ($acc)"
	if traced_boot "fnheader-$acc" "$compute" "ftrace=function ftrace_filter=fib*" "$kvm"; then
		t=$logs/fnheader-$acc.trace
		counts=$(sed -nE 's/^# entries-in-buffer\/entries-written: ([0-9]+)\/([0-9]+) .*/\1 \2/p' "$t")
		lines=$(grep -vc '^#' "$t")
		hits=$(($(wc -l <"$logs/fnheader-$acc.csv") - 1)) # parse-trace: one row per hit
		fibs=$(grep -c ': fib <-' "$t")
		if [ "$counts" = "$lines $lines" ] && [ "$hits" = "$lines" ] && [ "$fibs" = 3946 ]; then
			ok "$n"; else
			not_ok "$n: header '$counts', $lines lines, $hits rows, $fibs fib calls (want 3946)"; fi
	fi

	# sleep-time: selftest sleeps 200, 50 and 20 ms in sleep_ns. By default a duration
	# includes the sleep; with nosleep-time it is only the time the thread ran.
	sleeps() { awk -F, 'NR > 1 && $1 == "sleep_ns" {print $3}' "$1"; }
	n="sleep-time (default): sleep_ns durations include the sleep ($acc)"
	if traced_boot "sleeptime-$acc" "$selftest" "ftrace_filter=sleep_ns" "$kvm"; then
		d=$(sleeps "$logs/sleeptime-$acc.csv")
		# In order: at least the time asked for, and not half a second more.
		if [ "$(echo "$d" | grep -c .)" = 3 ] && echo "$d" | awk 'BEGIN {split("200000 50000 20000", w)}
			$1 < w[NR] || $1 > w[NR] + 500000 {exit 1}'; then
			ok "$n"; else not_ok "$n: durations (us) $(echo $d), want 200, 50, 20 ms"; fi
	fi
	n="trace_options=nosleep-time: sleep_ns durations leave the sleep out ($acc)"
	if traced_boot "nosleeptime-$acc" "$selftest" "ftrace_filter=sleep_ns trace_options=nosleep-time" \
		"$kvm"; then
		d=$(sleeps "$logs/nosleeptime-$acc.csv")
		want=$(sleeps "$logs/sleeptime-$acc.csv" | grep -c .)
		if [ "$(echo "$d" | grep -c .)" = "$want" ] && echo "$d" | awk '$1 >= 10000 {exit 1}'; then
			ok "$n"; else not_ok "$n: durations (us) $(echo $d), want $want calls under 10 ms"; fi
	fi

	n="1000 tracing_on toggles and tracer switches under load ($acc)"
	# Toggling cuts calls in half (an entry recorded, its return not, or the reverse), as
	# on Linux; what must never happen is a line the parser cannot read. 2 MiB buffers: the
	# workers fill any size, and the whole buffer is then dumped over the serial port.
	if traced_boot "toggle-$acc" "$toggle" "trace_buf_size=2048" "$kvm" ""; then
		unreadable=$(grep -E '\.trace:[0-9]+: ' "$logs/toggle-$acc.parse.err" |
			grep -vE 'has no return|has no entry|lost' | head -3)
		if ! grep -q 'tracetoggle: 1000 toggles done' "$logs/toggle-$acc.log"; then
			not_ok "$n: the app did not finish"
		elif [ -n "$unreadable" ]; then
			not_ok "$n: $unreadable"
		else
			ok "$n"
		fi
	fi

	# ftrace_dump_on_oops: a panic prints each CPU's last events; the faulting thread's
	# last traced calls lead to the fault.
	n="panic dumps the trace buffers ($acc)"
	log=$logs/fault-$acc.log
	boot "$fault" 2 "$kvm" "$log"
	if expect_status "$n" 3 "$log"; then
		dump=$(tr -d '\r' <"$log" | sed -n '/^trace: dump of the trace buffers/,/^trace: end of dump/p')
		if echo "$dump" | grep -q '^trace: last events of CPU 0:' &&
			echo "$dump" | grep -q '^trace: last events of CPU 1:' &&
			echo "$dump" | grep -qE '^ *0\) .*\| +fault_caller\(\) \{' &&
			echo "$dump" | grep -qE '^ *0\) .*\| +fault_deliberately\(\) \{'; then
			ok "$n"
		else
			not_ok "$n"; echo "$dump" | tail -8 | sed 's/^/#   /'
		fi
	fi
done
exit $FAILED
