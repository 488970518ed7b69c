#!/usr/bin/env bash
# glass report against the kernel's printer: gen-capture fills the kernel's ring natively
# and writes a capture of it plus the printer's text of the same ring, which glass report
# must print byte for byte (function_graph and function, several trace_options, frames
# that cut records, full buffers with drops, up to 12 CPUs). Then parse-trace and
# runtime-breakdown must give the same results on the capture as on its text, and bad
# capture files must get a message with an offset and status 1, never a crash.
source "$(dirname "$0")/lib.sh"
GLASS=$BIN/glass
GENCAP=$O/host-san/gen-capture

# report NAME GEN-ARGS...: glass report of the capture equals the printer's text
report() {
	local name=$1
	shift
	if ! "$GENCAP" "$@" "$TMP/c.cap" "$TMP/want.txt"; then
		not_ok "$name" "gen-capture failed"
		return
	fi
	"$GLASS" report "$TMP/c.cap" >"$TMP/got.txt"
	expect_status "$name: status" 0 $?
	check_file "$name: byte-identical" "$TMP/got.txt" "$TMP/want.txt"
}

# function_graph option masks (trace/output.h OUT_OPT_*): default, all, none, proc +
# abstime + tail, no irqs, no duration, no context-info
report "graph default options" --seed 1
report "graph all options" --opts 0x3ff --seed 2
report "graph no options" --opts 0 --seed 3
report "graph proc abstime tail" --opts 0x2c7 --seed 4
report "graph funcgraph-irqs off" --opts 0x3f7 --seed 5
report "graph no duration" --opts 0x3df --seed 6
report "graph no context-info" --opts 0x37f --seed 7
report "graph frames of 37 slots (records cut)" --frame-slots 37 --seed 8
report "graph frames of 1 slot" --frame-slots 1 --calls 300 --seed 9
# frames 8-byte aligned in the file, as glass record writes them: decoded in place
report "graph aligned frames of 37 slots (records cut)" --frame-slots 37 --align --seed 8
report "graph aligned frames of 1 slot" --frame-slots 1 --calls 300 --align --seed 9
report "graph aligned frames, drops" --buffer-kb 16 --calls 5000 --align --seed 10
report "graph full buffer: drops" --buffer-kb 16 --calls 5000 --seed 10
report "graph full buffer, drops before and after a clear (lost counts since allocation)" \
	--buffer-kb 16 --clear-after 5000 --calls 5000 --seed 19
report "function full buffer, drops before and after a clear" --function --buffer-kb 16 \
	--clear-after 9000 --calls 9000 --seed 22
report "graph, a tid reused halfway: each event names the thread alive then" --reuse-tid \
	--opts 0x2e6 --seed 23
report "function, a tid reused halfway: each event names the thread alive then" --function \
	--reuse-tid --seed 24
report "graph 4 CPUs" --cpus 4 --opts 0x2e6 --seed 11
report "graph 12 CPUs (2-digit CPU column)" --cpus 12 --seed 12
report "graph header notes: untraced calls, tracer stopped" --notes --seed 17
report "function header notes" --function --notes --seed 18
report "function default options" --function --seed 13
report "function no irq-info" --function --opts 0x1c0 --seed 14
report "function no print-parent, no context" --function --opts 0 --seed 15
report "function full buffer, frames of 5 slots" --function --buffer-kb 16 --calls 9000 \
	--frame-slots 5 --seed 16
# switches printed as sched_switch events are lines, so they are counted: in the header's
# entries (the counting pass, the trailer's counts) as the guest counts them
report "graph sched_switch events" --switch-events --opts 0x2e6 --seed 26
report "graph sched_switch events, full buffer: the counting pass" --switch-events \
	--buffer-kb 16 --calls 5000 --seed 27
report "function sched_switch events, full buffer, trailer with counts" --function \
	--switch-events --buffer-kb 16 --calls 9000 --trailer --align --seed 28
# the entries count from a trailer's events line (glass record's), not a counting pass
report "graph full buffer, trailer with counts" --buffer-kb 16 --calls 5000 --trailer --align \
	--seed 25
report "function full buffer, drops before and after a clear, trailer with counts" --function \
	--buffer-kb 16 --clear-after 9000 --calls 9000 --trailer --seed 26
report "graph 12 CPUs, drops, trailer with counts" --cpus 12 --buffer-kb 16 --calls 9000 \
	--trailer --seed 27

