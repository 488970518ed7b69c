#!/usr/bin/env bash
# Runs each test command given as an argument and sums its "ok - " / "not ok - " lines.
# A command that exits non-zero without printing a "not ok" line counts as one failure.
# "ok - NAME # SKIP reason" lines (a test that cannot run here, e.g. without the sample
# traces in ../shared) count as skipped, not passed.
# Closing line: "N passed, N failed, N skipped"; exit status 1 if anything failed.
set -u
passed=0
failed=0
skipped=0
log_dir=${O:-build}/test-logs
mkdir -p "$log_dir"
for t in "$@"; do
	name=$(basename "$t")
	log="$log_dir/$name.log"
	echo "== $t"
	start=$(date +%s)
	"$t" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	skip=$(grep -c '^ok - .* # SKIP' "$log")
	ok=$(($(grep -c '^ok - ' "$log") - skip))
	bad=$(grep -c '^not ok - ' "$log")
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "not ok - $name: exited with status $status"
		bad=1
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	skipped=$((skipped + skip))
	echo "== $t: $ok passed, $bad failed, $skip skipped ($(( $(date +%s) - start )) s)"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
