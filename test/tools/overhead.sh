#!/usr/bin/env bash
# Hook-overhead compensation (--overhead, tools/lib/overhead.c) on a hand-made tree,
# test/tools/cases/overhead-tree.txt, whose answers were worked out by hand:
#   top 2000 ns { leafa 300; mid 1000 { leafb 100; leafb 150 }; tiny 20 }
# With IN,OUT = 50,30 for calls with children and LEAF_IN,LEAF_OUT = 40,20 for leaves:
#   leaves: their time - 40 (leafa 260, leafb 60 and 110); tiny: 20 - 40 < 0, clamped to 0
#   (its total and self time: 2 clamps);
#   mid: total 1000 - 50 - 2 x (40 + 20) = 830, self 750 - 50 - 2 x 20 = 660;
#   top: total 2000 - 50 - (60 + (50 + 30 + 120) + 60) = 1630,
#        self 680 - 50 - (20 + 30 + 20) = 560.
# With 50,30 for all calls: leafa 250, leafb 50 + 100, mid self 750 - 50 - 60 = 640,
# top self 680 - 50 - 90 = 540 (folded stacks, which leave out tiny's 20 - 50 < 0).
source "$(dirname "$0")/lib.sh"
t=$HERE/cases/overhead-tree.txt

check "overhead: csv, leaves' own constants" \
	"$("$PT" -q --overhead 50,30,40,20 "$t" | cut -d, -f1,3,4)" \
	"function,latency_us,latency_us_self
leafa,0.260,0.260
leafb,0.060,0.060
leafb,0.110,0.110
mid,0.830,0.660
tiny,0.000,0.000
top,1.630,0.560"
check "overhead: the clamped times are counted" \
	"$("$PT" --overhead 50,30,40,20 "$t" 2>&1 >/dev/null | grep -o '[0-9]* compensated times clamped at 0')" \
	"2 compensated times clamped at 0"
check "overhead: folded, one pair for all calls" \
	"$("$PT" -q -f folded --overhead 50,30 "$t")" \
	"top 540
top;leafa 250
top;mid 640
top;mid;leafb 150"
check "overhead: decimals round per call to the ns (300 - 50.5 = 249.5 -> 249)" \
	"$("$PT" -q --overhead 50.5,0 "$t" | awk -F, '$1 == "leafa" { print $3 }')" "0.249"
check "overhead: off by default" \
	"$("$PT" -q "$t" | awk -F, '$1 == "top" { print $3, $4 }')" "2.000 0.680"
check "overhead: runtime-breakdown's table" \
	"$("$RB" --no-plot --overhead 50,30,40,20 "$t" 2>/dev/null | awk '$1 == "mid" || $1 == "top" { print $1, $2, $3, $4 }')" \
	"mid 1 0.830 0.660
top 1 1.630 0.560"

# Sums carry what clamping cut: top 500 { tiny 20; tiny 100; neg 10 } with 50,30: the rows
# show tiny 0 (cut 30) and 50, neg 0 (cut 40); the sums are tiny 50 - 30 = 20 and neg
# -40 -> 0 (folded leaves the path out); top's self 500 - 130 - 50 - 3 x 30 = 230.
cat >"$TMP/cut.txt" <<'TRACE'
# tracer: function_graph
#
# CPU  DURATION                  FUNCTION CALLS
# |     |   |                     |   |   |   |
 0)               |  top() {
 0)   0.020 us    |    tiny();
 0)   0.100 us    |    tiny();
 0)   0.010 us    |    neg();
 0)   0.500 us    |  }
TRACE
check "overhead: rows clamp at 0" \
	"$("$PT" -q --overhead 50,30 "$TMP/cut.txt" | cut -d, -f1,4 | tail -n +2 | tr '\n' ' ')" \
	"tiny,0.000 tiny,0.050 neg,0.000 top,0.230 "
check "overhead: folded sums take the cut amounts off, then clamp" \
	"$("$PT" -q -f folded --overhead 50,30 "$TMP/cut.txt")" \
	"top 230
top;tiny 20"
check "overhead: runtime-breakdown's sums too" \
	"$("$RB" --no-plot --overhead 50,30 "$TMP/cut.txt" 2>/dev/null | awk 'NR > 1 && $1 != "time:" && NF > 5 { print $1, $2, $4, $5 }')" \
	"top 1 0.230 92.0
tiny 2 0.020 8.0
neg 1 0.000 0.0"
if command -v go >/dev/null && go tool pprof -h >/dev/null 2>&1; then
	export HOME=$TMP GOCACHE=$TMP/gocache	# go's cache; CI's HOME may be read-only
	"$PT" -q -f pprof --overhead 50,30 -o "$TMP/cut.pb.gz" "$TMP/cut.txt"
	check "overhead: pprof's cpu values are the same sums" \
		"$(go tool pprof -unit=ns -sample_index=cpu -top "$TMP/cut.pb.gz" 2>&1 | awk '$NF == "top" || $NF == "tiny" || $NF == "neg" { print $NF, $1 }')" \
		"top 230ns
tiny 20ns"
else
	ok "overhead: pprof's cpu values # SKIP go is not installed"
fi

for bad in 1 1, ,1 a,b -1,2 1,2,3 1,2,3,4,5 1.2345,1 1.,2 1,2x 1000000000,1; do
	"$PT" -q --overhead "$bad" "$t" >/dev/null 2>"$TMP/err"
	st=$?
	if [ $st -eq 2 ] && grep -q "bad --overhead '$bad'" "$TMP/err"; then
		ok "overhead: parse-trace refuses '$bad' (status 2)"
	else
		not_ok "overhead: parse-trace --overhead '$bad'" "status $st: $(head -1 "$TMP/err")"
	fi
done
"$RB" --no-plot --overhead 1,x "$t" >/dev/null 2>"$TMP/err"
st=$?
[ $st -eq 2 ] && grep -q "bad --overhead '1,x'" "$TMP/err" &&
	ok "overhead: runtime-breakdown refuses '1,x' (status 2)" ||
	not_ok "overhead: runtime-breakdown --overhead 1,x" "status $st"
"$PT" -q -f chrome --overhead 1,1 "$t" >/dev/null 2>"$TMP/err"
st=$?
[ $st -eq 2 ] && grep -q -- "--overhead applies to --format csv, folded and pprof" "$TMP/err" &&
	ok "overhead: not with --format chrome (status 2)" ||
	not_ok "overhead: --format chrome --overhead" "status $st"
"$PT" -q "$t" >"$TMP/tree.csv"
"$RB" --no-plot --overhead 1,1 "$TMP/tree.csv" >/dev/null 2>"$TMP/err"
st=$?
[ $st -eq 1 ] && grep -q "tree.csv:1: --overhead needs function_graph text" "$TMP/err" &&
	ok "overhead: runtime-breakdown says a CSV has no call tree (status 1)" ||
	not_ok "overhead: runtime-breakdown --overhead on CSV" "status $st: $(head -1 "$TMP/err")"
finish
