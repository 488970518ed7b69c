#!/usr/bin/env bash
# runtime-breakdown known answers: a CSV built here whose aggregates were worked out by hand
# (exact percentiles below 256 ns; above, the bucket midpoint 2002.944 us computed from
# the bucket layout in hist.h), sorting, filters, grouping, the function
# histogram, charts through gnuplot, and raw trace / zstd input.
source "$(dirname "$0")/lib.sh"
C=$HERE/cases
in=$TMP/in.csv

make_rb_input "$in"
H="function,calls,total_us,self_us,mean_us,min_us,max_us,p50_us,p95_us,p99_us"
IDLE="idle,1,5000.000,5000.000,5000.000,5000.000,5000.000,5000.000,5000.000,5000.000"
G="g,3,6000.000,1800.000,2000.000,1000.000,3000.000,2002.944,3000.000,3000.000"
F="f,100,5.050,5.050,0.050,0.001,0.100,0.050,0.095,0.099"

check "aggregate, sorted by self" "$("$RB" --csv "$in")" "$H
$IDLE
$G
$F"
names() { "$RB" --csv "$@" "$in" | tail -n +2 | cut -d, -f1 | tr '\n' ' '; }
check "--sort calls" "$(names --sort calls)" "f g idle "
check "--sort total" "$(names --sort total)" "g idle f "
check "--sort mean" "$(names --sort mean)" "idle g f "
check "--top 1" "$(names --top 1)" "idle "
check "--exclude" "$(names --exclude idle)" "g f "
check "--exclude twice" "$(names --exclude 'i*' --exclude g)" "f "
check "--include" "$(names --include 'g')" "g "
check "--tid" "$(names --tid 2,1)" "g f "
check "--cpu" "$(names --cpu 0)" "f "
check "time window" "$("$RB" --csv --from-us 200 --to-us 300 "$in" | tail -1)" \
	"g,1,1000.000,500.000,1000.000,1000.000,1000.000,1000.000,1000.000,1000.000"
check "--by thread" "$("$RB" --csv --by thread "$in" | cut -d, -f1-3)" "function,tid,calls
idle,0,1
f,1,100
g,2,3"
check "--by cpu" "$("$RB" --csv --by cpu "$in" | cut -d, -f1-3)" "function,cpu,calls
f,0,100
idle,1,1
g,1,3"
check "table header" "$("$RB" --no-plot "$in" | head -1 | tr -s ' ')" \
	"function calls total_us self_us self% mean_us min_us max_us p50_us p95_us p99_us"
check "table row" "$("$RB" --no-plot "$in" | sed -n 3p | tr -s ' ')" \
	"g 3 6000.000 1800.000 26.5 2000.000 1000.000 3000.000 2002.944 3000.000 3000.000"
bar=$(printf '%050d' 0 | tr 0 '#')
check "--function histogram" "$("$RB" --no-plot --function g "$in" | tail -4)" \
	"g: 3 calls, p50 2002.944 us, p95 3000.000 us, p99 3000.000 us
$(printf '%14s .. %-14s %10s %s' 983.040 1048.576 1 "$bar")
$(printf '%14s .. %-14s %10s %s' 1966.080 2097.152 1 "$bar")
$(printf '%14s .. %-14s %10s %s' 2883.584 3145.728 1 "$bar")"
"$RB" --no-plot --function nosuch "$in" >/dev/null 2>"$TMP/err"
expect_status "--function unknown: status 1" 1 $?
check "--function unknown: message" "$(cat "$TMP/err")" "runtime-breakdown: function nosuch not found"

want_trace="$H
a,1,20.000,15.500,20.000,20.000,20.000,20.000,20.000,20.000
x,1,10.250,9.750,10.250,10.250,10.250,10.250,10.250,10.250
d,1,2.000,2.000,2.000,2.000,2.000,2.000,2.000,2.000
c,1,3.500,1.500,3.500,3.500,3.500,3.500,3.500,3.500
b,1,1.000,1.000,1.000,1.000,1.000,1.000,1.000,1.000
y,1,0.500,0.500,0.500,0.500,0.500,0.500,0.500,0.500"
check "raw trace input" "$("$RB" -q --csv "$C/nested-2cpu.txt")" "$want_trace"
zstd -q -c "$C/nested-2cpu.csv" >"$TMP/n2.csv.zst"
check "zstd CSV input" "$("$RB" --csv "$TMP/n2.csv.zst")" "$want_trace"
check "stdin input" "$("$RB" --csv <"$C/nested-2cpu.csv")" "$want_trace"

# charts
out=$("$RB" --plot png -o "$TMP/p" --function g "$in" 2>&1 >/dev/null)
check "png: files" "$out" "wrote $TMP/p-threads.png
wrote $TMP/p-top.png
wrote $TMP/p-hist.png"
for f in threads top hist; do
	check "png: $f is a PNG" "$(head -c 4 "$TMP/p-$f.png" | od -An -tx1 | tr -d ' ')" "89504e47"
