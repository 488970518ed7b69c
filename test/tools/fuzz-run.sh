#!/usr/bin/env bash
# Runs the libFuzzer targets of the tools for FUZZ_SECONDS each (default 5; `make
# fuzz-tools` runs them longer), seeded with the sample traces and test cases. The corpus
# grows under $O/fuzz-corpus/; a crash leaves its input in $O/fuzz-crash-*. Inputs that once
# crashed a target are kept in fuzz-regress/ and seed it again every run.
source "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-5}

fuzz() {
	local name=$1 bin=$O/host-san/fuzz/$1; shift
	local corpus=$O/fuzz-corpus/$name
	mkdir -p "$corpus"
	cp "$@" "$corpus/" 2>/dev/null
	if "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$O/fuzz-crash-$name-" "$corpus" >"$TMP/$name.log" 2>&1; then
		ok "fuzz $name for ${secs}s ($(grep -o 'Done [0-9]* runs' "$TMP/$name.log"))"
	else
		not_ok "fuzz $name" "$(grep -m1 -E 'ERROR|SUMMARY|deadly' "$TMP/$name.log")"
		tail -30 "$TMP/$name.log" | sed 's/^/#   /'
	fi
}

fuzz tparse "$TRACES"/*.txt "$HERE"/cases/*.txt "$HERE"/fuzz-regress/*
fuzz csv "$HERE"/cases/*.csv
# small captures of both tracers, frames cutting records, a full buffer
for s in 1 2 3; do
	"$O/host-san/gen-capture" --calls $((s * 3)) --frame-slots $((s * 7)) --seed $s \
		"$TMP/seed-$s.cap" /dev/null
	"$O/host-san/gen-capture" --function --calls $((s * 5)) --seed $s "$TMP/seed-fn-$s.cap" /dev/null
done
"$O/host-san/gen-capture" --calls 2000 --buffer-kb 16 "$TMP/seed-full.cap" /dev/null
fuzz capture "$TMP"/seed-*.cap
fuzz timeline "$TRACES"/*.txt "$HERE"/cases/*.txt "$HERE"/golden/perfetto/small.txt \
	"$HERE"/fuzz-regress/*
finish
