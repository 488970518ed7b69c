# Shared helpers for the tools tests: paths of the sanitizer builds, one "ok"/"not ok" line
# per case, a non-zero exit status if any case failed. Source it, then call finish at the end.
O=${O:-build}
BIN=$O/host-san/bin
PT=$BIN/parse-trace
RB=$BIN/runtime-breakdown
GEN=$O/host-san/gen-trace
TRACES=${TRACES:-../shared/traces}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
failures=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/glass-tools.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1: $2"; failures=$((failures + 1)); }

# check NAME GOT WANT: exact string comparison, with a diff on failure
check() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "output differs"
		diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") | head -20 | sed 's/^/#   /'
	fi
}

# check_file NAME GOT_FILE WANT_FILE
check_file() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1" "$2 differs from $3"
		diff "$3" "$2" | head -20 | sed 's/^/#   /'
	fi
}

# expect_status NAME WANT_STATUS GOT_STATUS
expect_status() {
	if [ "$2" -eq "$3" ]; then ok "$1"; else not_ok "$1" "exit status $3, want $2"; fi
}

finish() {
	[ "$failures" -eq 0 ]
}
