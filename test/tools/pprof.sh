#!/usr/bin/env bash
# parse-trace --format pprof, read back by its real consumers: Debian's `go tool pprof`
# (-top, -traces, -sample_index) and `protoc --decode` against tools/parse-trace/profile.proto,
# plus the offline checks of ../shared/spec/pprof.md section 3 on the decoded profile.
# cases/compute-2cpu.txt is a compute-like trace worked out by hand: two workers on two
# CPUs, fib 35 us of self time in 10 calls, compute_work 17.5 us, 65 us in all.
# cases/offcpu-2threads.txt gives the off-CPU profile (sample type off_cpu).
source "$(dirname "$0")/lib.sh"
C=$HERE/cases
pt=$(realpath "$PT")
PROTO_DIR=$HERE/../../tools/parse-trace
# go writes its build cache under HOME; CI's HOME may not be writable
export HOME=$TMP/home GOCACHE=$TMP/gocache
mkdir -p "$HOME"

(cd "$C" && "$pt" -q -f pprof -o "$TMP/compute.pb.gz" compute-2cpu.txt)
expect_status "pprof: written" 0 $?
check "pprof: gzip magic" "$(head -c 2 "$TMP/compute.pb.gz" | od -An -tx1 | tr -d ' ')" "1f8b"
check "pprof: stdout and -o give the same bytes" \
	"$(cd "$C" && "$pt" -q -f pprof compute-2cpu.txt | cmp - "$TMP/compute.pb.gz" && echo same)" "same"

if command -v go >/dev/null && go tool pprof -h >/dev/null 2>&1; then
	# flat = self time, cum = inclusive time; fib on top with 35 of 65 us
	check "go tool pprof -top: fib on top, exact self and total times" \
		"$(go tool pprof -top "$TMP/compute.pb.gz" 2>&1)" "$(cat "$C/compute-2cpu.pprof-top")"
	check "go tool pprof -traces: every call path with its thread and CPU labels" \
		"$(go tool pprof -traces "$TMP/compute.pb.gz" 2>&1)" \
		"$(cat "$C/compute-2cpu.pprof-traces")"
	check "go tool pprof -sample_index=calls: call counts" \
		"$(go tool pprof -sample_index=calls -top "$TMP/compute.pb.gz" 2>&1 | sed -n '/flat%/,$p')" \
		"      flat  flat%   sum%        cum   cum%
        10 47.62% 47.62%         10 47.62%  fib
         3 14.29% 61.90%          4 19.05%  sort_range
         2  9.52% 71.43%         19 90.48%  compute_work
         2  9.52% 80.95%         21   100%  compute_worker
         2  9.52% 90.48%          2  9.52%  mix
         1  4.76% 95.24%          1  4.76%  merge_halves
         1  4.76%   100%          2  9.52%  table_insert"
	check "go tool pprof -tagfocus: worker-4's time alone" \
		"$(go tool pprof -unit=ns -tagfocus=thread=worker-4 -top "$TMP/compute.pb.gz" 2>&1 |
			grep -E '^ +[0-9]' | head -2)" \
		"   15000ns 23.08% 23.08%    15000ns 23.08%  fib
    6000ns  9.23% 32.31%    24000ns 36.92%  compute_work"
	# the off-CPU profile of two threads that switch (the answers of offcpu.sh's folded
	# --time off): app-7 waits 390 us in schedule, srv-12 150 us in wait_msg
	"$PT" -q -f pprof -o "$TMP/off.pb.gz" "$C/offcpu-2threads.txt"
	check "go tool pprof -sample_index=off_cpu: where threads waited" \
		"$(go tool pprof -sample_index=off_cpu -unit=ns -top "$TMP/off.pb.gz" 2>&1 |
			sed -n '/flat%/,$p')" \
		"      flat  flat%   sum%        cum   cum%
  390000ns 72.22% 72.22%   390000ns 72.22%  schedule
  150000ns 27.78%   100%   150000ns 27.78%  wait_msg
         0     0%   100%   390000ns 72.22%  handle
         0     0%   100%   390000ns 72.22%  read_req
         0     0%   100%   390000ns 72.22%  wait_io"
	check "go tool pprof: cpu is the default, wall keeps the waiting" \
		"$(go tool pprof -unit=ns -top "$TMP/off.pb.gz" 2>&1 | grep -e '^Type' -e schedule)