# compressed captures read the same
"$GENCAP" --opts 0x2c7 --seed 20 "$TMP/z.cap" "$TMP/z.txt"
zstd -q -f "$TMP/z.cap" -o "$TMP/z.cap.zst"
"$GLASS" report "$TMP/z.cap.zst" >"$TMP/z.got"
check_file "zstd capture: byte-identical" "$TMP/z.got" "$TMP/z.txt"

# parse-trace and runtime-breakdown: the capture gives what its text gives
for f in "" --function; do
	"$GENCAP" $f --opts 0x3e6 --seed 21 "$TMP/p.cap" "$TMP/p.txt"
	"$PT" -q "$TMP/p.txt" >"$TMP/p1.csv"
	"$PT" -q "$TMP/p.cap" >"$TMP/p2.csv"
	check_file "parse-trace capture${f:+ $f} = text" "$TMP/p2.csv" "$TMP/p1.csv"
	"$RB" --no-plot "$TMP/p.txt" >"$TMP/r1" 2>/dev/null
	"$RB" --no-plot "$TMP/p.cap" >"$TMP/r2" 2>/dev/null
	check_file "runtime-breakdown capture${f:+ $f} = text" "$TMP/r2" "$TMP/r1"
done
"$PT" -q "$TMP/z.cap.zst" >"$TMP/z1.csv"
"$PT" -q "$TMP/z.txt" >"$TMP/z2.csv"
check_file "parse-trace zstd capture = text" "$TMP/z1.csv" "$TMP/z2.csv"

# bad captures: a message with the offset, status 1, no crash (ASan/UBSan build)
"$GENCAP" --frame-slots 100 --calls 200 --seed 30 "$TMP/b.cap" "$TMP/b.txt"
size=$(wc -c <"$TMP/b.cap")
crashes=0
for cut in $(seq 0 97 "$size"); do
	head -c "$cut" "$TMP/b.cap" >"$TMP/cut.cap"
	"$GLASS" report "$TMP/cut.cap" >/dev/null 2>&1
	[ $? -gt 1 ] && crashes=$((crashes + 1))
done
check "truncated capture at every 97th byte: no crash" "$crashes" "0"
head -c $((size - 3)) "$TMP/b.cap" >"$TMP/cut.cap"
"$GLASS" report "$TMP/cut.cap" >/dev/null 2>"$TMP/err"
expect_status "truncated capture: status 1" 1 $?
grep -q "cut.cap: offset [0-9]*: truncated frame" "$TMP/err" && ok "truncated capture: message" ||
	not_ok "truncated capture: message" "$(cat "$TMP/err")"
crashes=0
for i in $(seq 1 60); do
	cp "$TMP/b.cap" "$TMP/flip.cap"
	off=$(( (i * 7919) % size ))
	printf "\\x$(printf %02x $((i * 37 % 256)))" |
		dd of="$TMP/flip.cap" bs=1 seek="$off" conv=notrunc status=none
	"$GLASS" report "$TMP/flip.cap" >/dev/null 2>&1
	[ $? -gt 1 ] && crashes=$((crashes + 1))
done
check "60 corrupted bytes: no crash" "$crashes" "0"
perl -0777 -pe 's/codec_version 2/codec_version 3/' "$TMP/b.cap" >"$TMP/codec3.cap"
"$GLASS" report "$TMP/codec3.cap" >/dev/null 2>"$TMP/err"
check "unknown codec version" "$?:$(cat "$TMP/err")" \
	"1:$TMP/codec3.cap: offset 16: raw header line 9: slot format (codec) version 3, this reader knows 1 to 2"
printf 'GLASSCAP\002\0\0\0' >"$TMP/v2.cap"
"$GLASS" report "$TMP/v2.cap" >/dev/null 2>"$TMP/err"
check "unknown capture version" "$?:$(cat "$TMP/err")" "1:$TMP/v2.cap: offset 8: unknown capture version"
printf 'GLASSCAP\001\0\0\0\377\377\377\377' >"$TMP/big.cap"
"$GLASS" report "$TMP/big.cap" >/dev/null 2>"$TMP/err"
check "header length too large" "$?:$(cat "$TMP/err")" "1:$TMP/big.cap: offset 12: header length too large"
"$GLASS" report "$TMP/b.txt" >/dev/null 2>"$TMP/err"
check "text is no capture" "$?:$(cat "$TMP/err")" "1:$TMP/b.txt: offset 0: not a glass capture file (no GLASSCAP magic)"
"$GLASS" report >/dev/null 2>&1
expect_status "report without a file: usage" 2 $?
"$GLASS" frob >/dev/null 2>&1
expect_status "unknown command: usage" 2 $?
"$GLASS" report --help | grep -q "usage: glass report" && ok "report --help" || not_ok "report --help" "no usage"

