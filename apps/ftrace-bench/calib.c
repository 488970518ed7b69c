/* ftrace_bench_calib=1: what bench/profile-accuracy.sh needs to calibrate the host tools'
 * hook-overhead compensation (--overhead, docs/overhead.md) under the QEMU settings of the
 * boot. It prints the TSC time per loop iteration of a call to bench_traced (a leaf) and
 * to bench_parent (which calls bench_traced: a call with a child), with their sites
 * NOP-patched (tracer nop) and under function_graph, then leaves a short function_graph
 * trace of both (CALIB_SEGMENTS x CALIB_TRACED calls each) for trace_dump=1: the mean
 * durations the trace shows for them are the rest of the calibration. The loops run inside
 * a traced call (bench_calls), so that the calls measured are children, as a traced
 * workload's calls are. set_ftrace_filter keeps the hooks on their fast path, as a capture
 * with set_ftrace_filter (and without set_graph_function) has; ftrace_bench_calib=c adds
 * set_graph_function, which sends every call through the C hooks, as a capture with
 * set_graph_function (ftrace_graph_filter) has. */
#include "kernel/api.h"
#include "apps/ftrace-bench/bench.h"

#define CALLS 20000
/* Calls per traced segment: a whole number of the ring's 8 KiB blocks for leaves (8 bytes
 * each) and parents (24), so that every segment starts as many blocks (each zeroed by the
 * hooks when first written: part of their cost); three segments each, the host takes the
 * one with the lowest mean (the timer tick lands in the others). */
#define CALIB_TRACED 4096
#define CALIB_SEGMENTS 3

/* Picoseconds per call of fn over CALLS calls: the minimum of three runs (the timer tick
 * lands in some). */
static uint64_t ps_per_call(int (*fn)(int))
{
	uint64_t best = UINT64_MAX;
	volatile int sink = 0;

	for (int r = 0; r < 3; r++) {
		uint64_t t0 = time_ns();
		sink += bench_calls(fn, CALLS);
		uint64_t ps = (time_ns() - t0) * 1000 / CALLS;
		best = ps < best ? ps : best;
	}
	(void)sink;
	return best;
}

static void print_ps(const char *what, uint64_t ps)
{
	printf("ftrace-bench-calib: %s %lu.%03lu ns/call\n", what, ps / 1000, ps % 1000);
}

int ftrace_bench_calib(bool c_hooks)
{
	uint64_t leaf_nop, parent_nop, leaf_graph, parent_graph;
	volatile int sink = 0;

	if (trace_control("tracing_on", "0") || trace_control("current_tracer", "nop") ||
	    trace_control("set_ftrace_filter", "bench_traced bench_parent bench_calls") ||
	    (c_hooks && trace_control("set_graph_function", "bench_calls")))
		return 1;
	leaf_nop = ps_per_call(bench_traced);
	parent_nop = ps_per_call(bench_parent);
	trace_control("current_tracer", "function_graph");
	trace_control("tracing_on", "1");
	leaf_graph = ps_per_call(bench_traced);
	parent_graph = ps_per_call(bench_parent);
	trace_control("tracing_on", "0");
	print_ps("leaf nop", leaf_nop);
	print_ps("leaf function_graph", leaf_graph);
	print_ps("parent nop", parent_nop);
	print_ps("parent function_graph", parent_graph);

	trace_control("trace", "");
	trace_control("tracing_on", "1");
	for (int i = 0; i < CALIB_SEGMENTS; i++)
		sink += bench_calls(bench_traced, CALIB_TRACED);
	for (int i = 0; i < CALIB_SEGMENTS; i++)
		sink += bench_calls(bench_parent, CALIB_TRACED);
	trace_control("tracing_on", "0");
	(void)sink;
	return 0;
}
