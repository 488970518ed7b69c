#!/usr/bin/env bash
# parse-trace --format perfetto: the decoded protobuf of a small hand-made trace against its
# golden (Debian protoc with tools/parse-trace/perfetto_subset.proto), the checker
# (pftrace-check: nesting, interning, sequences, time) on every trace the tests have and on
# generated ones, slices against the CSV's calls, zstd packets against plain ones, the size
# per call, and the checker's own negative cases.
source "$(dirname "$0")/lib.sh"
G=$HERE/golden/perfetto
CHECK=$O/host-san/pftrace-check
PROTO_DIR=$(cd "$HERE/../../tools/parse-trace" && pwd)
PROTO=perfetto_subset.proto

decode() { protoc --decode=perfetto.protos.Trace -I "$PROTO_DIR" "$PROTO_DIR/$PROTO"; }
have_protoc() { command -v protoc >/dev/null; }

small=$G/small.txt
"$PT" -q -f perfetto --uncompressed -o "$TMP/small.pf" "$small"
expect_status "small: status 0" 0 $?
if have_protoc; then
	check "small: protoc --decode golden" "$(decode <"$TMP/small.pf")" "$(cat "$G/small.txtpb")"
else
	ok "small: protoc --decode golden # SKIP protoc not installed"
fi
"$CHECK" --slices "$TMP/small.pf" >"$TMP/small.slices"
expect_status "small: checker passes" 0 $?
check_file "small: slices golden" "$TMP/small.slices" "$G/small.slices"

# zstd_compressed_packets hold exactly the plain packets
"$PT" -q -f perfetto -o "$TMP/small.z.pf" "$small"
if have_protoc; then
	check "small: compressed is one field-133 packet" \
		"$(protoc --decode_raw <"$TMP/small.z.pf" | cut -c1-7 | head -3)" "1 {
  133: 
}"
fi
"$CHECK" --dump "$TMP/small.z.pf" >"$TMP/small.dump"
check_file "small: zstd packets = plain packets" "$TMP/small.dump" "$TMP/small.pf"
"$PT" -q -f perfetto -o - "$small" | cmp -s - "$TMP/small.z.pf"
expect_status "small: stdout = -o FILE" 0 $?

# CPU tracks: sched_switch events give the switch's time and the state prev left in
# (app S at 10.000005, work R at 10.000399); the switch to idle is a block: its time is
# the next line's, and app is taken as sleeping
if have_protoc; then
	"$PT" -q -f perfetto --uncompressed -o "$TMP/sw.pf" "$HERE/cases/offcpu-schedsw.txt"
	check "sched_switch events: CPU states" "$(decode <"$TMP/sw.pf" |
		grep -B2 -A5 generic_kernel | grep -o 'timestamp: [0-9]*\|tid: [0-9]*\|state: [A-Z_]*' |
		paste -d' ' - - - | sed 's/timestamp: //; s/tid: //; s/state: TASK_STATE_//')" \
		"10000000000 7 RUNNING
10000005000 7 INTERRUPTIBLE_SLEEP
10000005000 9 RUNNING
10000399000 9 RUNNABLE
10000399000 7 RUNNING
10000411000 7 INTERRUPTIBLE_SLEEP"
fi

# CPU utilisation counters (util.txt: app-7 runs 10.000000-10.001500 and from 10.002250 to
# the trace's end at 10.0023005, work-9 in between): per 1 ms period, percent of one CPU
"$PT" -q -f perfetto --cpu-util-hz 1000 -o "$TMP/u.pf" "$G/util.txt"
check "cpu_util at 1000 Hz: the samples" "$("$CHECK" --slices "$TMP/u.pf" | grep "	counter	")" \
	"app-7 cpu_util	counter	100	10000000000
app-7 cpu_util	counter	50	10001000000
app-7 cpu_util	counter	5.05	10002000000
work-9 cpu_util	counter	50	10001000000
work-9 cpu_util	counter	25	10002000000"
# at 2000 Hz app-7 runs through three periods (one sample: a counter holds its value), is
# off the CPU for the whole period from 10.0015 (a 0 there); none after the trace's end
"$PT" -q -f perfetto --cpu-util-hz 2000 -o "$TMP/u2.pf" "$G/util.txt"
check "cpu_util at 2000 Hz: a 0 where a period is idle" \
	"$("$CHECK" --slices "$TMP/u2.pf" | grep "	counter	")" \
	"app-7 cpu_util	counter	100	10000000000
