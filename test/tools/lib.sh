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

# The CSV with hand-computed aggregates used by rb.sh and serve-browser.sh: f (100 calls of
# 1..100 ns, tid 1, CPU 0), g (1000, 2000, 3000 us, tid 2, CPU 1), idle (5000 us, tid 0).
make_rb_input() {
	{
		echo "function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent"
		for i in $(seq 1 100); do
			printf 'f,1,0.%03d,0.%03d,0,1,%d.000,g\n' "$i" "$i" $((i - 1))
		done
		echo "g,2,1000.000,500.000,1,0,200.000,"
		echo "g,2,2000.000,600.000,1,0,300.000,"
		echo "g,2,3000.000,700.000,1,0,350.000,"
		echo "idle,0,5000.000,5000.000,1,0,400.000,"
	} >"$1"
}

finish() {
	[ "$failures" -eq 0 ]
}