$(go tool pprof -sample_index=wall -unit=ns -top "$TMP/off.pb.gz" 2>&1 | grep schedule)" \
		"Type: cpu
    6500ns  1.57% 96.02%     7000ns  1.69%  schedule
  396500ns 41.52% 41.52%   397000ns 41.57%  schedule"
	# a real capture (make TRACE=ftrace TARGET=compute capture, 2026-12-06, 7082 calls):
	# fib on top, its flat and cum equal to the CSV's sums (self times of all fib calls;
	# durations of the outermost ones), and the deepest stack is fib's whole recursion
	cap=$HERE/captures/compute-2cpu.txt.zst
	"$PT" -q -f pprof -o "$TMP/real.pb.gz" "$cap"
	csv_sums=$("$PT" -q "$cap" | awk -F, 'function ns(x) { gsub(/\./, "", x); return x + 0 }
		$1 == "fib" { self += ns($4); if ($8 != "fib") total += ns($3); if ($6 > d) d = $6 }
		END { printf "fib %dns %dns %d\n", self, total, d - 1 }')
	check "go tool pprof -top on a real compute capture: fib on top, the CSV's times" \
		"$(go tool pprof -unit=ns -top "$TMP/real.pb.gz" 2>&1 | sed -n 8p |
			awk '{ print $6, $1, $4 }')" "${csv_sums% *}"
	fibs=${csv_sums##* }	# fib calls on the deepest path (depths 2 to the deepest)
	check "go tool pprof -traces on a real compute capture: the deepest stack" \
		"$(go tool pprof -traces "$TMP/real.pb.gz" 2>&1 | awk '/^-----/ {
			if (n > max) { max = n; best = b } n = 0; b = ""; next }
			/^ +(cpu|thread):/ { next } { n++; b = b $NF " " } END { print best }')" \
		"$(for _ in $(seq "$fibs"); do printf 'fib '; done)compute_work compute_worker "
	# a generated trace whose threads block inside calls: each sample type's total is the
	# CSV's column sum (calls: rows; wall: latency_us_self; off_cpu: offcpu_us_self)
	"$GEN" --calls 20000 --cpus 2 --threads 5 --proc --abstime --block --seed 11 \
		>"$TMP/b.txt" 2>/dev/null
	"$PT" -q -f pprof -o "$TMP/b.pb.gz" "$TMP/b.txt"
	total() { go tool pprof -unit=ns -sample_index="$1" -top "$TMP/b.pb.gz" 2>&1 |
		sed -n 's/.*Total samples = \([0-9]*\).*/\1/p'; }
	check "go tool pprof: sample type totals = the CSV's sums (generated, blocking)" \
		"$(total calls) $(total wall) $(total off_cpu)" \
		"$("$PT" -q "$TMP/b.txt" | awk -F, 'function ns(x) { gsub(/\./, "", x); return x + 0 }
			NR > 1 { n++; self += ns($4); off += ns($10) } END { print n, self, off }')"
	# nofuncgraph-duration: only counts, so pprof shows them by default
	"$pt" -q -f pprof -o "$TMP/nodur.pb.gz" "$HERE/../golden/trace/graph-tapio_.txt"
	check "go tool pprof: a trace without durations shows call counts" \
		"$(go tool pprof -top "$TMP/nodur.pb.gz" 2>&1 | grep '^Type:')" "Type: calls"
else
	for t in -top -traces -sample_index=calls -tagfocus off_cpu "cpu default" "real -top" \
		"real -traces" "type totals" "without durations"; do
		echo "ok - go tool pprof $t # SKIP go (Debian golang-go) not installed"
	done
fi

if command -v protoc >/dev/null; then
	decode() {
		gzip -dc "$1" | protoc --proto_path="$PROTO_DIR" --decode=perftools.profiles.Profile \
			"$PROTO_DIR/profile.proto"
	}
	(cd "$C" && "$pt" -q -f pprof nested-2cpu.txt) >"$TMP/nested.pb.gz"
	check "protoc --decode: golden profile of a tiny trace" "$(decode "$TMP/nested.pb.gz")" \
		"$(cat "$C/nested-2cpu.pprof.txtpb")"
	# spec section 3: string_table[0] = "", string indices inside the table, nonzero unique
	# ids, every location and function referenced defined, one value per sample type
	decode "$TMP/compute.pb.gz" >"$TMP/compute.txtpb"
	check "pprof: the reader's rules hold" "$(awk -f "$HERE/pprof-check.awk" "$TMP/compute.txtpb")" \
		"strings 22, samples 16, locations 7, functions 7, ok"
	# and the checker does see broken profiles
	sed -e '0,/^string_table: ""/s//string_table: "x"/' -e '0,/^  location_id: .*/s//  location_id: 99/' \
		-e '0,/^  value: 1$/s///' "$TMP/compute.txtpb" >"$TMP/broken.txtpb"
	check "pprof: the checker finds broken rules" "$(awk -f "$HERE/pprof-check.awk" "$TMP/broken.txtpb")" \
		"sample 5 has 3 values
string_table[0] is \"x\"
location 99 undefined"
else
	echo "ok - protoc --decode: golden profile of a tiny trace # SKIP protoc not installed"
	echo "ok - pprof: the reader's rules hold # SKIP protoc not installed"
fi

"$PT" -q -f pprof "$C/fn-trace-header.txt" >/dev/null 2>"$TMP/err"
expect_status "pprof: function tracer hits are refused" 1 $?
finish