# glass record against a stand-in guest (fake-guest.py) serving a generated capture's
# frames: broken connections, resent frames, zstd output, Ctrl-C
# record NAME CAPTURE-OUT FAKE-ARGS...: records for 2 s, then the report must be the text
record() {
	local name=$1 out=$2
	shift 2
	python3 "$HERE/fake-guest.py" "$TMP/f.cap" "$TMP/port" "$@" &
	local fg=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	"$GLASS" record -o "$out" --port "$(cat "$TMP/port")" --duration 2 >"$TMP/rec.out" 2>"$TMP/rec.err"
	expect_status "$name: status" 0 $?
	kill $fg 2>/dev/null
	wait $fg 2>/dev/null
	rm -f "$TMP/port"
	"$GLASS" report "$out" >"$TMP/rec.txt"
	check_file "$name: report byte-identical" "$TMP/rec.txt" "$TMP/f.txt"
}
if command -v python3 >/dev/null; then
	"$GENCAP" --frame-slots 300 --seed 40 "$TMP/f.cap" "$TMP/f.txt"
	record "record" "$TMP/r1.cap"
	grep -Eq "^cpu 1: [1-9][0-9]* frames, [1-9][0-9]* events, lost 0, overrun 0$" "$TMP/rec.out" &&
		ok "record: summary per CPU" || not_ok "record: summary per CPU" "$(cat "$TMP/rec.out")"
	record "record, 30% of answers broken" "$TMP/r2.cap" --break 0.3 --seed 2
	grep -q " [1-9][0-9]* retries$" "$TMP/rec.out" && ok "record: retries counted" ||
		not_ok "record: retries counted" "$(head -1 "$TMP/rec.out")"
	record "record, resent frames" "$TMP/r3.cap" --resend 3 --break 0.2 --seed 3
	grep -q " [1-9][0-9]* resent frames dropped" "$TMP/rec.out" && ok "record: resends dropped" ||
		not_ok "record: resends dropped" "$(head -1 "$TMP/rec.out")"
	record "record to .zst" "$TMP/r4.cap.zst"
	rm -f "$TMP/port"
	python3 "$HERE/fake-guest.py" "$TMP/f.cap" "$TMP/port" &
	fg=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	"$GLASS" record -o "$TMP/r5.cap" --port "$(cat "$TMP/port")" >"$TMP/rec.out" 2>&1 &
	rec=$!
	sleep 1.5
	kill -INT $rec
	wait $rec
	expect_status "record: Ctrl-C ends it with status 0" 0 $?
	kill $fg 2>/dev/null
	wait $fg 2>/dev/null
	"$GLASS" report "$TMP/r5.cap" >"$TMP/rec.txt"
	check_file "record: Ctrl-C: report byte-identical" "$TMP/rec.txt" "$TMP/f.txt"
	rm -f "$TMP/port"
	python3 "$HERE/fake-guest.py" "$TMP/f.cap" "$TMP/port" --break 0.2 &
	fg=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	"$GLASS" record -o "$TMP/r7.cap" --port "$(cat "$TMP/port")" --cpu 1 --duration 2 \
		>"$TMP/rec.out" 2>&1
	kill $fg 2>/dev/null
	wait $fg 2>/dev/null
	rm -f "$TMP/port"
	grep -Eq "^cpu 0: 0 frames, 0 events" "$TMP/rec.out" &&
		grep -Eq "^cpu 1: [1-9][0-9]* frames, [1-9][0-9]* events, lost 0" "$TMP/rec.out" &&
		ok "record --cpu 1: that CPU alone (per_cpu/cpu1/trace_pipe_raw)" ||
		not_ok "record --cpu 1: that CPU alone" "$(cat "$TMP/rec.out")"
	# --cpu 0 --cpu 1: a stream per CPU, each on its per-CPU file, concurrently; the
	# capture holds both CPUs, and no request reads (or acknowledges) the all-CPU file
	rm -f "$TMP/port" "$TMP/paths"
	python3 "$HERE/fake-guest.py" "$TMP/f.cap" "$TMP/port" --break 0.2 --log "$TMP/paths" &
	fg=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	"$GLASS" record -o "$TMP/r8.cap" --port "$(cat "$TMP/port")" --cpu 0 --cpu 1 --duration 2 \
		>"$TMP/rec.out" 2>&1
	expect_status "record --cpu 0 --cpu 1: status" 0 $?
	kill $fg 2>/dev/null
	wait $fg 2>/dev/null
	"$GLASS" report "$TMP/r8.cap" >"$TMP/rec.txt"
	check_file "record --cpu 0 --cpu 1: report byte-identical" "$TMP/rec.txt" "$TMP/f.txt"
	check "record --cpu 0 --cpu 1: requests per file (all-CPU, cpu0, cpu1)" \
		"$(grep -c '^/ftrace/trace_pipe_raw' "$TMP/paths"),$(grep -c '^/ftrace/per_cpu/cpu0/trace_pipe_raw?follow=1' "$TMP/paths" | sed 's/^[1-9][0-9]*$/some/'),$(grep -c '^/ftrace/per_cpu/cpu1/trace_pipe_raw?follow=1' "$TMP/paths" | sed 's/^[1-9][0-9]*$/some/')" \
		"0,some,some"
	# two recorders at once, one per CPU: each gets its CPU alone, together everything
	rm -f "$TMP/port"
	python3 "$HERE/fake-guest.py" "$TMP/f.cap" "$TMP/port" &
	fg=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	"$GLASS" record -o "$TMP/c0.cap" --port "$(cat "$TMP/port")" --cpu 0 --duration 2 \
		>"$TMP/c0.out" 2>&1 &
	rec=$!
	"$GLASS" record -o "$TMP/c1.cap" --port "$(cat "$TMP/port")" --cpu 1 --duration 2 \
		>"$TMP/c1.out" 2>&1
	wait $rec
	kill $fg 2>/dev/null
	wait $fg 2>/dev/null
	grep -Eq "^cpu 0: [1-9][0-9]* frames" "$TMP/c0.out" && grep -Eq "^cpu 1: 0 frames" "$TMP/c0.out" &&
		grep -Eq "^cpu 1: [1-9][0-9]* frames" "$TMP/c1.out" &&
		grep -Eq "^cpu 0: 0 frames" "$TMP/c1.out" &&
		ok "record --cpu 0 and --cpu 1 at once: each recorder its CPU alone" ||
		not_ok "record --cpu 0 and --cpu 1 at once" "$(cat "$TMP/c0.out" "$TMP/c1.out")"
	# --until-off: tracing is off, so the recorder ends by itself once an answer brings
	# nothing new (well before the 60 s --duration), with everything
	rm -f "$TMP/port"
	python3 "$HERE/fake-guest.py" "$TMP/f.cap" "$TMP/port" --off --break 0.2 &
	fg=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	t0=$(date +%s)
	"$GLASS" record -q -o "$TMP/r9.cap" --port "$(cat "$TMP/port")" --until-off --duration 60
	check "record --until-off: ends by itself, status 0, within 30 s" \
		"$?,$(( $(date +%s) - t0 < 30 ))" "0,1"
	kill $fg 2>/dev/null
	wait $fg 2>/dev/null
	"$GLASS" report "$TMP/r9.cap" >"$TMP/rec.txt"
	check_file "record --until-off: report byte-identical" "$TMP/rec.txt" "$TMP/f.txt"
	# --until-off with tracing off and nothing recorded yet: it waits for a recording (the
	# tests start glass, then tracing), here until --duration ends it
	python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d[:16 + struct.unpack_from("<I", d, 12)[0]])' \
		"$TMP/f.cap" "$TMP/empty.cap"
	rm -f "$TMP/port"
	python3 "$HERE/fake-guest.py" "$TMP/empty.cap" "$TMP/port" --off &
	fg=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	t0=$(date +%s.%N)
	"$GLASS" record -q -o "$TMP/r10.cap" --port "$(cat "$TMP/port")" --until-off --duration 3
	check "record --until-off, tracing off, nothing yet: waits (here for --duration 3)" \
		"$?,$(python3 -c "import sys; print(int(float(sys.argv[1]) - float(sys.argv[2]) >= 2.5))" \
		"$(date +%s.%N)" "$t0")" "0,1"
	kill $fg 2>/dev/null
	wait $fg 2>/dev/null
	# killed (SIGKILL) at 6 random points, each run resuming the file with --append
	sizes=
	rm -f "$TMP/port"
	python3 "$HERE/fake-guest.py" "$TMP/f.cap" "$TMP/port" --per-answer 2 --seed 9 \
		--delay 0.05 &
	fg=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	for k in 1 2 3 4 5 6; do
		"$GLASS" record -q --append -o "$TMP/k.cap" --port "$(cat "$TMP/port")" 2>/dev/null &
		rec=$!
		sleep "0.$((RANDOM % 4 + 1))"
		kill -KILL $rec
		wait $rec 2>/dev/null
		sizes="$sizes $(stat -c %s "$TMP/k.cap" 2>/dev/null)"
	done
	echo "# capture size after each kill:$sizes"
	"$GLASS" record -q --append -o "$TMP/k.cap" --port "$(cat "$TMP/port")" --duration 3 2>/dev/null
	expect_status "record killed 6 times, resumed with --append: status" 0 $?
	kill $fg 2>/dev/null
	wait $fg 2>/dev/null
	"$GLASS" report "$TMP/k.cap" >"$TMP/rec.txt"
	check_file "record killed 6 times, resumed with --append: report byte-identical" \
		"$TMP/rec.txt" "$TMP/f.txt"
	# the trailer's event counts: each CPU's, as a counting pass finds them; after a
	# resume, those of the frames kept as well
	events_line() { tail -c 300 "$1" | tr -d '\000' | grep -a '^events ' | tail -1; }
	events_line "$TMP/r1.cap" | grep -Eq '^events [1-9][0-9]* [1-9][0-9]*$' &&
		ok "record: trailer has an events line" ||
		not_ok "record: trailer has an events line" "$(tail -c 300 "$TMP/r1.cap")"
	check "record: trailer events line = uninterrupted record's" "$(events_line "$TMP/k.cap")" \
		"$(events_line "$TMP/r1.cap")"
	tail -c 25 "$TMP/r1.cap" | grep -Eq '^trailer_bytes [0-9]{10}$' &&
		ok "record: trailer ends with its trailer_bytes line" ||
		not_ok "record: trailer ends with its trailer_bytes line" "$(tail -c 25 "$TMP/r1.cap")"
	# with drops (the header shows the entries count) and for the function tracer (always):
	# the report takes the count from the trailer, byte-identical to the guest's text
	for t in "graph:--buffer-kb 16 --calls 5000" "function:--function --buffer-kb 16 --calls 9000"; do
		rm -f "$TMP/port"
		# shellcheck disable=SC2086
		"$GENCAP" --frame-slots 300 --seed 41 ${t#*:} "$TMP/f.cap" "$TMP/f.txt"
		record "record ${t%%:*}, drops: entries from the trailer" "$TMP/rd.cap"
		# a trailer count that differs shows in the header: the report read it there
		events=$(events_line "$TMP/rd.cap")
		fake=${events%% *}
		for n in ${events#events }; do fake="$fake $(printf "%0${#n}d" $((n == 1 ? 2 : 1)))"; done
		python3 - "$TMP/rd.cap" "$events" "$fake" "$TMP/rf.cap" <<-'PY'
		import sys
		d = open(sys.argv[1], 'rb').read()
		i = d.rindex(sys.argv[2].encode())
		open(sys.argv[4], 'wb').write(d[:i] + sys.argv[3].encode() + d[i + len(sys.argv[2]):])
		PY
		want=$(awk '{ for (i = 2; i <= NF; i++) s += $i } END { print s }' <<<"$fake")
		"$GLASS" report "$TMP/rf.cap" | grep -q "entries-in-buffer/entries-written: $want/" &&
			ok "record ${t%%:*}, drops: the header's count is the trailer's" ||
			not_ok "record ${t%%:*}, drops: the header's count is the trailer's" \
				"$("$GLASS" report "$TMP/rf.cap" | grep entries-in-buffer)"
		# an older capture (no events line in its trailer): counted, the same text
		python3 - "$TMP/rd.cap" "$TMP/ro.cap" <<-'PY'
		import struct, sys
		d = open(sys.argv[1], 'rb').read()
		t = int(d[-11:-1])
		text = d[-t + 8:]
		text = text[:text.rindex(b'events ')]
		open(sys.argv[2], 'wb').write(d[:-t] + struct.pack('<II', 0x444e4547, len(text)) + text)
		PY
		"$GLASS" report "$TMP/ro.cap" >"$TMP/rec.txt"
		check_file "record ${t%%:*}, drops: trailer without counts: counted, same text" \
			"$TMP/rec.txt" "$TMP/f.txt"
	done
	"$GLASS" record -o "$TMP/r6.cap" --port 1 >/dev/null 2>"$TMP/err"
	expect_status "record: no guest: status 1" 1 $?
else
	ok "record # SKIP python3 not installed"
fi
finish
