#!/usr/bin/env bash
# Durations of hours, exactly: test/tools/cases/hours.txt has calls of 2 h (7200123456 us,
# more than 2^32 us), 3 h and 1 h, whose duration columns overflow the 14 columns Linux
# pads to (`$ 10800200001 us |`), and a thread that waits 1 h (17800.200000 - 14200.200000 s)
# in wait_disk. parse-trace's rows are checked by cases.sh; here the tables, to the ns.
source "$(dirname "$0")/lib.sh"
h=$HERE/cases/hours.txt
H="function,calls,total_us,self_us,mean_us,min_us,max_us,p50_us,p95_us,p99_us"

check "hours: wall clock, exact" "$("$RB" -q --csv --time wall "$h")" "$H
crunch_hours,1,7200123456.000,7200123456.000,7200123456.000,7200123456.000,7200123456.000,7200123456.000,7200123456.000,7200123456.000
wait_disk,1,3600076542.000,3600076542.000,3600076542.000,3600076542.000,3600076542.000,3600076542.000,3600076542.000,3600076542.000
idle_hours,1,3599999999.000,3599999999.000,3599999999.000,3599999999.000,3599999999.000,3599999999.000,3599999999.000,3599999999.000
nightly_job,1,10800200001.000,3.000,10800200001.000,10800200001.000,10800200001.000,10800200001.000,10800200001.000,10800200001.000"
check "hours: on the CPU, exact" "$("$RB" -q --csv "$h")" "$H
crunch_hours,1,7200123456.000,7200123456.000,7200123456.000,7200123456.000,7200123456.000,7200123456.000,7200123456.000,7200123456.000
wait_disk,1,76542.000,76542.000,76542.000,76542.000,76542.000,76542.000,76542.000,76542.000
nightly_job,1,7200200001.000,3.000,7200200001.000,7200200001.000,7200200001.000,7200200001.000,7200200001.000,7200200001.000"
check "hours: an hour of waiting" "$("$RB" -q --no-plot "$h" | tail -1)" \
	"batch-77 waited 3600000000.000 us in wait_disk <- nightly_job"
"$PT" -q "$h" >"$TMP/h.csv"
check "hours: CSV input gives the same table" "$("$RB" -q --csv "$TMP/h.csv")" "$("$RB" -q --csv "$h")"
check "hours: chrome durations" "$("$PT" -q -f chrome "$h" | grep -o '"dur":[0-9.]*' | tr '\n' ' ')" \
	'"dur":7200123456.000 "dur":3599999999.000 "dur":3600076542.000 "dur":10800200001.000 '
check "hours: folded weights in ns, wall" "$("$PT" -q -f folded --time wall "$h")" "nightly_job 3000
nightly_job;crunch_hours 7200123456000
nightly_job;wait_disk 3600076542000
idle_hours 3599999999000"
check "hours: folded weights in ns, on the CPU" "$("$PT" -q -f folded "$h")" "nightly_job 3000
nightly_job;crunch_hours 7200123456000
nightly_job;wait_disk 76542000
idle_hours 3599999999000"
check "hours: folded weights in ns, off the CPU" "$("$PT" -q -f folded --time off "$h")" \
	"nightly_job;wait_disk 3600000000000"
finish
