/* compute_event_cost=N on the command line: the cost of trace events in the guest, in one
 * boot, by the TSC (bench/guest-events.sh, docs/benchmarks.md). Each measure runs with
 * every event off, then with every event on (events/enable), and prints both and their
 * difference per event:
 *   counter     N trace_counter() calls: one counter event each
 *   span        N trace_span_begin()/trace_span_end() pairs: two events each
 *   yield       N thread_yield() between two threads of CPU 0: a switch (sched_switch
 *               event) each, and nothing else while sched events are off
 *   compute     compute_work() N / 100 times on CPU 0, for the ratio of a whole workload
 *               with every event on to off (its events: the timer's irq pairs and
 *               switches)
 * Run it with the nop tracer (ftrace=nop) so that only events are recorded. Without
 * TRACE=ftrace there are no events: it says so. */
#include "kernel/api.h"
#include "apps/compute/work.h"
#include "apps/compute/event_cost.h"

#ifdef CONFIG_TRACE
static volatile bool yield_stop;

static void yielder(void *arg)
{
	(void)arg;
	while (!yield_stop)
		thread_yield();
}

static uint64_t ns_counter(unsigned n)
{
	uint64_t t0 = time_ns();

	for (unsigned i = 0; i < n; i++)
		trace_counter("cost", i);
	return time_ns() - t0;
}

static uint64_t ns_span(unsigned n)
{
	uint64_t t0 = time_ns();

	for (unsigned i = 0; i < n; i++) {
		trace_span_begin("cost");
		trace_span_end("cost");
	}
	return time_ns() - t0;
}

/* n yields of this thread with a second one on its CPU: 2n switches. */
static uint64_t ns_yield(unsigned n)
{
	struct thread *t;
	uint64_t t0, ns;

	yield_stop = false;
	t = thread_create("yielder", yielder, NULL, (int)cpu_id());
	if (!t)
		return 0;
	thread_yield(); /* let it start */
	t0 = time_ns();
	for (unsigned i = 0; i < n; i++)
		thread_yield();
	ns = time_ns() - t0;
	yield_stop = true;
	thread_join(t);
	return ns;
}

/* n / 100 runs of compute_work() (about 100 us each under TCG), so that timer ticks fall
 * inside. */
static uint64_t ns_compute(unsigned n)
{
	uint64_t t0 = time_ns();

	for (unsigned i = 0; i < n / 100 + 1; i++)
		compute_work(7 + i);
	return time_ns() - t0;
}

static void measure(const char *what, uint64_t (*fn)(unsigned), unsigned n, unsigned events)
{
	uint64_t off, on;

	trace_control("events/enable", "0");
	fn(n / 10); /* warm up caches and buffer pages */
	off = fn(n);
	trace_control("events/enable", "1");
	on = fn(n);
	trace_control("events/enable", "0");
	printf("compute-events: %-8s off %lu ns on %lu ns ratio %lu.%02lu", what, off, on,
	       on * 100 / (off ? off : 1) / 100, on * 100 / (off ? off : 1) % 100);
	if (events)
		printf(" per event %ld ns", (long)((int64_t)(on - off) / (int64_t)(n * events)));
	printf("\n");
}

void compute_event_cost(unsigned n)
{
	measure("counter", ns_counter, n, 1);
	measure("span", ns_span, n, 2);
	measure("yield", ns_yield, n, 2);
	measure("compute", ns_compute, n, 0);
}
#else
void compute_event_cost(unsigned n)
{
	(void)n;
	printf("compute-events: trace events need TRACE=ftrace\n");
}
#endif
