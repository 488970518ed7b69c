#!/usr/bin/env bash
# Profile events (docs/profiling.md) in parse-trace's exports, on cases/profile-2cpu.txt,
# a nop trace worked out by hand: worker-5 on CPU 0 sampled in fib <- fib (2) and sort (1),
# worker-6 on CPU 1 in fib (1) and sort (1), at 100 Hz (10 ms each); an idle sample; 5 ms
# off the CPU in waitq_wait; a heap allocation of 64 bytes standing for 4 (freed) and a
# page of 4096 (live). Checked: folded for each weight, go tool pprof -top / -traces /
# -sample_index, the sqlite tables and docs/sqlite.md's queries 11 to 13.
# captures/compute-samples.txt.zst is a real capture: compute (1000 rounds) sampled at
# 10 kHz under the nop tracer on 2 CPUs (test/boot/profile-tests.sh's first boot), 855
# samples: go tool pprof puts fib first (19.5 of 52.6 ms) with its real stacks.
source "$(dirname "$0")/lib.sh"
C=$HERE/cases
DOC=$HERE/../../docs/sqlite.md
pt=$(realpath "$PT")
# go writes its build cache under HOME; CI's HOME may not be writable
export HOME=$TMP/home GOCACHE=$TMP/gocache
mkdir -p "$HOME"
T=profile-2cpu.txt

folded() { (cd "$C" && "$pt" -q -f folded "$@" $T) | sort; }
check "folded: CPU samples by path, idle left out" "$(folded)" \
	$'thread_start;work;fib 10000000\nthread_start;work;fib;fib 20000000\nthread_start;work;sort 20000000'
check "folded --idle: the idle CPU's sample too" "$(folded --idle | grep sched_idle)" "ap_main;sched_idle 10000000"
check "folded --time off: the blocked path" "$(folded --time off)" \
	"thread_start;work;waitq_wait;sched_block;schedule_locked 5000000"
check "folded --time alloc: bytes scaled by every" "$(folded --time alloc)" \
	$'thread_start;work;kmalloc 256\nthread_start;work;page_alloc 4096'
check "folded --time live: the freed one is gone" "$(folded --time live)" "thread_start;work;page_alloc 4096"

(cd "$C" && "$pt" -q -f pprof -o "$TMP/p.pb.gz" $T)
expect_status "pprof: written" 0 $?
if command -v go >/dev/null && go tool pprof -h >/dev/null 2>&1; then
	check "go tool pprof -top: fib 30 ms, sort 20 ms" \
		"$(go tool pprof -top "$TMP/p.pb.gz" 2>&1 | sed -n '/flat%/,$p')" \
		"      flat  flat%   sum%        cum   cum%
      30ms 60.00% 60.00%       30ms 60.00%  fib
      20ms 40.00%   100%       20ms 40.00%  sort
         0     0%   100%       50ms   100%  thread_start
         0     0%   100%       50ms   100%  work"
	check "go tool pprof -traces: fib's stack with its thread and CPU" \
		"$(go tool pprof -traces "$TMP/p.pb.gz" 2>&1 | sed -n '6,12p')" \
		"-----------+-------------------------------------------------------
       cpu:  0
    thread:  worker-5
      20ms   fib
             fib
             work
             thread_start"
	for idx in "off_cpu schedule_locked 5ms" "inuse_space page_alloc 4kB" "alloc_objects kmalloc 4" \
		"samples fib 3"; do
		set -- $idx
		check "go tool pprof -sample_index=$1: $2 first" \
			"$(go tool pprof -sample_index=$1 -top "$TMP/p.pb.gz" 2>&1 | awk '/flat%/ {getline; print $1, $6; exit}')" \
			"$3 $2"
	done
else
	echo "ok - go tool pprof # SKIP go is not installed"
fi

CS=$HERE/captures/compute-samples.txt.zst
"$pt" -q -f pprof -o "$TMP/cs.pb.gz" "$CS"
expect_status "pprof of a real compute capture: written" 0 $?
if command -v go >/dev/null && go tool pprof -h >/dev/null 2>&1; then
	check "go tool pprof -top of a real compute capture: fib first, then merge_halves" \
		"$(go tool pprof -top "$TMP/cs.pb.gz" 2>&1 | sed -n '/flat%/,$p' | sed -n 2,3p)" \
		"   19.50ms 37.07% 37.07%    19.50ms 37.07%  fib
   14.60ms 27.76% 64.83%    14.60ms 27.76%  merge_halves"
	check "go tool pprof -traces of a real compute capture: fib's stacks through compute_work" \
		"$(go tool pprof -traces "$TMP/cs.pb.gz" 2>&1 | awk '/^-+\+/ { if (b ~ /^ fib( fib)+ compute_work compute_worker thread_entry thread_start$/) n++; b = ""; next } /:/ { next } { b = b " " $NF } END { print (n > 10) }')" "1"
else
	echo "ok - go tool pprof on a real capture # SKIP go is not installed"
fi
check "folded of a real compute capture: fib's leaf weight" \
	"$("$pt" -q -f folded "$CS" | awk '{ n = split($1, f, ";"); w[f[n]] += $2 } END { print w["fib"], w["merge_halves"] }')" \
	"19500000 14600000"

(cd "$C" && "$pt" -q -f sqlite -o "$TMP/p.db" $T)
expect_status "sqlite: written" 0 $?
q() { sqlite3 "$TMP/p.db" "$1"; }
check "sqlite: every sample a row, idle kept" "$(q "SELECT kind, count(*) FROM samples GROUP BY kind ORDER BY kind")" \
	$'cpu|6\noffcpu|1'
check "sqlite: stacks and their frames" \
	"$(q "SELECT k.folded, group_concat(f.name, ',') FROM stacks k JOIN stack_frames s ON s.stack_id = k.id JOIN functions f ON f.id = s.function_id WHERE k.folded LIKE '%fib;fib' GROUP BY k.id ORDER BY s.position")" \
	"thread_start;work;fib;fib|fib,fib,work,thread_start"
check "sqlite: allocations with their free" \
	"$(q "SELECT kind, bytes, every, ptr, freed_ns FROM allocations ORDER BY id")" \
	$'heap|64|4|4096|1032000000\npage|4096|1|8192|'
doc_query() { awk -v n="$1" '/^```sql/ { k++; on = k == n; next } /^```/ { on = 0 } on' "$DOC"; }
doc_answer() {
	awk -v n="$1" '/^```sql/ { k++; state = k == n ? 1 : 0; next }
		state == 1 && /^```$/ { state = 2; next }
		state == 2 && /^```$/ { state = 3; next }
		state == 3 && /^```$/ { exit }
		state == 3' "$DOC"
}
for n in 11 12 13; do
	check "sqlite: docs/sqlite.md query $n gives the documented answer" \
		"$(doc_query $n | sqlite3 "$TMP/p.db")" "$(doc_answer $n)"
done
finish
