#!/usr/bin/env bash
# Accuracy of the sampling profiler against function_graph (issue 15, docs/benchmarks.md
# "Accuracy"): apps/compute on one CPU, booted three times under the same QEMU settings:
#  1. apps/ftrace-bench's calibration (ftrace_bench_calib=1): the hooks' cost inside and
#     outside a call's timestamps, for leaves and for calls with children (the
#     --overhead values of parse-trace and runtime-breakdown, docs/overhead.md);
#  2. compute, tracer nop, profile_sample at HZ (default 10000), ROUNDS rounds (default
#     6000: some 7,000 samples, a standard error under 0.6 points per share);
#  3. compute, function_graph on the workload's functions (set_ftrace_filter: the hooks'
#     fast path), GRAPH_ROUNDS rounds (default 30: the ring blocks the hooks zero, some
#     8,600 instructions each inside whichever call starts one, spread over the functions
#     by their calls rather than landing on a few).
# Then each workload function's share of the leaf samples against its share of the
# function_graph self time, as traced and compensated (parse-trace --overhead).
#   bench/profile-accuracy.sh            # under -icount shift=0: guest time = instructions
#   ICOUNT=0 bench/profile-accuracy.sh   # plain TCG
#   HOOKS=c bench/profile-accuracy.sh    # function_graph through the C hooks: the capture
#                                        # with set_graph_function=compute_worker
# One CPU: under -icount the vCPUs share one instruction clock, so with two a call's
# timestamps would also count the other CPU's instructions.
set -euo pipefail
cd "$(dirname "$0")/.."
. test/boot/lib.sh
HZ=${HZ:-10000}
ROUNDS=${ROUNDS:-6000}
GRAPH_ROUNDS=${GRAPH_ROUNDS:-30}
HOOKS=${HOOKS:-fast}
case "$HOOKS" in
fast) calib_arg=1 graph_arg="ftrace_filter=compute_work,fib,sort_range,merge_halves,mix,table_insert,table_lookup" ;;
c) calib_arg=c graph_arg="ftrace_graph_filter=compute_worker" ;;
*) echo "profile-accuracy: HOOKS is fast or c" >&2; exit 2 ;;
esac
ICOUNT=${ICOUNT:-1}
LOOP_INSN=${LOOP_INSN:-16}
qemu_extra=
[ "$ICOUNT" = 1 ] && qemu_extra="-icount shift=0"
funcs=compute_work,fib,sort_range,merge_halves,mix,table_insert,table_lookup
make -s --no-print-directory O="$O" "$O/bin/parse-trace" >&2
parse=$O/bin/parse-trace
compute=$(build_kernel compute ftrace)
calib=$(build_kernel ftrace-bench ftrace)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# trace_boot NAME KERNEL APPEND: the serial log in $dir/NAME.log, the dumped trace in .trace
trace_boot() {
	HEADLESS=1 EXIT=1 SMP=1 KVM=0 HTTP_PORT=0 APP_PORT=0 QEMU_EXTRA="$qemu_extra" \
		APPEND="trace_dump=1 $3" timeout 900 scripts/run-qemu.sh "$2" </dev/null 2>&1 |
		tr -d '\r' >"$dir/$1.log"
	sed -n '/^=== glass trace begin ===$/,/^=== glass trace end ===$/p' "$dir/$1.log" |
		sed '1d;$d' >"$dir/$1.trace"
}

trace_boot calib "$calib" "ftrace_bench_calib=$calib_arg"
trace_boot nop "$compute" "ftrace=nop trace_event=profile_sample profile_frequency=$HZ compute_rounds=$ROUNDS"
trace_boot graph "$compute" "$graph_arg compute_rounds=$GRAPH_ROUNDS"

