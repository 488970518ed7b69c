#ifndef APPS_FTRACE_BENCH_H
#define APPS_FTRACE_BENCH_H

#include <stdbool.h>

/* The same tiny function, without instrumentation and with its fentry site. */
int bench_plain(int x);
int bench_traced(int x);
int bench_plain_tsc(int x); /* bench_plain and one TSC read */
int bench_parent(int x);    /* traced, calls bench_traced: a call with one child */
int bench_calls(int (*fn)(int), int n); /* traced: the sum of fn(0) .. fn(n - 1) */

/* ftrace_bench_calib=1 (or =c: through the C hooks): the overhead calibration (calib.c)
 * instead of the benchmark. */
int ftrace_bench_calib(bool c_hooks);

#endif
