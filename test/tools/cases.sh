#!/usr/bin/env bash
# parse-trace on hand-written traces whose answers were worked out by hand (test/tools/cases:
# NAME.txt input, NAME.csv expected rows, NAME.err expected warnings when not the default).
# Also: filters, output formats, zstd in and out, several files, option errors.
source "$(dirname "$0")/lib.sh"
C=$HERE/cases
pt=$(realpath "$PT")

for t in "$C"/*.txt; do
	name=$(basename "$t" .txt)
	got=$(cd "$C" && "$pt" "$name.txt" 2>"$TMP/err")
	check "$name rows" "$got" "$(cat "$C/$name.csv")"
	if [ -f "$C/$name.err" ]; then
		check_file "$name warnings" "$TMP/err" "$C/$name.err"
	fi
done

n2=$C/nested-2cpu.txt
check "summary line" "$("$PT" "$n2" 2>&1 >/dev/null)" \
	"$n2: 13 lines, 6 calls, 0 unparsed lines, 0 returns without entry (0 named by tail), 0 unclosed calls"
check "quiet" "$("$PT" -q "$n2" 2>&1 >/dev/null)" ""
check "--cpu 1" "$("$PT" -q --cpu 1 "$n2" | cut -d, -f1 | tr '\n' ' ')" "function y x "
check "--cpu 0,1 --cpu 7" "$("$PT" -q --cpu 0,1 --cpu 7 "$n2" | wc -l)" "7"
check "--function glob" "$("$PT" -q --function 'c*' --function y "$n2" | cut -d, -f1 | tr '\n' ' ')" \
	"function y c "
check "--min-us" "$("$PT" -q --min-us 3.5 "$n2" | cut -d, -f1 | tr '\n' ' ')" "function x c a "
check "--tid" "$("$PT" -q --tid 42 "$C/proc-abstime-migrate.txt" | cut -d, -f1 | tr '\n' ' ')" \
	"function step step work "
check "--tid -1" "$("$PT" -q --tid -1 "$n2" | wc -l)" "7"
check "chrome" "$("$PT" -q -f chrome "$n2")" "$(cat "$C/nested-2cpu.chrome.json")"
check "folded" "$("$PT" -q --format=folded "$n2")" "$(cat "$C/nested-2cpu.folded")"
# middle's return has a tail but no entry: its self time (1.000 - 0.400 us) is on its own
# name, not on the [unknown] caller made up for inner
check "folded: a caller named by its tail" "$("$PT" -q -f folded "$C/partial-tails.txt")" \
	"$(cat "$C/partial-tails.folded")"

zstd -q -c "$n2" >"$TMP/n2.zst"
check "zstd input" "$("$PT" -q "$TMP/n2.zst")" "$(cat "$C/nested-2cpu.csv")"
check "stdin input" "$("$PT" -q <"$TMP/n2.zst")" "$(cat "$C/nested-2cpu.csv")"
"$PT" -q -o "$TMP/out.csv.zst" "$n2"
check "zstd output" "$(zstd -q -dc "$TMP/out.csv.zst")" "$(cat "$C/nested-2cpu.csv")"
"$PT" -q -o "$TMP/out.csv" "$n2"
check_file "-o plain" "$TMP/out.csv" "$C/nested-2cpu.csv"
check "two files, one header" "$("$PT" -q "$n2" "$C/quoting.txt" | grep -c '^function,')" "1"
check "two files, all rows" "$("$PT" -q "$n2" "$C/quoting.txt" | wc -l)" "9"

"$PT" --format xml "$n2" >/dev/null 2>"$TMP/err"
expect_status "unknown format is a usage error" 2 $?
check "unknown format message" "$(head -1 "$TMP/err")" \
	"parse-trace: unknown format 'xml' (csv, chrome, folded, pprof, sqlite, perfetto, tracedat, lifecycle or mermaid)"
"$PT" --cpu x "$n2" >/dev/null 2>&1
expect_status "bad --cpu is a usage error" 2 $?
"$PT" --min-us -1 "$n2" >/dev/null 2>&1
expect_status "bad --min-us is a usage error" 2 $?
"$PT" --bogus >/dev/null 2>&1
expect_status "unknown option is a usage error" 2 $?
check "--version" "$("$PT" --version)" "parse-trace (glass) 0.1.0"
"$PT" --help | grep -q -- "--format FMT" && ok "--help" || not_ok "--help" "no option list"
finish
