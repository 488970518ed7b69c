/* Nanoseconds per call of a small noipa function on the real CPU, through the same trace/
 * sources the kernel uses (fentry.S, fgraph.c, function.c, ring*.c, codec.c, patch.c) and the host
 * shim for per-CPU data: compiled without -pg; with -pg and the site NOP-patched; with the
 * `function` tracer; with `function_graph`. Each single-threaded and with one writer
 * thread per core (2 cores, each its own CPU buffer). Buffers are 64 MiB per CPU in
 * overwrite mode, so they never fill. Prints the median of RUNS runs of CALLS calls. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "test/unit/trace_host_env.h"
#include "trace/config.h"
#include "trace/patch.h"
#include "trace/ring.h"

#ifndef CALLS /* smaller for callgrind: -DCALLS=200000 -DRUNS=1 */
#define CALLS 20000000
#endif
#ifndef RUNS
#define RUNS 7
#endif
#define THREADS 2

int bench_fn_plain(int x);
int bench_fn_plain_tsc(int x);
int bench_fn_pg(int x);
extern const uint64_t __start___mcount_loc[], __stop___mcount_loc[];
extern const uint64_t __start___return_loc[], __stop___return_loc[];

/* The last two are pieces of function_graph's cost: its sites patched with tracing off
 * (the hooks are called and return at once), and the plain function with one TSC read. */
enum mode { PLAIN, NOP, FUNCTION, GRAPH, GRAPH_OFF, PLAIN_TSC, MODES };
static const char *const mode_names[MODES] = { "no -pg", "-pg, NOP-patched", "function",
					       "function_graph", "graph, tracing off",
					       "no -pg, + rdtsc" };

/* The calling thread's CPU time: on a machine shared with other work, the time this thread
 * was switched out is not counted (wall time doubled under a load of 5). */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct worker {
	unsigned cpu;
	int (*fn)(int);
	pthread_barrier_t *start;
	double ns_per_call;
	int sink;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	cpu_set_t set;
	uint64_t t0;
	int s = 0;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	trace_host_set_cpu(w->cpu);
	for (int i = 0; i < CALLS / 100; i++) /* warm up caches and the buffer pages */
		s += w->fn(i);
	pthread_barrier_wait(w->start);
	t0 = now_ns();
	for (int i = 0; i < CALLS; i++)
		s += w->fn(i);
	w->ns_per_call = (double)(now_ns() - t0) / CALLS;
	w->sink = s;
	return NULL;
}

/* One run with n threads; returns the mean of their ns per call. */
static double run(int (*fn)(int), int n)
{
	struct worker w[THREADS];
	pthread_t th[THREADS];
	pthread_barrier_t start;
	double sum = 0;

	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		w[i] = (struct worker){ .cpu = (unsigned)i, .fn = fn, .start = &start };
		pthread_create(&th[i], NULL, worker, &w[i]);
	}
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		sum += w[i].ns_per_call;
	}
	pthread_barrier_destroy(&start);
	return sum / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static bool site_on(uint64_t ip, void *arg)
{
	(void)ip;
	return arg != NULL;
}

static int (*setup(enum mode m))(int)
{
	static const enum trace_tracer tracer[MODES] = { TRACE_NOP, TRACE_NOP, TRACE_FUNCTION,
							 TRACE_GRAPH, TRACE_GRAPH, TRACE_NOP };

	ring_clear();
	trace_set_tracer(tracer[m]);
	trace_set_on(m != GRAPH_OFF);
	patch_set_return_hooks(tracer[m] == TRACE_GRAPH);
	patch_apply(site_on, tracer[m] == TRACE_NOP ? NULL : (void *)1);
	return m == PLAIN ? bench_fn_plain : m == PLAIN_TSC ? bench_fn_plain_tsc : bench_fn_pg;
}

/* Median and minimum of RUNS runs (the minimum shows what other load on the machine
 * cost the median). */
static double median(int (*fn)(int), int n, double *min)
{
	double t[RUNS];

	for (int r = 0; r < RUNS; r++)
		t[r] = run(fn, n);
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	*min = t[0];
	return t[RUNS / 2];
}

int main(void)
{
	double base[THREADS + 1];

	patch_set_sites(__start___mcount_loc, __stop___mcount_loc);
#if CONFIG_FGRAPH_RETHOOK
	patch_set_return_sites(__start___return_loc, __stop___return_loc);
#endif
	trace_host_set_ncpus(THREADS);
	ring_set_overwrite(true);
	if (ring_init(THREADS, 64ul << 20)) {
		fprintf(stderr, "host-trace-bench: no memory for the buffers\n");
		return 1;
	}
	trace_set_on(true);
	printf("host-trace-bench: ns per call, median (min) of %d runs of %d calls\n", RUNS,
	       CALLS);
	printf("%-18s %18s %18s %12s %12s\n", "configuration", "1 thread", "2 threads",
	       "1 thr. - base", "2 thr. - base");
	for (int m = 0; m < MODES; m++) {
		int (*fn)(int) = setup((enum mode)m);
		double min1, min2, one = median(fn, 1, &min1), two = median(fn, THREADS, &min2);

		if (m == PLAIN) {
			base[1] = one;
			base[2] = two;
		}
		printf("%-18s %7.2f (%6.2f) ns %7.2f (%6.2f) ns %+9.2f ns %+9.2f ns\n",
		       mode_names[m], one, min1, two, min2, one - base[1], two - base[2]);
	}
	setup(NOP);
	return 0;
}
