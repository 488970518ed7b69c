#!/usr/bin/env bash
# Golden tests: parse-trace on every real Linux sample in $TRACES (../shared/traces), CSV on
# stdout, warnings on stderr and the exit status compared exactly with test/tools/golden/.
# Two samples are also checked in the chrome and folded formats. The expected files were
# checked by hand against the traces (self times recomputed, tails, tids from ctx blocks).
# UPDATE=1 rewrites the expected files instead (then review the diff before committing).
source "$(dirname "$0")/lib.sh"
GOLD=$HERE/golden
pt=$(realpath "$PT")

if ! ls "$TRACES"/*.txt >/dev/null 2>&1; then
	not_ok "samples" "no traces in $TRACES"
	finish
	exit
fi

# run NAME FORMAT SUFFIX: one sample in one format
run() {
	local name=$1 fmt=$2 sfx=$3 status
	(cd "$TRACES" && "$pt" --format "$fmt" "$name.txt" >"$TMP/out" 2>"$TMP/err")
	status=$?
	if [ -n "${UPDATE:-}" ]; then
		cp "$TMP/out" "$GOLD/$name$sfx"
		[ "$fmt" = csv ] && cp "$TMP/err" "$GOLD/$name.err" && echo "$status" >"$GOLD/$name.status"
	fi
	check_file "$name $fmt output" "$TMP/out" "$GOLD/$name$sfx"
	if [ "$fmt" = csv ]; then
		check_file "$name warnings" "$TMP/err" "$GOLD/$name.err"
		check "$name exit status" "$status" "$(cat "$GOLD/$name.status")"
	fi
}

mkdir -p "$GOLD"
for f in "$TRACES"/*.txt; do
	run "$(basename "$f" .txt)" csv .csv
done
for name in fg01_perftools_do_nanosleep_ctxswitch fg07_perftools_funcslower_abstime_proc; do
	run "$name" chrome .chrome.json
	run "$name" folded .folded
done
finish