app-7 cpu_util	counter	0	10001500000
app-7 cpu_util	counter	10.1	10002000000
work-9 cpu_util	counter	100	10001500000
work-9 cpu_util	counter	50	10002000000"
# a thread on the CPU for 1000 s, at 1000 Hz: one sample for the million full periods
printf '%s\n' '# tracer: function_graph' '#' \
	'   10.000000 |   0)    app-7       |   1.000 us    |  a();' \
	' 1010.000000 |   0)    app-7       |   1.000 us    |  b();' >"$TMP/long-run.txt"
"$PT" -q -f perfetto --cpu-util-hz 1000 -o "$TMP/lr.pf" "$TMP/long-run.txt"
check "cpu_util: a run of full periods is one sample" \
	"$("$CHECK" --slices "$TMP/lr.pf" | grep "	counter	")" "app-7 cpu_util	counter	100	10000000000
app-7 cpu_util	counter	0.1	1010000000000"
"$PT" -q -f perfetto -o "$TMP/u10.pf" "$G/util.txt"
check "cpu_util at the default 10 Hz: one period" "$("$CHECK" --slices "$TMP/u10.pf" |
	grep "	counter	")" "app-7 cpu_util	counter	1.5505	10000000000
work-9 cpu_util	counter	0.75	10000000000"
"$PT" -q -f perfetto --cpu-util-hz 0 -o "$TMP/u0.pf" "$G/util.txt"
check "--cpu-util-hz 0: no counter tracks" "$("$CHECK" "$TMP/u0.pf")" \
	"packets=16 slices=3 instants=0 tracks=3 task_states=5 max_depth=1 counters=0 flows=0 samples=0"
if have_protoc; then
	check "cpu_util: counter track descriptor" "$("$PT" -q -f perfetto --uncompressed \
		"$G/util.txt" | decode | grep -A8 'name: "work-9 cpu_util"' | tr -d ' ' | tr '\n' ' ')" \
		'name:"work-9cpu_util" parent_uuid:1 counter{ unit_name:"%" } } } packet{ timestamp:10000000000 '
fi
# generated traces with switches: every thread's utilisation within 0..100 % (the checker),
# and the sum of all threads' over a period at most 100 % per CPU
"$GEN" --calls 20000 --cpus 2 --threads 6 --proc --abstime --seed 9 >"$TMP/gu.txt" 2>/dev/null
"$PT" -q -f perfetto --cpu-util-hz 1000 -o "$TMP/gu.pf" "$TMP/gu.txt"
"$CHECK" --slices "$TMP/gu.pf" >"$TMP/gu.sl"
expect_status "generated, 1000 Hz: checker passes" 0 $?
check "generated, 1000 Hz: per period at most 2 CPUs' worth, some periods busy" \
	"$(awk -F'\t' '$2 == "counter" {s[$4] += $3} END {m = 0; for (k in s) if (s[k] > m) m = s[k]
		print (m > 50 && m <= 200.000001) ? "ok" : "max " m}' "$TMP/gu.sl")" "ok"
check "--cpu-util-hz without perfetto: usage error" "$("$PT" --cpu-util-hz 5 "$small" 2>&1)" \
	"parse-trace: --cpu-util-hz applies to --format perfetto
Try 'parse-trace --help'."
"$PT" -q -f perfetto --cpu-util-hz x "$small" >/dev/null 2>&1
expect_status "--cpu-util-hz x: usage error" 2 $?

# a sched_switch event before any call: its CPU state is the file's first packet after the
# process descriptor (found by fuzz_timeline)
printf '%s\n' '# tracer: function_graph' '#' \
	'   10.000005 |   0)    app-7       |               |  /* sched_switch: prev_comm=app prev_pid=7 prev_prio=120 prev_state=S ==> next_comm=work next_pid=9 next_prio=120 */' \
	'   10.000010 |   0)    work-9      | + 100.000 us  |  crunch();' >"$TMP/sw1.txt"
