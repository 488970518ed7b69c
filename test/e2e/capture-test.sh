#!/usr/bin/env bash
# End to end: `make TRACE=ftrace TARGET=compute capture` under TCG (and KVM where hardware
# KVM exists), the raw path (glass record into trace.cap.zst): the capture is a zstd glass
# capture whose `glass report` parses to the same CSV, glass record lost nothing; the CSV's
# call counts match the known workload, both plots are valid PNG images, the Perfetto file
# and trace.dat hold the CSV's calls, the summary names the heaviest function (fib) and
# reports lost-event counts. MODE=trace (the text of /ftrace/trace) gives the same calls.
# Then MODE=pipe on webg with a workload that outlasts the old 10 s stream: every request
# is in the trace and nothing is left unread.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh

# Two workers, each: compute_work 1, fib 2*F(16)-1, sort_range 2*256-1, merge_halves 255,
# table_insert 200, table_lookup 200, mix 400 (apps/compute/work.h).
want=$'compute_work 2\ncompute_worker 2\nfib 3946\nmerge_halves 510\nmix 800\nsort_range 1022\ntable_insert 400\ntable_lookup 400'

for kvm in $(boot_accels); do
	acc=$([ "$kvm" = 1 ] && echo kvm || echo tcg)
	out=$O/e2e/capture-compute-$acc
	rm -rf "$out"
	name="capture of compute under $acc"
	if ! make -s --no-print-directory O="$O" TRACE=ftrace TARGET=compute KVM="$kvm" \
		HTTP_PORT="$(free_port)" APP_PORT="$(free_port)" OUT="$out" capture >"$O/e2e-$acc.log" 2>&1; then
		not_ok "$name: make capture failed"; tail -20 "$O/e2e-$acc.log" | sed 's/^/#   /'
		continue
	fi
	ok "$name"

	# the raw path: a zstd-compressed glass capture, recorded with nothing lost, which
	# glass report prints as function_graph text that parses to the same CSV
	cap=$out/trace.cap.zst
	if [ -s "$cap" ] && [ "$(zstd -dc "$cap" 2>/dev/null | head -c 8)" = GLASSCAP ] &&
		zstd -dc "$cap" | head -c 200 | grep -aq '^tracer function_graph$'; then
		ok "trace.cap.zst is a zstd glass capture of function_graph ($acc)"
	else
		not_ok "trace.cap.zst is missing or no glass capture ($acc)"
	fi
	if [ "$(grep -Ec '^cpu [01]: [1-9][0-9]* frames, [1-9][0-9]* events, lost 0, overrun 0$' \
		"$out/record.txt")" = 2 ]; then
		ok "glass record: both CPUs recorded, 0 lost ($acc)"
	else
		not_ok "glass record: lost or missing CPUs ($acc)"; sed 's/^/#   /' "$out/record.txt"
	fi
	"$O/bin/glass" report "$cap" >"$out/report.txt" 2>/dev/null
	"$O/bin/parse-trace" -q "$out/report.txt" >"$out/report.csv" 2>/dev/null
	if grep -q '^# tracer: function_graph' "$out/report.txt" &&
		cmp -s "$out/report.csv" "$out/trace.csv"; then
		ok "glass report of the capture parses to trace.csv ($(wc -l <"$out/report.txt") lines, $acc)"
	else
		not_ok "glass report of the capture does not parse to trace.csv ($acc)"
	fi

	# Two workers, each: compute_work 1, fib 2*F(16)-1, sort_range 2*256-1, merge_halves 255,
	# table_insert 200, table_lookup 200, mix 400 (apps/compute/work.h).
	# (Interrupts that arrive during the workload are traced too; they are not counted.)
	got=$(awk -F, 'NR > 1 && $1 ~ /^(compute_work|compute_worker|fib|sort_range|merge_halves|table_insert|table_lookup|mix)$/ {n[$1]++}
		END {for (f in n) print f, n[f]}' "$out/trace.csv" | sort)
	if [ "$got" = "$want" ]; then ok "capture CSV call counts ($acc)"; else
		not_ok "capture CSV call counts ($acc): got $(echo $got)"; fi

	for plot in "$out"/plot-threads.png "$out"/plot-top.png; do
		if [ -s "$plot" ] && [ "$(head -c 8 "$plot" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
			file "$plot" | grep -q 'PNG image data, [0-9]* x [0-9]*'; then
			ok "$(basename "$plot") is a PNG image ($acc)"
		else
			not_ok "$(basename "$plot") is missing or not a PNG ($acc)"
		fi
	done

	# the timelines: the Perfetto file passes the checker with a slice per CSV row; trace-cmd
	# reads the trace.dat back into the same calls
	rows=$(($(wc -l <"$out/trace.csv") - 1))
	if [ -x "$O/host-san/pftrace-check" ] &&
		"$O/host-san/pftrace-check" "$out/trace.pftrace" >"$O/e2e-pf-$acc.txt" &&
		grep -q " slices=$rows " "$O/e2e-pf-$acc.txt"; then
		ok "trace.pftrace: $rows slices, checker passes ($acc)"
	else
		not_ok "trace.pftrace ($acc): $(head -1 "$O/e2e-pf-$acc.txt" 2>/dev/null), $rows CSV rows"
	fi
	if command -v trace-cmd >/dev/null; then
		if [ "$(trace-cmd report -O fgraph:tailprint "$out/trace.dat" 2>/dev/null |
			"$O/bin/parse-trace" -q | cut -d, -f1-6,8 | sort)" = \
			"$(cut -d, -f1-6,8 "$out/trace.csv" | sort)" ]; then
			ok "trace.dat: trace-cmd report gives the CSV's calls ($acc)"
		else
			not_ok "trace.dat: trace-cmd report differs from the CSV ($acc)"
		fi
	else
		ok "trace.dat # SKIP trace-cmd not installed"
	fi

	# fib is the workload's heaviest function (most calls, most self time when nothing
	# preempts it); a tick that switches threads inside another workload function can add
	# milliseconds to that one under TCG, so fib must be named, not necessarily first.
	if grep -qE 'top functions by self time are .*\bfib \([0-9.]+ us self, 3946 calls\)' "$out/summary.txt"; then
		ok "summary names fib, the heaviest function ($acc)"
	else
		not_ok "summary does not name fib ($acc)"; sed 's/^/#   /' "$out/summary.txt"
	fi
	if grep -qE 'Lost events per CPU \(overrun \+ dropped\): 0: [0-9]+, 1: [0-9]+' "$out/summary.txt"; then
		ok "summary reports lost-event counts per CPU ($acc)"
	else
		not_ok "summary lacks lost-event counts ($acc)"
	fi
done

# MODE=trace (the text of /ftrace/trace at the end) still works and has the same calls
out=$O/e2e/capture-compute-trace
rm -rf "$out"
if make -s --no-print-directory O="$O" TRACE=ftrace TARGET=compute KVM=0 MODE=trace \
	HTTP_PORT="$(free_port)" APP_PORT="$(free_port)" OUT="$out" capture >"$O/e2e-trace.log" 2>&1 &&
	[ -s "$out/trace.txt" ] && grep -q '(trace mode)' "$out/summary.txt"; then
	got=$(awk -F, 'NR > 1 && $1 ~ /^(compute_work|compute_worker|fib|sort_range|merge_halves|table_insert|table_lookup|mix)$/ {n[$1]++}
		END {for (f in n) print f, n[f]}' "$out/trace.csv" | sort)
	[ "$got" = "$want" ] && ok "capture MODE=trace: the text path's call counts" ||
		not_ok "capture MODE=trace: got $(echo $got)"
else
	not_ok "capture MODE=trace failed"; tail -20 "$O/e2e-trace.log" | sed 's/^/#   /'
fi

# MODE=pipe streams for as long as the workload runs, then drains the buffers: 20 requests
# made after 11 s are all in the trace (each is one net_close by a webg thread; the trace
# server's own are not recorded), and the summary counts what was left unread.
out=$O/e2e/capture-webg-pipe
rm -rf "$out"
name="capture MODE=pipe of webg with a workload of 12 s"
if ! WORKLOAD='sleep 11; for i in $(seq 20); do curl -s -o /dev/null http://127.0.0.1:$APP_PORT/; done' \
	make -s --no-print-directory O="$O" TRACE=ftrace TARGET=webg KVM=0 MODE=pipe \
	HTTP_PORT="$(free_port)" APP_PORT="$(free_port)" OUT="$out" capture >"$O/e2e-pipe.log" 2>&1; then
	not_ok "$name: make capture failed"; tail -20 "$O/e2e-pipe.log" | sed 's/^/#   /'
else
	ok "$name"
	got=$(awk -F, '$1 == "net_close"' "$out/trace.csv" | wc -l)
	if [ "$got" = 20 ]; then ok "capture MODE=pipe: all 20 requests of the workload are in the trace"; else
		not_ok "capture MODE=pipe: $got of the workload's 20 requests are in the trace"; fi
	if grep -qE 'Unread events per CPU \(left in the buffers\): 0: 0, 1: 0\.' "$out/summary.txt" &&
		grep -qE 'Lost events per CPU \(overrun \+ dropped\): 0: [0-9]+, 1: [0-9]+\.' "$out/summary.txt"; then
		ok "capture MODE=pipe: the buffers are drained and the summary says so"
	else
		not_ok "capture MODE=pipe: events left unread or not reported"; sed 's/^/#   /' "$out/summary.txt"
	fi
fi
exit $FAILED
