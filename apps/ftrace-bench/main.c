/* ftrace-bench: the cost of a traced call inside the guest, measured with the TSC: a call
 * to a tiny function compiled without -pg, the same function with its call site NOP-patched,
 * under the `function` tracer and under `function_graph` (only that function selected with
 * set_ftrace_filter, so the loop itself is not traced). Also the ring-buffer bytes one
 * traced call takes (from per_cpu/cpu0/stats) and how many calls fit in 64 MiB. And two
 * pieces of the function_graph cost: its sites patched with tracing_on 0 (the hooks are
 * called and return at once), and the uninstrumented function with one TSC read.
 * With ftrace_bench_calib=1 on the command line it runs the overhead calibration of
 * calib.c instead. */
#include <stdlib.h>
#include "kernel/api.h"
#include "apps/ftrace-bench/bench.h"
#include "kernel/cmdline.h"
#include "trace/tracefs.h"

#define CALLS 100000
#define ROUNDS 5
#define STACK_SHIFTS 4 /* stack positions, a page apart (the thread has 8 pages) */

/* The "bytes:" field of per_cpu/cpu0/stats. */
static uint64_t cpu0_bytes(void)
{
	struct tracefs_file *f;
	char buf[1024];
	long n;

	if (tracefs_open("per_cpu/cpu0/stats", TRACEFS_READ, &f))
		return 0;
	n = tracefs_read(f, buf, sizeof(buf) - 1);
	tracefs_close(f);
	buf[n > 0 ? n : 0] = 0;
	const char *p = strstr(buf, "bytes: ");
	return p ? strtoul(p + 7, NULL, 10) : 0;
}

/* Median over ROUNDS of the TSC ticks per call of fn. */
static uint64_t ticks_median(int (*fn)(int))
{
	uint64_t best[ROUNDS];
	volatile int sink = 0;

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t t0 = plat_tsc();
		for (int i = 0; i < CALLS; i++)
			sink += fn(i);
		best[r] = (plat_tsc() - t0) * 1000 / CALLS; /* milli-ticks */
	}
	for (int i = 1; i < ROUNDS; i++) /* insertion sort, then the middle one */
		for (int j = i; j > 0 && best[j] < best[j - 1]; j--) {
			uint64_t t = best[j];
			best[j] = best[j - 1];
			best[j - 1] = t;
		}
	(void)sink;
	return best[ROUNDS / 2];
}

/* ticks_median() with the stack pages lower. noipa: a frame of its own each time. */
__attribute__((noipa)) static uint64_t ticks_below(int (*fn)(int), unsigned pages)
{
	volatile char *gap = __builtin_alloca(pages * 4096 + 1);

	gap[0] = 0;
	return ticks_median(fn);
}

/* The least over STACK_SHIFTS stack positions of ticks_median(). Under TCG, QEMU's
 * software TLB is direct-mapped by page number (64 to 256 entries): when the stack's page
 * shares an entry with another page each traced call touches (the tracer's settings, the
 * ring, the thread), both miss on every access and a call costs 2-8 times as much (351
 * against 45 ns for `function` in one build). Where the stack lies changes from build to
 * build; the cost of the code is the one without such a collision. */
static uint64_t ticks_per_call(int (*fn)(int))
{
	uint64_t least = UINT64_MAX;

	for (unsigned pages = 0; pages < STACK_SHIFTS; pages++) {
		uint64_t t = ticks_below(fn, pages);

		least = t < least ? t : least;
	}
	return least;
}

static void report(const char *name, uint64_t mticks, uint64_t base)
{
	uint64_t ps = mticks * 1000000 / (tsc_hz() / 1000); /* picoseconds per call */
	printf("ftrace-bench: %-16s %5lu.%01lu ns/call  %3lu.%02lux\n", name, ps / 1000,
	       ps % 1000 / 100, mticks / base, mticks * 100 / base % 100);
}

int app_main(void)
{
	uint64_t plain, nop, fn, graph, graph_off, tsc, b0, b1;
	char arg[8];

	if (cmdline_get("ftrace_bench_calib", arg, sizeof(arg)) && arg[0])
		return ftrace_bench_calib(strcmp(arg, "c") == 0);

	if (trace_control("tracing_on", "0") || trace_control("current_tracer", "nop") ||
	    trace_control("set_ftrace_filter", "bench_traced") || trace_control("trace", ""))
		return 1;
	plain = ticks_per_call(bench_plain);
	nop = ticks_per_call(bench_traced);

	trace_control("current_tracer", "function");
	trace_control("tracing_on", "1");
	fn = ticks_per_call(bench_traced);
	trace_control("tracing_on", "0");

	trace_control("current_tracer", "function_graph");
	b0 = cpu0_bytes();
	trace_control("tracing_on", "1");
	graph = ticks_per_call(bench_traced);
	trace_control("tracing_on", "0");
	b1 = cpu0_bytes();
	graph_off = ticks_per_call(bench_traced); /* still patched for function_graph */
	tsc = ticks_per_call(bench_plain_tsc);

	report("uninstrumented", plain, plain);
	report("nop-patched", nop, plain);
	report("function", fn, plain);
	report("function_graph", graph, plain);
	report("graph-off", graph_off, plain);
	report("plain+rdtsc", tsc, plain);
	uint64_t calls = (uint64_t)CALLS * ROUNDS * STACK_SHIFTS;
	printf("ftrace-bench: function_graph buffer bytes per call: %lu.%02lu\n", (b1 - b0) / calls,
	       (b1 - b0) * 100 / calls % 100);
	if (b1 > b0)
		printf("ftrace-bench: calls per 64 MiB buffer: %lu\n", (uint64_t)(64ull << 20) * calls / (b1 - b0));
	return 0;
}