done
"$RB" --plot svg -o "$TMP/s" "$in" >/dev/null 2>&1
grep -q '<svg' "$TMP/s-top.svg" && grep -q '>idle<' "$TMP/s-top.svg" && ok "svg: top chart names functions" || not_ok "svg: top chart names functions" "no <svg> or no idle label"
grep -q '>f<' "$TMP/s-threads.svg" && ok "svg: thread chart legend" || not_ok "svg: thread chart legend" "no f label"
check "html: one page" "$("$RB" --plot html -o "$TMP/h" "$in" 2>&1 >/dev/null)" "wrote $TMP/h.html"
grep -q 'gnuplot_svg.toggleVisibility' "$TMP/h.html" && grep -q '>idle<' "$TMP/h.html" && ok "html: legend toggles functions" || not_ok "html: legend toggles functions" "no toggle script or labels"
check "html: no svg files left" "$(ls "$TMP"/h-* 2>/dev/null | wc -l)" "0"
GNUPLOT=/bin/false "$RB" --plot png -o "$TMP/q" "$in" >/dev/null 2>"$TMP/err"
expect_status "gnuplot failure: status 1" 1 $?
check "gnuplot failure: message" "$(cat "$TMP/err")" "runtime-breakdown: gnuplot failed (status 1)"
# Without --plot: the table on stdout and the standard png charts in the current directory,
# announced on stderr (README: "table + gnuplot plots"); --plot none / --no-plot turn them
# off; --csv and --serve make no charts unless asked.
RBA=$(cd "$(dirname "$RB")" && pwd)/$(basename "$RB")
table=$("$RB" --no-plot "$in")
in_dir() { local d=$TMP/$1; shift; mkdir -p "$d" && (cd "$d" && "$@"); }
in_dir d1 "$RBA" "$in" >"$TMP/out" 2>"$TMP/err"
expect_status "default: status 0" 0 $?
check "default: table on stdout" "$(cat "$TMP/out")" "$table"
check "default: charts announced on stderr" "$(cat "$TMP/err")" "wrote runtime-breakdown-threads.png
wrote runtime-breakdown-top.png"
check "default: files in the current directory" "$(ls "$TMP/d1")" "runtime-breakdown-threads.png
runtime-breakdown-top.png"
for f in threads top; do
	check "default: $f is a PNG" \
		"$(head -c 4 "$TMP/d1/runtime-breakdown-$f.png" | od -An -tx1 | tr -d ' ')" "89504e47"
done
in_dir d2 "$RBA" -o mine --function g "$in" >/dev/null 2>&1
check "default with -o and --function" "$(ls "$TMP/d2" | tr '\n' ' ')" \
	"mine-hist.png mine-threads.png mine-top.png "
for opt in "--plot none" --no-plot; do
	# shellcheck disable=SC2086
	in_dir "none${opt#--}" "$RBA" $opt "$in" >"$TMP/out" 2>"$TMP/err"
	check "$opt: same table" "$(cat "$TMP/out")" "$table"
	check "$opt: nothing on stderr, no files" "$(cat "$TMP/err"; ls "$TMP/none${opt#--}")" ""
done
in_dir csv "$RBA" --csv "$in" >/dev/null 2>"$TMP/err"
check "--csv: no charts by default" "$(cat "$TMP/err"; ls "$TMP/csv")" ""
in_dir csvp "$RBA" --csv --plot svg "$in" >"$TMP/out" 2>/dev/null
check "--csv --plot svg: charts too" "$(ls "$TMP/csvp" | tr '\n' ' ')" \
	"runtime-breakdown-threads.svg runtime-breakdown-top.svg "
check "--csv --plot svg: stdout is only CSV" "$(cat "$TMP/out")" "$("$RB" --csv "$in")"
in_dir empty "$RBA" --include nosuch "$in" >/dev/null 2>"$TMP/err"
expect_status "default, no calls selected: status 0" 0 $?
check "default, no calls selected: no charts, no message" "$(cat "$TMP/err"; ls "$TMP/empty")" ""
in_dir empty2 "$RBA" --plot png --include nosuch "$in" >/dev/null 2>"$TMP/err"
check "--plot, no calls selected: message" "$(cat "$TMP/err"; ls "$TMP/empty2")" \
	"runtime-breakdown: no calls selected, no charts written"
in_dir nognu env GNUPLOT=/nonexistent/gnuplot "$RBA" "$in" >"$TMP/out" 2>"$TMP/err"
expect_status "default without gnuplot: status 0" 0 $?
check "default without gnuplot: table" "$(cat "$TMP/out")" "$table"
check "default without gnuplot: message" "$(cat "$TMP/err")" \
	"runtime-breakdown: cannot run /nonexistent/gnuplot: No such file or directory
runtime-breakdown: no charts written (install gnuplot, or pass --no-plot)"
in_dir nognu2 env GNUPLOT=/nonexistent/gnuplot "$RBA" --plot png "$in" >/dev/null 2>"$TMP/err"
expect_status "--plot png without gnuplot: status 1" 1 $?
check "--plot png without gnuplot: message" "$(tail -1 "$TMP/err")" \
	"runtime-breakdown: gnuplot failed (status 127)"
"$RB" --plot jpeg "$in" >/dev/null 2>&1
expect_status "--plot jpeg: usage error" 2 $?
check "--version" "$("$RB" --version)" "runtime-breakdown (glass) 0.1.0"
finish
