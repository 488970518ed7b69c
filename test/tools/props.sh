#!/usr/bin/env bash
# Property tests on generated traces (test/tools/gen-trace.c knows how many calls it wrote
# and keeps every duration exact): row count = call count, self never negative nor above
# the latency, per-thread self times sum exactly to that thread's root durations, zstd input
# gives the same rows, and runtime-breakdown reads CSV and raw text to the same table; the
# same for function tracer text and its hit tables.
source "$(dirname "$0")/lib.sh"

# us "12.345" -> ns 12345 as an integer, in awk (exact: no floating point on the digits)
AWK_NS='function ns(s,  p) { p = index(s, "."); return (substr(s, 1, p - 1) substr(s, p + 1)) + 0 }'

prop() {
	local name=$1; shift
	"$GEN" "$@" >"$TMP/t.txt" 2>"$TMP/gen"
	local calls; calls=$(sed -n 's/^calls=//p' "$TMP/gen")
	"$PT" "$TMP/t.txt" >"$TMP/t.csv" 2>"$TMP/err"
	expect_status "$name: parses" 0 $?
	check "$name: no warnings" "$(grep -c -v ' 0 unparsed lines, 0 returns without entry (0 named by tail), 0 unclosed calls$' "$TMP/err")" "0"
	check "$name: rows = calls" "$(($(wc -l <"$TMP/t.csv") - 1))" "$calls"
	check "$name: 0 <= self <= latency" "$(awk -F, "$AWK_NS"'
		NR > 1 && (ns($4) < 0 || ns($4) > ns($3)) { bad++ } END { print bad + 0 }' "$TMP/t.csv")" "0"
	check "$name: per-thread self sums to root durations" "$(awk -F, "$AWK_NS"'
		NR > 1 { self[$2] += ns($4); if ($6 == 0) root[$2] += ns($3) }
		END { for (t in self) if (self[t] != root[t]) bad++; print bad + 0 }' "$TMP/t.csv")" "0"
	zstd -q -c "$TMP/t.txt" >"$TMP/t.zst"
	"$PT" -q "$TMP/t.zst" >"$TMP/z.csv"
	check_file "$name: zstd input, same rows" "$TMP/z.csv" "$TMP/t.csv"
	"$RB" -q --csv --top 0 "$TMP/t.csv" >"$TMP/a"
	"$RB" -q --csv --top 0 "$TMP/t.txt" >"$TMP/b"
	check_file "$name: breakdown of CSV = of raw trace" "$TMP/b" "$TMP/a"
	check "$name: breakdown counts every call" "$(awk -F, 'NR > 1 { n += $2 } END { print n }' "$TMP/a")" "$calls"
}

prop "1 cpu" --calls 3000 --cpus 1 --threads 1 --seed 1
prop "4 cpus, proc, abstime" --calls 20000 --cpus 4 --threads 4 --proc --abstime --seed 2
prop "2 cpus, 6 threads, ctx switches" --calls 20000 --cpus 2 --threads 6 --proc --seed 3
prop "deep" --calls 5000 --cpus 2 --threads 2 --max-depth 60 --seed 4

# zstd input is decompressed by a second thread into a ring of 1 MiB blocks parsed in place
# (tools/lib/input.c): a 12 MB trace spans many blocks and wraps the ring around, so lines
# and overlong lines (70000 bytes, every 20000 lines) are cut by block boundaries; rows
# and messages must be those of the plain text, from a file and from stdin.
"$GEN" --bytes 12000000 --cpus 4 --threads 8 --proc --seed 6 >"$TMP/big.txt" 2>/dev/null
long=$(head -c 70000 /dev/zero | tr '\0' x)
awk -v l="$long" 'NR % 20000 == 0 { print l } { print }' "$TMP/big.txt" >"$TMP/long.txt"
for f in big long; do
	zstd -q -c "$TMP/$f.txt" >"$TMP/$f.zst"
	"$PT" --max-warnings 1000 "$TMP/$f.txt" >"$TMP/p.csv" 2>"$TMP/p.err"
	"$PT" --max-warnings 1000 "$TMP/$f.zst" >"$TMP/z.csv" 2>"$TMP/z.err"
	check_file "zstd ring, $f: same rows as plain" "$TMP/z.csv" "$TMP/p.csv"
	check "zstd ring, $f: same messages as plain" "$(sed "s|$TMP/$f.zst|F|" "$TMP/z.err")" \
		"$(sed "s|$TMP/$f.txt|F|" "$TMP/p.err")"
	"$PT" -q <"$TMP/$f.zst" >"$TMP/s.csv"
	check_file "zstd ring, $f: same rows from stdin" "$TMP/s.csv" "$TMP/p.csv"
done
check "zstd ring: overlong lines reported" "$(grep -c 'line longer than' "$TMP/p.err")" \
	"$(($(wc -l <"$TMP/big.txt") / 20000))"

