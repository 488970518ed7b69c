/* tracetoggle: stress for the tracer. Workers run the compute workload on every CPU while
 * the main thread turns tracing on and off 1000 times and switches between the function
 * and function_graph tracers, which re-patches every call site under the running workers.
 * The boot test then checks that the kernel survived and the trace parses cleanly. */
#include "kernel/api.h"
#include "apps/compute/work.h"

#define TOGGLES 1000

static volatile bool done;

static void worker(void *arg)
{
	uint64_t *rounds = arg;
	while (!done) {
		compute_work(*rounds + 1);
		(*rounds)++;
	}
}

int app_main(void)
{
	unsigned n = cpu_count();
	uint64_t rounds[PLAT_MAX_CPUS] = { 0 };
	struct thread *t[PLAT_MAX_CPUS];

	for (unsigned c = 0; c < n; c++)
		t[c] = thread_create("toggle-work", worker, &rounds[c], (int)c);
	for (int i = 0; i < TOGGLES; i++) {
		if (trace_control("tracing_on", i % 2 ? "1" : "0"))
			return 1;
		if (i % 100 == 50 &&
		    trace_control("current_tracer", i % 200 == 50 ? "function" : "function_graph"))
			return 1;
		if (i % 10 == 0)
			thread_yield();
	}
	trace_control("tracing_on", "1");
	sleep_ms(20);
	done = true;
	for (unsigned c = 0; c < n; c++) {
		thread_join(t[c]);
		printf("tracetoggle: cpu %u ran %lu rounds\n", c, rounds[c]);
	}
	printf("tracetoggle: %d toggles done\n", TOGGLES);
	return 0;
}
