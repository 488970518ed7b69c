#!/usr/bin/env bash
# The --serve report: its JSON API recomputes on request, it listens on 127.0.0.1 only, a
# real browser (headless Chromium) loads the page, unticks a function through the page's
# own click handler and the recomputed page content is checked; a screenshot is written to
# $O/serve-report.png. Ctrl-C (SIGINT) stops the server cleanly.
source "$(dirname "$0")/lib.sh"
if ! command -v chromium >/dev/null; then
	not_ok "chromium" "not installed (scripts/install-deps.sh --with-browser)"
	finish
	exit
fi
in=$TMP/in.csv
make_rb_input "$in"

"$RB" --serve 0 "$in" >"$TMP/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/log") && break
	sleep 0.1
done
if [ -z "$url" ]; then
	not_ok "server starts" "$(cat "$TMP/log")"
	kill "$pid"
	finish
	exit
fi
ok "server prints its URL"
port=${url##*:}
port=${port%/}
check "listens on 127.0.0.1 only" "$(ss -ltnH "sport = :$port" | awk '{ print $4 }')" "127.0.0.1:$port"

get() { curl -s --max-time 20 "$url$1"; }
meta=$(get api/meta)
check "meta: rows" "$(echo "$meta" | grep -o '"rows":[0-9]*')" '"rows":104'
check "meta: threads" "$(echo "$meta" | grep -o '"threads":\[[^]]*\]')" \
	'"threads":[{"tid":0,"label":"<idle>-0"},{"tid":1,"label":"<...>-1"},{"tid":2,"label":"<...>-2"}]'
check "meta: time range" "$(echo "$meta" | grep -o '"has_time.*')" \
	'"has_time":true,"t_min_us":0.000,"t_max_us":5400.000}'
check "report: excluding idle" "$(get 'api/report?exclude=idle' | grep -o '"rows":[0-9]*,"self_sum_us":[0-9.]*')" \
	'"rows":103,"self_sum_us":1805.050'
check "report: time window" "$(get 'api/report?from=200&to=300' | grep -o '"rows":[0-9]*')" '"rows":1'
check "report: thread and CPU" "$(get 'api/report?tid=1,2&cpu=1' | grep -o '"rows":[0-9]*')" '"rows":3'
check "report: bad parameter" "$(curl -s -o /dev/null -w '%{http_code}' "${url}api/report?tid=x")" "400"
check "POST refused" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url")" "405"

chrome() {
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--user-data-dir="$TMP/chrome" --virtual-time-budget=15000 "$@" 2>/dev/null
}
dom=$(chrome --dump-dom "${url}#click=fn-idle")
check "browser: toggled idle off, totals recomputed" "$(echo "$dom" | grep -o 'id="summary">[^<]*')" \
	'id="summary">103 calls in 2 functions, self time 1805.050 us'
echo "$dom" | grep -q 'id="restore-idle"' && ok "browser: idle listed as excluded" || not_ok "browser: idle listed as excluded" "no restore button"
check "browser: idle row gone, others kept" "$(echo "$dom" | grep -o 'id="row-[a-z]*"' | tr '\n' ' ')" \
	'id="row-g" id="row-f" '
chrome --window-size=1300,1400 --screenshot="$O/serve-report.png" "${url}#click=fn-idle" >/dev/null
check "browser: screenshot $O/serve-report.png" "$(head -c 4 "$O/serve-report.png" 2>/dev/null | od -An -tx1 | tr -d ' ')" "89504e47"

kill -INT "$pid"
wait "$pid"
expect_status "Ctrl-C stops the server: status 0" 0 $?
check "Ctrl-C stops the server: message" "$(tail -1 "$TMP/log")" "runtime-breakdown: stopped"

# A trace with switch information: on-CPU time, the mode line and the waits on the page
# (test/tools/cases/offcpu-loop.txt, worked out in offcpu.sh).
"$RB" --serve 0 "$HERE/cases/offcpu-loop.txt" >"$TMP/log2" 2>&1 &
pid=$!
url=
for _ in $(seq 100); do
	url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/log2") && break
	sleep 0.1
done
check "on-CPU report: waits in the API" "$(get api/report | grep -o '"waits":.*')" \
	'"waits":{"threads":[{"label":"srv-3","waited_us":370.000}],"paths":[{"label":"srv-3","waited_us":280.000,"path":"block <- wait_event <- accept_conn"},{"label":"srv-3","waited_us":90.000,"path":"block <- read_req"}],"estimate":""}}'
dom=$(chrome --dump-dom "$url")
check "browser: on-CPU mode line" "$(echo "$dom" | grep -o 'id="time">[^<]*')" \
	"id=\"time\">time: on the CPU, waiting listed apart (switch information in 12 of 12 calls); idle, not work: 150.000 us in the idle task's calls"
check "browser: wait paths listed" "$(echo "$dom" | grep -o '<td class="name">block &lt;- [^<]*' | sed 's/.*>//')" \
	"block &lt;- wait_event &lt;- accept_conn
block &lt;- read_req"
check "browser: thread chart and checkbox name srv-3" \
	"$(echo "$dom" | grep -o -e '> srv-3 <' -e 'font-size="11">srv-3<' | LC_ALL=C sort | tr '\n' ' ')" \
	'> srv-3 < font-size="11">srv-3< '
kill -INT "$pid"
wait "$pid"

# A trace without timestamps (offcpu-est.txt, worked out in offcpu.sh): the estimate says so
"$RB" --serve 0 "$HERE/cases/offcpu-est.txt" >"$TMP/log3" 2>&1 &
pid=$!
url=
for _ in $(seq 100); do
	url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$TMP/log3") && break
	sleep 0.1
done
EST="estimated: a call that switched out counts its whole self time as waiting, so the waiting includes the switches' own work on the CPU (switches: 3), which a trace without timestamps does not show (funcgraph-abstime measures it); the smallest self time of such a call is 150.000 us"
check "estimated report: the estimate in the API" "$(get api/report | grep -o '"estimate":"[^"]*"')" \
	"\"estimate\":\"$EST\""
dom=$(chrome --dump-dom "$url")
check "browser: the estimate and its bound shown" "$(echo "$dom" | grep -o 'id="wait-estimate">[^<]*')" \
	"id=\"wait-estimate\">($EST)"
kill -INT "$pid"
wait "$pid"
finish