# function tracer text (gen-trace --function: one line per call entry, the caller named
# when the call is nested): one row per hit, the hit tables count every one of them, from
# the raw text and from the CSV alike, and zstd gives the same rows
"$GEN" --function --calls 20000 --cpus 4 --threads 8 --seed 7 >"$TMP/f.txt" 2>"$TMP/gen"
calls=$(sed -n 's/^calls=//p' "$TMP/gen")
"$PT" "$TMP/f.txt" >"$TMP/f.csv" 2>"$TMP/err"
expect_status "function tracer: parses" 0 $?
check "function tracer: summary" "$(cat "$TMP/err")" "$TMP/f.txt: $calls lines, $calls hits, 0 unparsed lines"
check "function tracer: rows = hits" "$(($(wc -l <"$TMP/f.csv") - 1))" "$calls"
check "function tracer: every thread on its CPU" "$(awk -F, 'NR > 1 && $2 % 4 != $3 { n++ } END { print n + 0 }' "$TMP/f.csv")" "0"
zstd -q -c "$TMP/f.txt" | "$PT" -q >"$TMP/z.csv"
check_file "function tracer: zstd input, same rows" "$TMP/z.csv" "$TMP/f.csv"
"$RB" -q --csv --top 0 "$TMP/f.txt" >"$TMP/a"
"$RB" -q --csv --top 0 "$TMP/f.csv" >"$TMP/b"
check_file "function tracer: hits of CSV = of raw text" "$TMP/b" "$TMP/a"
check "function tracer: hit table counts every hit" "$(awk -F, '/^function,hits/ { on = 1; next } /^$/ { on = 0 } on { n += $2 } END { print n }' "$TMP/a")" "$calls"
check "function tracer: pairs count every nested hit" "$(awk -F, '/^caller,/ { on = 1; next } on { n += $3 } END { print n }' "$TMP/a")" \
	"$(awk -F, 'NR > 1 && $5 != "" { n++ } END { print n }' "$TMP/f.csv")"

# without the proc column, threads are known from context-switch blocks only
"$GEN" --calls 20000 --cpus 2 --threads 6 --seed 5 >"$TMP/t.txt" 2>/dev/null
"$PT" -q "$TMP/t.txt" >"$TMP/t.csv"
check "ctx blocks name threads" "$(awk -F, 'NR > 1 && $2 >= 20 { n++ } END { print (n > 15000) }' "$TMP/t.csv")" "1"
check "abstime gives start_us" "$("$GEN" --calls 100 --abstime 2>/dev/null | "$PT" -q | awk -F, 'NR > 1 && $7 == "" { n++ } END { print n + 0 }')" "0"

# Time off the CPU: gen-trace --block switches threads inside calls and reports the waiting
# that caused, measured from the printed timestamps (docs/tools.md); the rows' offcpu_us_self
# must add up to it exactly, with the proc column and with context-switch blocks only, and
# offcpu_us_self <= offcpu_us <= latency_us + 1 us (timestamps are whole microseconds).
prop_offcpu() {
	local name=$1; shift
	"$GEN" --abstime --block "$@" >"$TMP/b.txt" 2>"$TMP/gen"
	"$PT" -q "$TMP/b.txt" >"$TMP/b.csv"
	check "$name: off-CPU self times add up to the waiting generated" "$(awk -F, "$AWK_NS"'
		NR > 1 && $10 != "" { s += ns($10) } END { printf "%d\n", s / 1000 }' "$TMP/b.csv")" \
		"$(sed -n 's/^offcpu_us=//p' "$TMP/gen")"
	check "$name: offcpu_us_self <= offcpu_us <= latency_us + 1 us" "$(awk -F, "$AWK_NS"'
		NR > 1 && $9 != "" && (ns($10) > ns($9) || ns($9) > ns($3) + 1000) { bad++ }
		END { print bad + 0 }' "$TMP/b.csv")" "0"
	"$RB" -q --csv --top 0 "$TMP/b.csv" >"$TMP/a"
	"$RB" -q --csv --top 0 "$TMP/b.txt" >"$TMP/b"
	check_file "$name: on-CPU breakdown of CSV = of raw trace" "$TMP/b" "$TMP/a"
}
prop_offcpu "blocking, proc" --calls 20000 --cpus 2 --threads 6 --proc --seed 9
prop_offcpu "blocking, ctx blocks only" --calls 20000 --cpus 3 --threads 7 --seed 12

# The estimate without timestamps (docs/tools.md): the same traces with their timestamps
# removed. Each row's estimated offcpu_us_self is 0 or its whole self time, and never below
# the measured one (less 1 us of timestamp rounding): the self time of a call that switched
# out holds its time away.
prop_estimate() {
	local name=$1; shift
	"$GEN" --abstime --block "$@" 2>/dev/null >"$TMP/e.txt"
	"$PT" -q "$TMP/e.txt" >"$TMP/measured.csv"
	sed -E 's/^ +[0-9]+\.[0-9]+ \| //' "$TMP/e.txt" | "$PT" -q - >"$TMP/est.csv"
	check "$name: estimate is 0 or the self time, offcpu_us_self <= offcpu_us <= latency_us" \
		"$(awk -F, "$AWK_NS"'NR > 1 && $9 != "" && (($10 != "0.000" && $10 != $4) ||
		ns($10) > ns($9) || ns($9) > ns($3)) { bad++ } END { print bad + 0 }' \
		"$TMP/est.csv")" "0"
	check "$name: estimate >= measured waiting, row by row" "$(paste -d, "$TMP/est.csv" \
		"$TMP/measured.csv" | awk -F, "$AWK_NS"'NR > 1 && $10 != "" &&
		ns($10) + 1000 < ns($21) { bad++ } END { print bad + 0 }')" "0"
	check "$name: some waiting estimated" "$(awk -F, 'NR > 1 && $10 > 0 { n++ }
		END { print (n > 0) }' "$TMP/est.csv")" "1"
}
prop_estimate "estimate, proc" --calls 20000 --cpus 2 --threads 6 --proc --seed 9
prop_estimate "estimate, ctx blocks only" --calls 20000 --cpus 3 --threads 7 --seed 12
finish
