#!/usr/bin/env bash
# Runs the HTTP parser fuzz target: first its stdin-replay build over the seed corpus, then
# libFuzzer for FUZZ_TIME seconds (20 in `make test`, longer in `make fuzz`). New inputs go
# to $O/fuzz/http_parse, never into the source tree; crashes to $O/fuzz/http_parse-crash-*.
set -u
O=${O:-build}
time=${FUZZ_TIME:-20}
seeds=test/fuzz/corpus/http_parse
corpus=$O/fuzz/http_parse
mkdir -p "$corpus"

if "$O/host/fuzz_http_parse_replay" "$seeds"/* 2>"$O/fuzz/http_parse-replay.log"; then
	echo "ok - fuzz_http_parse replay of the seed corpus"
else
	echo "not ok - fuzz_http_parse replay of the seed corpus: see $O/fuzz/http_parse-replay.log"
fi

log=$O/fuzz/http_parse.log
if "$O/host/fuzz_http_parse" -max_total_time="$time" -dict=test/fuzz/http.dict \
	-max_len=12000 -artifact_prefix="$O/fuzz/http_parse-" -print_final_stats=1 \
	"$corpus" "$seeds" >"$log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "ok - fuzz_http_parse ${time}s under libFuzzer (${runs:-?} runs)"
else
	echo "not ok - fuzz_http_parse: libFuzzer found a failure, see $log"
	grep -m 5 -E 'ERROR|fuzz_http_parse:|Test unit written' "$log"
	exit 1
fi