# Calibration: G - N (graph minus nop, per loop iteration) is all the hooks add to a call;
# a leaf's traced duration is its own code (I instructions of bench_traced, counted in the
# ELF) plus `in`; a parent's is its own code (parent nop - leaf nop), plus its child's
# whole cost, plus its `in`. Durations are means, not medians: the hooks zero each 8 KiB
# block of the ring when they start it (some 8,600 instructions, about 1 ns per byte),
# inside one call's timestamps or outside, and that is part of what they cost on average. Under TCG an instruction's time is taken as the nop loop's
# time per instruction: LOOP_INSN instructions per iteration of the leaf nop loop (16, its
# ns per call under -icount, where an instruction is 1 ns).
ninsn=$(objdump -d --no-show-raw-insn "$calib" | awk '/<bench_traced>:/ {on = 1; next}
	on && /\tret/ {n++; print n; on = 0} on && /^ +[0-9a-f]+:/ {n++}')
calib_val() { awk -v w="$1" '$0 ~ "ftrace-bench-calib: " w " [0-9]" { print $(NF - 1) }' "$dir/calib.log"; }
# The lowest mean traced duration over the calibration's segments (each a bench_calls()
# call) of its direct children: leaves (kind leaf) or bench_parent's returns (kind parent).
segment_mean() {
	awk -v kind="$1" '
		function indent() { match($0, /\| */); return RLENGTH }
		/\| *bench_calls\(\) \{$/ { seg++; base = indent(); next }
		!seg || indent() != base + 2 || !match($0, /[0-9]+\.[0-9]+ us/) { next }
		{ d = substr($0, RSTART, RLENGTH - 3) * 1000 }
		(kind == "leaf" && /bench_traced\(\);$/) || (kind == "parent" && /\| *\}/) { sum[seg] += d; n[seg]++ }
		END { for (s in n) if (min == "" || sum[s] / n[s] < min) min = sum[s] / n[s]; printf "%.3f", min }
	' "$dir/calib.trace"
}
read -r in_n out_n in_l out_l < <(awk -v ln="$(calib_val 'leaf nop')" \
	-v lg="$(calib_val 'leaf function_graph')" -v pn="$(calib_val 'parent nop')" \
	-v pg="$(calib_val 'parent function_graph')" -v rl="$(segment_mean leaf)" \
	-v rp="$(segment_mean parent)" -v insn="$ninsn" \
	-v icount="$ICOUNT" -v loop_insn="$LOOP_INSN" 'BEGIN {
	leaf_code = icount ? insn : insn * ln / loop_insn
	hooks_l = lg - ln; in_l = rl - leaf_code; out_l = hooks_l - in_l
	own_p = pn - ln; in_n = rp - own_p - leaf_code - hooks_l; out_n = pg - pn - hooks_l - in_n
	printf "%.1f %.1f %.1f %.1f\n", in_n, out_n, in_l, out_l }')
overhead="$in_n,$out_n,$in_l,$out_l"
# Under plain TCG the host's noise can exceed a hook's cost: a constant below 0 is no
# calibration; it is taken as 0 and said so.
case ",$overhead" in
*,-*)
	echo "calibration: $overhead has a value below 0 (the host's noise exceeds the hooks' cost): taken as 0"
	overhead=$(tr ',' '\n' <<<"$overhead" | sed 's/^-.*/0/' | paste -sd,) ;;
esac
echo "QEMU: ${qemu_extra:-plain TCG}, 1 CPU; samples at $HZ Hz over $ROUNDS rounds, function_graph ($HOOKS hooks) over $GRAPH_ROUNDS"
grep 'ftrace-bench-calib:' "$dir/calib.log" | sed 's/^/  /'
echo "calibration: --overhead $overhead (IN,OUT,LEAF_IN,LEAF_OUT ns; bench_traced: $ninsn instructions)"

# shares of the workload functions: leaf samples, traced self time, compensated self time
# (folded stacks: self time summed per path, the clamped calls' cut taken off the sums)
leaf_sums() { awk '{ n = split($1, f, ";"); print f[n], $2 }'; }
"$parse" -q -f folded "$dir/nop.trace" | leaf_sums >"$dir/samples"
"$parse" -q -f folded "$dir/graph.trace" | leaf_sums >"$dir/traced"
"$parse" -q -f folded --overhead "$overhead" "$dir/graph.trace" | leaf_sums >"$dir/comp"
"$parse" --overhead "$overhead" "$dir/graph.trace" -o /dev/null 2>&1 |
	grep -o '[0-9]* compensated times clamped at 0' | sed 's/^/  calls: /' || true
awk -v funcs="$funcs" '
	BEGIN { n = split(funcs, f, ","); for (i = 1; i <= n; i++) want[f[i]] = 1 }
	!($1 in want) { next }
	FILENAME ~ /samples$/ { s[$1] += $2; st += $2 }
	FILENAME ~ /traced$/ { t[$1] += $2; tt += $2 }
	FILENAME ~ /comp$/ { c[$1] += $2; ct += $2 }
	END {
		for (k in want) printf "%-14s %10.1f %10.1f %10.1f %+10.1f\n", k, 100 * s[k] / st,
			100 * t[k] / tt, 100 * c[k] / ct, 100 * c[k] / ct - 100 * s[k] / st
	}' "$dir/samples" "$dir/traced" "$dir/comp" >"$dir/table"
echo "workload samples: $(awk -v f="$funcs" 'index("," f ",", "," $1 ",") { n += $2 } END { printf "%d", n * '"$HZ"' / 1e9 + 0.5 }' "$dir/samples")"
printf "%-14s %10s %10s %10s %10s\n" function "samples %" "traced %" "compens. %" "diff pp"
sort -k2,2nr "$dir/table"
