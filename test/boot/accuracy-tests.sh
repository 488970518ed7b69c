#!/usr/bin/env bash
# The sampling profiler's accuracy goal (issue 15), under QEMU -icount shift=0 on one CPU,
# where guest time is instructions and every boot runs the same (docs/benchmarks.md,
# "Accuracy"): bench/profile-accuracy.sh calibrates the hooks' overhead, samples compute
# at 10 kHz and traces it with function_graph; each of the five functions with the most
# samples must have a compensated self-time share within 2 points of its sample share.
# Also: the two captures are real (thousands of samples, compensation moved the shares).
# Twice: with the hooks' fast path (set_ftrace_filter) and through the C hooks
# (set_graph_function), whose cost is three to four times as high.
set -u
cd "$(dirname "$0")/../.."
. test/boot/lib.sh
for hooks in fast c; do
	out=$(HOOKS=$hooks bash bench/profile-accuracy.sh 2>&1)
	status=$?
	if [ $status -ne 0 ]; then
		not_ok "accuracy: $hooks hooks: bench/profile-accuracy.sh failed ($status)"
		echo "$out" | tail -15 | sed 's/^/#   /'
		continue
	fi
	echo "$out" | sed 's/^/# /'
	n=$(sed -n 's/^workload samples: \([0-9]*\)$/\1/p' <<<"$out")
	[ -n "$n" ] && [ "$n" -ge 5000 ] && ok "accuracy: $hooks hooks: $n workload samples (standard error under 0.7 points)" ||
		not_ok "accuracy: $hooks hooks: workload samples '$n' (want >= 5000)"
	table=$(awk '/^function +samples %/ { on = 1; next } on && NF == 5' <<<"$out")
	[ "$(wc -l <<<"$table")" -eq 7 ] && ok "accuracy: $hooks hooks: a row for each of compute's seven functions" ||
		not_ok "accuracy: $hooks hooks: the table has $(wc -l <<<"$table") rows"
	# the traced shares are far off (fib over 45 %), or compensation did nothing to test
	fib=$(awk '$1 == "fib" { print int($3) }' <<<"$table")
	[ -n "$fib" ] && [ "$fib" -ge 45 ] && ok "accuracy: $hooks hooks: uncompensated, fib has $fib % of self time" ||
		not_ok "accuracy: $hooks hooks: uncompensated fib share '$fib' (want >= 45)"
	while read -r f s t c d; do
		if awk -v d="$d" 'BEGIN { exit !(d >= -2 && d <= 2) }'; then
			ok "accuracy: $hooks hooks: $f: samples $s %, compensated self time $c % ($d points)"
		else
			not_ok "accuracy: $hooks hooks: $f: samples $s %, compensated self time $c % ($d points, goal 2)"
		fi
	done < <(sort -k2,2nr <<<"$table" | head -5)
done
exit $FAILED
