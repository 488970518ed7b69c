#!/usr/bin/env bash
# Golden tests: parse-trace on every real Linux sample in $TRACES (../shared/traces), CSV on
# stdout, warnings on stderr and the exit status compared exactly with test/tools/golden/;
# skipped (and counted as skipped) where the samples are not beside the checkout.
# Two samples are also checked in the chrome and folded formats. The expected files were
# checked by hand against the traces (self times recomputed, tails, tids from ctx blocks).
# UPDATE=1 rewrites the expected files instead (then review the diff before committing).
source "$(dirname "$0")/lib.sh"
GOLD=$HERE/golden
pt=$(realpath "$PT")

# The samples live outside the repository (../shared beside a checkout, as in CI); a clone
# without them skips these goldens, one "# SKIP" line each, and still runs the goldens of
# the traces glass prints itself (below).
skip() { echo "ok - $1 # SKIP $2"; }

# run NAME FORMAT SUFFIX [DIR GOLDDIR]: one sample in one format
run() {
	local name=$1 fmt=$2 sfx=$3 dir=${4:-$TRACES} gold=${5:-$GOLD} status
	(cd "$dir" && "$pt" --format "$fmt" "$name.txt" >"$TMP/out" 2>"$TMP/err")
	status=$?
	if [ -n "${UPDATE:-}" ]; then
		cp "$TMP/out" "$gold/$name$sfx"
		[ "$fmt" = csv ] && cp "$TMP/err" "$gold/$name.err" && echo "$status" >"$gold/$name.status"
	fi
	check_file "$name $fmt output" "$TMP/out" "$gold/$name$sfx"
	if [ "$fmt" = csv ]; then
		check_file "$name warnings" "$TMP/err" "$gold/$name.err"
		check "$name exit status" "$status" "$(cat "$gold/$name.status")"
	fi
}

mkdir -p "$GOLD"
if ls "$TRACES"/*.txt >/dev/null 2>&1; then
	for f in "$TRACES"/*.txt; do
		run "$(basename "$f" .txt)" csv .csv
	done
	for name in fg01_perftools_do_nanosleep_ctxswitch fg07_perftools_funcslower_abstime_proc; do
		run "$name" chrome .chrome.json
		run "$name" folded .folded
	done
else
	for g in "$GOLD"/*.status "$GOLD"/*.chrome.json "$GOLD"/*.folded; do
		skip "$(basename "$g") (sample Linux trace)" "no sample traces in $TRACES"
	done
fi

# Traces glass's own printer wrote (test/golden/trace, checked there against Linux's format
# strings): the same forms as the samples (function_graph with every option, context
# switches, irq markers, comments, tails of partial calls, lost events, all overhead marks;
# the function tracer with and without irq-info and parent; trace and trace_pipe). The
# CSVs were checked by hand for graph-tapiod (self times, tails, start times from
# abstime) and function (timestamps rounded to us by the printer).
KGOLD=$HERE/../golden/trace
mkdir -p "$GOLD/glass"
for name in graph-tapiod graph-tap_od graph-tapio_ graph-______ graph-pipe graph-wide \
	graph-lost-header graph-stopped graph-cpu1 durations durations-nooverhead function \
	function-noirqinfo function-noparent function-nocontext function-pipe function-cpu1 \
	function-stopped function-graphstream nop; do
	run "$name" csv .csv "$KGOLD" "$GOLD/glass"
done
# The 64 option combinations print one event stream: with the same irqs and duration
# options they must give the same calls (thread ids and start times come with proc/abstime).
for f in "$KGOLD"/graph-[t_][a_][p_][i_][o_][d_].txt; do
	name=$(basename "$f" .txt)
	group=${name:9:1}${name:11:1}
	"$pt" -q "$f" | cut -d, -f1,3-6,8 >"$TMP/$name.calls"
	[ -f "$TMP/group-$group" ] || cp "$TMP/$name.calls" "$TMP/group-$group"
	check_file "$name: the calls of its option group" "$TMP/$name.calls" "$TMP/group-$group"
done
finish