"$PT" -q -f perfetto -o "$TMP/sw1.pf" "$TMP/sw1.txt"
expect_status "sched_switch first: status 0" 0 $?
check "sched_switch first: checker" "$("$CHECK" "$TMP/sw1.pf")" \
	"packets=8 slices=1 instants=0 tracks=3 task_states=1 max_depth=1 counters=1 flows=0 samples=0"

# a 300-byte marker: nested lengths of two bytes, patched when the messages close
# (decoded: name: "x...x" and a newline, 7 + 300 + 2 bytes)
long=$(printf 'x%.0s' $(seq 1 300))
{ head -8 "$small"; echo "   10.000102 |   0)    app-7       |               |    /* $long */"
  tail -n +9 "$small"; } >"$TMP/long.txt"
"$PT" -q -f perfetto --uncompressed -o "$TMP/long.pf" "$TMP/long.txt"
check "300-byte marker: checker" "$("$CHECK" "$TMP/long.pf" | cut -d' ' -f3)" "instants=3"
if have_protoc; then
	check "300-byte marker: decoded whole" \
		"$(decode <"$TMP/long.pf" | grep -o 'name: "xx*"' | wc -c)" "$((7 + 300 + 2))"
fi

# every hand-made, glass-printed and sample Linux trace (if ../shared is there) gives a
# trace the checker accepts
bad=""
for t in "$HERE"/cases/*.txt "$HERE"/../golden/trace/graph-*.txt \
	"$HERE"/../golden/trace/durations*.txt $(ls "$TRACES"/fg*.txt 2>/dev/null); do
	"$PT" -q -f perfetto -o "$TMP/t.pf" "$t" 2>/dev/null
	[ $? -le 1 ] || bad="$bad $(basename "$t")(status)"
	[ -s "$TMP/t.pf" ] || continue
	"$CHECK" "$TMP/t.pf" >"$TMP/t.out" || bad="$bad $(basename "$t"): $(head -1 "$TMP/t.out")"
done
check "checker accepts every case, glass and sample trace" "$bad" ""

# the glass printer's option combinations with abstime: the same slices, named by the same
# functions (irq-info off leaves the interrupt's calls out of the text: its own group)
for irq in i _; do
	ref=""
	same=""
	for t in "$HERE"/../golden/trace/graph-_a?"$irq"*.txt; do
		"$PT" -q -f perfetto -o "$TMP/t.pf" "$t"
		got=$("$CHECK" --slices "$TMP/t.pf" |
		      awk -F'\t' '$2 != "instant" && $2 != "counter" {print $3}' |
		      sort | md5sum)
		[ -z "$ref" ] && ref=$got
		[ "$got" == "$ref" ] || same="$same $(basename "$t")"
	done
	check "abstime option combinations (irq-info '$irq'): same slice names" "$same" ""
done

# generated traces: slices in completion order per thread = the CSV's calls. Without
# abstime the synthetic clock gives exact durations; with abstime a call may begin up to
# 1 us late (us timestamps) and its parent end as much later, never earlier.
cmp_slices() {	# FILE.txt: prints "N mismatches, max extra ns"
	"$PT" -q "$1" | awk -F, 'NR > 1 {printf "%s %s %d\n", $2, $1, $3 * 1000 + 0.5}' >"$TMP/csv"
	"$PT" -q -f perfetto -o "$TMP/g.pf" "$1"
	"$CHECK" --slices "$TMP/g.pf" | awk -F'\t' 'NF == 5 {n = split($1, a, "-");
		print a[n], $3, $5}' >"$TMP/sl"
	for tid in $(cut -d' ' -f1 "$TMP/csv" | sort -u); do
		paste -d' ' <(grep "^$tid " "$TMP/sl") <(grep "^$tid " "$TMP/csv")
	done | awk 'NF != 6 || $2 != $5 || $3 < $6 {bad++} $3 - $6 > m {m = $3 - $6}
		END {printf "%d mismatches, max extra %d ns\n", bad, m}'
}
"$GEN" --calls 3000 --cpus 2 --threads 4 --proc >"$TMP/g1.txt" 2>/dev/null
check "generated, synthetic clock: slices = calls" "$(cmp_slices "$TMP/g1.txt")" \
	"0 mismatches, max extra 0 ns"
"$GEN" --calls 3000 --cpus 2 --threads 4 --proc --abstime >"$TMP/g2.txt" 2>/dev/null
got=$(cmp_slices "$TMP/g2.txt")
extra=$(echo "$got" | awk '{print $5}')
if [[ "$got" == "0 mismatches"* ]] && [ "$extra" -lt 1000 ]; then
	ok "generated, abstime: slices = calls, durations up to 1 us longer ($extra ns)"
else
	not_ok "generated, abstime: slices = calls" "$got"
fi
"$GEN" --calls 3000 --cpus 2 --threads 4 >"$TMP/g3.txt" 2>/dev/null
"$PT" -q -f perfetto -o "$TMP/g3.pf" "$TMP/g3.txt"
check "generated, no proc column (context switches): checker" \
	"$("$CHECK" "$TMP/g3.pf" | cut -d' ' -f2)" "slices=$("$PT" -q "$TMP/g3.txt" | tail -n +2 | wc -l)"

# size: at most 25 bytes per call before compression (a trace with us timestamps, 500
# functions used uniformly: most name iids take 2 bytes)
"$GEN" --calls 100000 --cpus 2 --threads 4 --proc --abstime >"$TMP/big.txt" 2>/dev/null
"$PT" -q -f perfetto --uncompressed -o "$TMP/big.pf" "$TMP/big.txt"
per_call=$(awk -v b="$(stat -c %s "$TMP/big.pf")" 'BEGIN {printf "%.2f", b / 100000}')
if awk -v x="$per_call" 'BEGIN {exit !(x <= 25)}'; then
	ok "at most 25 bytes per call uncompressed ($per_call)"
else
	not_ok "at most 25 bytes per call uncompressed" "$per_call"
fi
"$PT" -q -f perfetto -o "$TMP/big.z.pf" "$TMP/big.txt"
"$CHECK" "$TMP/big.z.pf" >/dev/null
expect_status "compressed big trace: checker passes (chunks < 512 KB)" 0 $?

# deeper than Perfetto's 512 levels: the deeper calls are left out, the rest nest
# (packets: the process and thread descriptors, the clock snapshot, 512 BEGINs, 512 ENDs)
awk 'BEGIN { d = 1000
	for (i = 0; i < d; i++) printf " 0)               |  %*sf%d() {\n", 2 * i, "", i
	for (i = d - 1; i >= 0; i--) printf " 0)   1.000 us    |  %*s}\n", 2 * i, "" }' >"$TMP/deep"
"$PT" -q -f perfetto -o "$TMP/deep.pf" "$TMP/deep"
check "1000-deep nesting: 512 slices" "$("$CHECK" "$TMP/deep.pf")" \
	"packets=1027 slices=512 instants=0 tracks=2 task_states=0 max_depth=512 counters=0 flows=0 samples=0"
# broken input: no crash, and what is written is a valid trace
{ head -c 3000 "$TMP/g2.txt"; head -c 2000 /dev/urandom; tail -c 3000 "$TMP/g2.txt"; } >"$TMP/junk"
"$PT" -q -f perfetto -o "$TMP/junk.pf" "$TMP/junk" 2>/dev/null
[ $? -le 1 ] && "$CHECK" "$TMP/junk.pf" >/dev/null
expect_status "garbage in the middle: status <= 1, checker passes" 0 $?

# Chrome JSON above a million events points to this format (release build: 1,000,001 calls)
calls=$("$O/host/gen-trace" --calls 1000001 --cpus 1 --threads 1 2>&1 >"$TMP/m.txt" | cut -d= -f2)
"$O/bin/parse-trace" -f chrome -o /dev/null "$TMP/m.txt" 2>"$TMP/err"
check "chrome above a million calls: warning" "$(tail -1 "$TMP/err")" \
	"parse-trace: $calls calls in Chrome JSON, more than Perfetto's JSON importer handles well (about 1000000); use --format perfetto"
check "chrome above a million calls: -q says nothing" \
	"$("$O/bin/parse-trace" -q -f chrome -o /dev/null "$TMP/m.txt" 2>&1)" ""
rm -f "$TMP/m.txt"

# a capture file of glass record (issue 13) is read as the text its printer gives, with the
# thread table's whole names where the proc column cuts them (app_mai-1 is app_main-1):
# the same slices and CPU states as from that text, and trace.dat the same calls
full_names() { sed -e 's/^app_mai-1/app_main-1/' -e 's/^httpd-w-2/httpd-worker-2/' \
	-e 's/^kworker-3/kworker\/0:1-3/'; }
if [ -x "$O/host-san/gen-capture" ]; then
	"$O/host-san/gen-capture" --calls 300 --seed 4 "$TMP/g.cap" "$TMP/g.cap.txt" >/dev/null 2>&1
	"$PT" -q -f perfetto -o "$TMP/cap.pf" "$TMP/g.cap"
	"$PT" -q -f perfetto -o "$TMP/txt.pf" "$TMP/g.cap.txt"
	"$CHECK" --slices "$TMP/cap.pf" >"$TMP/cap.sl"
	check "capture file: the slices of its text, under the table's whole names" \
		"$(cat "$TMP/cap.sl")" "$("$CHECK" --slices "$TMP/txt.pf" | full_names)"
	check "capture file: the table's names" "$(cut -f1 "$TMP/cap.sl" | grep -- '-[0-9]$' | sort -u)" \
		"app_main-1
httpd-worker-2
kworker/0:1-3"
	if have_protoc; then
		check "capture file: the same CPU states as its text" \
			"$("$PT" -q -f perfetto --uncompressed "$TMP/g.cap" | decode | grep -A5 generic_kernel |
			   grep -v comm)" \
			"$("$PT" -q -f perfetto --uncompressed "$TMP/g.cap.txt" | decode |
			   grep -A5 generic_kernel | grep -v comm)"
	fi
	if command -v trace-cmd >/dev/null; then
		"$PT" -q -f tracedat -o "$TMP/cap.dat" "$TMP/g.cap"
		"$PT" -q -f tracedat -o "$TMP/txt.dat" "$TMP/g.cap.txt"
		check "capture file: trace.dat holds the calls of its text (all but comm)" \
			"$(trace-cmd report "$TMP/cap.dat" 2>/dev/null | "$PT" -q | sed 's/,[^,]*$//' | sort)" \
			"$(trace-cmd report "$TMP/txt.dat" 2>/dev/null | "$PT" -q | sed 's/,[^,]*$//' | sort)"
		check "capture file: trace.dat's saved cmdlines are the table's" \
			"$(trace-cmd report "$TMP/cap.dat" 2>/dev/null | grep -o 'kworker/0:1-3' | head -1)" \
			"kworker/0:1-3"
	fi
else
	ok "capture file # SKIP gen-capture not built"
fi

# trace events (gen-capture --events: every kind, 40 calls): app spans and instants on a
# track per thread ("comm-tid app"), interrupts on a track per CPU, app counters on a counter
# track per name, each event once; wakeups as flows from the waker's instant to the wakee's
# next slice; the other events stay instants on their thread
if [ -x "$O/host-san/gen-capture" ]; then
	"$O/host-san/gen-capture" --calls 40 --seed 3 --opts 0x3fe --events "$TMP/e.cap" \
		"$TMP/e.txt" >/dev/null
	"$PT" -q -f perfetto -o "$TMP/e.pf" "$TMP/e.cap"
	"$CHECK" --slices "$TMP/e.pf" >"$TMP/e.sl"
	expect_status "events: checker passes" 0 $?
	awk -F'\t' '$1 ~ / app$| irqs$/ || ($2 == "counter" && $1 !~ /cpu_util$/)' "$TMP/e.sl" \
		>"$TMP/e.events"
	check_file "events: app, irq and counter tracks golden" "$TMP/e.events" "$G/events.slices"
	check "events: one slice, instant or sample per begin, instant, counter, irq entry" \
		"$(wc -l <"$TMP/e.events")" \
		"$(grep -c 'span_begin:\|instant:\|counter:\|irq_handler_entry:' "$TMP/e.txt")"
	check "events: the same from the capture's text (but its cut names)" \
		"$("$PT" -q -f perfetto -o - "$TMP/e.txt" | "$CHECK" --slices /dev/stdin |
		   awk -F'\t' '$1 ~ / app$| irqs$/ || ($2 == "counter" && $1 !~ /cpu_util$/)' |
		   full_names)" "$(cat "$G/events.slices")"
	check "events: wakeups end as flows" "$(tail -1 "$TMP/e.sl" | grep -o 'flows=[0-9]*')" \
		"flows=$(grep -c 'sched_wakeup:' "$TMP/e.txt")"
	check "events: lifecycle events stay instants" "$(grep -c 'instant	task_\|instant	sched_' \
		"$TMP/e.sl")" "$(grep -c 'task_newtask:\|task_rename:\|sched_wakeup:\|sched_process_exit:' \
		"$TMP/e.txt")"
	if have_protoc; then
		"$PT" -q -f perfetto --uncompressed "$TMP/e.cap" | decode >"$TMP/e.txtpb"
		check "events: a span's arguments as debug annotations" "$(grep -B12 \
			'name: "GET /ftrace/trace"' "$TMP/e.txtpb" | head -13 | tr -d ' \n')" \
			'trusted_packet_sequence_id:49155track_event{debug_annotations{int_value:404name:"status"}debug_annotations{int_value:4363name:"bytes"}type:TYPE_SLICE_BEGINtrack_uuid:2199023255555name:"GET/ftrace/trace"'
		check "events: flow ids begin on the waker, end on the wakee" \
			"$(grep -o 'terminating_flow_ids: [0-9]*\|^    flow_ids: [0-9]*' "$TMP/e.txtpb" |
			   sort | uniq -c | awk '{print $1, $2, $3}' | tr '\n' ' ')" \
			"1 flow_ids: 1 1 flow_ids: 2 1 terminating_flow_ids: 1 1 terminating_flow_ids: 2 "
	fi
fi

# CPU samples (captures/compute-samples.txt.zst: compute sampled at 10 kHz, a nop trace):
# one PerfSample per non-idle sample, on its thread, with interned stacks
CS=$HERE/captures/compute-samples.txt.zst
"$PT" -q -f perfetto --uncompressed -o "$TMP/cs.pf" "$CS"
expect_status "samples: written" 0 $?
text_samples() { zstdcat "$CS" | awk '/ profile_sample: / && $1 != "<idle>-0"' ; }
check "samples: checker passes, one sample per non-idle profile_sample" \
	"$("$CHECK" "$TMP/cs.pf" | grep -o 'samples=[0-9]*')" "samples=$(text_samples | wc -l)"
"$CHECK" --samples "$TMP/cs.pf" | grep -v '^packets=' >"$TMP/cs.samples"
check "samples: each on its thread's track" "$(cut -f1 "$TMP/cs.samples" | sort | uniq -c)" \
	"$(text_samples | awk '{ print $1 }' | sort | uniq -c)"
check "samples: the times and CPUs of the text" "$(cut -f2,4 "$TMP/cs.samples")" \
	"$(text_samples | awk '{ gsub(/[\[\]:]/, "", $2); gsub(/[:.]/, "", $4); print $2 + 0 "\t" $4 * 1000 }')"
# the stacks as the folded export reads them (weights: 100000 ns a sample at 10 kHz)
check "samples: the stacks of the folded export" \
	"$(cut -f3 "$TMP/cs.samples" | sort | uniq -c | awk '{ print $2, $1 * 100000 }')" \
	"$("$PT" -q -f folded "$CS" | sort)"
check "samples: fib is the leaf of 195, merge_halves of 146" \
	"$(awk -F'\t' '{ n = split($3, f, ";"); c[f[n]]++ } END { print c["fib"], c["merge_halves"] }' \
	   "$TMP/cs.samples")" "195 146"
"$PT" -q -f perfetto -o "$TMP/cs.z.pf" "$CS"
check "samples: the same in zstd packets" "$("$CHECK" --samples "$TMP/cs.z.pf" | grep -v '^packets=')" \
	"$(cat "$TMP/cs.samples")"
if have_protoc; then
	decode <"$TMP/cs.pf" >"$TMP/cs.txtpb"
	check "samples: fib interned once as a function name, with one frame" \
		"$(grep -c 'str: "fib"' "$TMP/cs.txtpb") $(awk '/str: "fib"/ { print id } /iid:/ { id = $2 }' \
		   "$TMP/cs.txtpb" | while read -r i; do grep -c "function_name_id: $i\$" "$TMP/cs.txtpb"; done)" "1 1"
	check "samples: every frame in the one mapping, glass, at rel_pc 0" \
		"$(grep -c '^    frames {' "$TMP/cs.txtpb") $(grep -c '^      mapping_id: 1$' "$TMP/cs.txtpb") $(grep -c '^      rel_pc: 0$' "$TMP/cs.txtpb") $(grep -A1 '^    mapping_paths {' "$TMP/cs.txtpb" | grep -c 'iid: 1')" \
		"$(grep -c '^    function_names {' "$TMP/cs.txtpb") $(grep -c '^    function_names {' "$TMP/cs.txtpb") $(grep -c '^    function_names {' "$TMP/cs.txtpb") 1"
	check "samples: PerfSample packets in kernel mode, on one sequence" \
		"$(grep -c 'cpu_mode: MODE_KERNEL' "$TMP/cs.txtpb") $(awk '/^  trusted_packet_sequence_id:/ { seq = $2 }
		   /^  perf_sample {/ { print seq }' "$TMP/cs.txtpb" | sort | uniq -c | awk '{ print $1 }')" \
		"$(text_samples | wc -l) $(text_samples | wc -l)"
	protoc --encode=perfetto.protos.Trace -I "$PROTO_DIR" "$PROTO_DIR/$PROTO" \
		<"$G/good-samples.txtpb" >"$TMP/good-samples.pb"
	check "samples: checker accepts entries defined in the packet that uses them" \
		"$("$CHECK" --samples "$TMP/good-samples.pb")" "t-7	0	f	100
t-7	1	f;g	200
packets=3 slices=0 instants=0 tracks=1 task_states=0 max_depth=0 counters=0 flows=0 samples=2"
fi

# usage and input errors
"$PT" -q -f perfetto --tid 1 "$small" >/dev/null 2>&1
expect_status "filters with perfetto: usage error" 2 $?
"$PT" -q -f tracedat --min-us 1 "$small" >/dev/null 2>&1
expect_status "filters with tracedat: usage error" 2 $?
check "--uncompressed without perfetto: usage error" "$("$PT" --uncompressed "$small" 2>&1)" \
	"parse-trace: --uncompressed applies to --format perfetto
Try 'parse-trace --help'."
"$PT" -q -f perfetto "$HERE/cases/fn-trace-header.txt" >"$TMP/fn.pf" 2>"$TMP/err"
expect_status "function tracer input: status 1" 1 $?
check "function tracer input: message" "$(cat "$TMP/err")" \
	"$HERE/cases/fn-trace-header.txt: function tracer hits can only be written as CSV"
: >"$TMP/empty.txt"
"$PT" -q -f perfetto -o "$TMP/empty.pf" "$TMP/empty.txt" 2>/dev/null
check "empty input: empty output" "$(stat -c %s "$TMP/empty.pf")" "0"

# the checker finds what it is there to find
if have_protoc; then
	for f in "$G"/bad-*.txtpb; do
		name=$(basename "$f" .txtpb)
		protoc --encode=perfetto.protos.Trace -I "$PROTO_DIR" "$PROTO_DIR/$PROTO" <"$f" \
			>"$TMP/$name.pb"
		if "$CHECK" "$TMP/$name.pb" >"$TMP/out"; then
			not_ok "checker rejects $name" "accepted"
		else
			ok "checker rejects $name: $(head -1 "$TMP/out" | sed 's/^[^:]*: //')"
		fi
	done
else
	ok "checker negative cases # SKIP protoc not installed"
fi
finish
