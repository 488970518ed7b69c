/* compute: the same deterministic workload (work.h) on every CPU, one thread each, seeded
 * by the CPU index; prints each checksum and their sum. With compute_nap_ms=N on the
 * command line it then sleeps N ms inside compute_nap() and prints how long that call took
 * by the TSC: a known long call for the tracer's duration tests.
 * Its phases are app spans (docs/writing-apps.md): "spawn", "join" and "nap" on the main
 * thread, "work" on each worker; a counter "joined" counts the threads joined.
 * compute_event_cost=N then measures trace events' cost (apps/compute/event_cost.c).
 * With compute_loop=1 each worker repeats the workload forever (a continuous CPU-bound
 * load for the streaming benchmark, bench/glass-stream.sh), sleeping compute_pause_us=N
 * microseconds between rounds if given (a lower event rate). With compute_rounds=N each
 * thread runs the workload N times (same checksum): a longer run for the sampling
 * profiler's tests and benchmarks. With compute_ticks=1 it prints the TSC ticks from the
 * first thread's creation to the last join: under QEMU's -icount shift=0 the guest's
 * instructions, for bench/tracing-off-icount.sh. */
#include <stdlib.h>
#include "kernel/api.h"
#include "kernel/cmdline.h"
#include "apps/compute/work.h"
#include "apps/compute/event_cost.h"

struct job {
	unsigned cpu;
	uint64_t result;
};

static bool loop_forever;
static uint64_t pause_ns;
static uint64_t rounds = 1;

/* A number from the command line, 0 if not given. */
static uint64_t cmdline_u64(const char *name)
{
	char arg[24];

	return cmdline_get(name, arg, sizeof(arg)) ? strtoul(arg, NULL, 10) : 0;
}

static void compute_worker(void *arg)
{
	struct job *j = arg;

	do {
		/* No arguments: formatting them would add kvsnprintf to compute_worker's call
		 * tree while the event is on (the thread's name says which worker it is). */
		trace_span_begin("work");
		for (uint64_t r = 0; r < rounds; r++)
			j->result = compute_work(j->cpu + 1);
		trace_span_end("work");
		if (pause_ns)
			sleep_ns(pause_ns);
	} while (loop_forever);
}

/* noipa: a real, traced call of its own. */
__attribute__((noipa)) void compute_nap(uint64_t ms)
{
	sleep_ms(ms);
}

/* compute_nap_ms=N: one compute_nap(N) call, timed around the call. */
static void nap_if_asked(void)
{
	char arg[24];
	uint64_t ms, t0, ns;

	if (!cmdline_get("compute_nap_ms", arg, sizeof(arg)))
		return;
	ms = strtoul(arg, NULL, 10);
	trace_span_begin("nap", "ms=%lu", ms);
	t0 = time_ns();
	compute_nap(ms);
	ns = time_ns() - t0;
	trace_span_end("nap");
	printf("compute: compute_nap(%lu) took %lu ns\n", ms, ns);
}

int app_main(void)
{
	unsigned n = cpu_count();
	struct job jobs[PLAT_MAX_CPUS];
	struct thread *threads[PLAT_MAX_CPUS];
	uint64_t total = 0, t0, ticks;
	char name[16];

	loop_forever = cmdline_u64("compute_loop") != 0;
	pause_ns = cmdline_u64("compute_pause_us") * 1000;
	if (cmdline_u64("compute_rounds"))
		rounds = cmdline_u64("compute_rounds");
	t0 = plat_tsc(); /* inline: no call added to the traced tree */
	trace_span_begin("spawn", "threads=%u", n);
	for (unsigned c = 0; c < n; c++) {
		jobs[c] = (struct job){ .cpu = c };
		snprintf(name, sizeof(name), "compute/%u", c);
		threads[c] = thread_create(name, compute_worker, &jobs[c], (int)c);
		if (!threads[c]) {
			printf("compute: cannot create a thread\n");
			return 1;
		}
	}
	trace_span_end("spawn");
	trace_span_begin("join");
	for (unsigned c = 0; c < n; c++) {
		thread_join(threads[c]);
		trace_counter("joined", c + 1);
		printf("compute: cpu %u checksum %016lx\n", c, jobs[c].result);
		total += jobs[c].result;
	}
	trace_span_end("join");
	ticks = plat_tsc() - t0;
	printf("compute: total checksum %016lx\n", total);
	if (cmdline_u64("compute_ticks"))
		printf("compute: workload %lu TSC ticks\n", ticks);
	nap_if_asked();
	if (cmdline_get("compute_event_cost", name, sizeof(name)))
		compute_event_cost((unsigned)strtoul(name, NULL, 10));
	return 0;
}
