/* Nanoseconds per trace event on the real CPU, through the same trace/ sources the kernel
 * uses (events.c, ring*.c, codec.c) and the host shim for per-CPU data: each event kind
 * with the payload the kernel writes for it (kernel/sched.c, platform/pc/idt.c,
 * kernel/api.c), enabled, and the cost of the disabled check (trace_event_on()) the call
 * sites make first. A switch record is timed as trace_sched_switch() with sched_switch on.
 * One thread, a 64 MiB buffer in overwrite mode (it never fills). Prints the median and
 * minimum of RUNS runs of N events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "test/unit/trace_host_env.h"
#include "trace/config.h"
#include "trace/env.h"
#include "trace/events.h"
#include "trace/ring.h"
#include "trace/trace.h"

#define N 2000000
#define RUNS 7

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

enum kind { WAKEUP, SWITCH, NEWTASK, EXIT, IRQ_ENTRY, IRQ_EXIT, SPAN, COUNTER, OFF, KINDS };
static const char *const names[KINDS] = {
	"sched_wakeup", "sched_switch", "task_newtask", "sched_process_exit",
	"irq_handler_entry", "irq_handler_exit", "span_begin (18 B)", "counter", "any, disabled",
};

static volatile int sink;

static void one(enum kind k, unsigned i)
{
	switch (k) {
	case WAKEUP: {
		struct ev_sched_wakeup e = { .pid = (uint16_t)(i & 0xfff), .target_cpu = 1 };
		trace_event_write(EV_SCHED_WAKEUP, &e, sizeof(e));
		break;
	}
	case SWITCH:
		trace_sched_switch(trace_env_task(), 3, trace_env_task(), 3, TS_WAITQ);
		break;
	case NEWTASK: {
		struct ev_thread_create e = { .pid = 7, .entry = 0x101000 };
		trace_event_write_str(EV_THREAD_CREATE, &e, sizeof(e), "compute/1");
		break;
	}
	case EXIT: {
		struct ev_thread_exit e = { .pid = 7, .status = 0 };
		trace_event_write(EV_THREAD_EXIT, &e, sizeof(e));
		break;
	}
	case IRQ_ENTRY: {
		struct ev_irq_entry e = { .vector = 224 };
		trace_event_write_str(EV_IRQ_ENTRY, &e, sizeof(e), "timer");
		break;
	}
	case IRQ_EXIT: {
		struct ev_irq_exit e = { .vector = 224, .handled = 1 };
		trace_event_write(EV_IRQ_EXIT, &e, sizeof(e));
		break;
	}
	case SPAN:
		trace_event_write(EV_SPAN_BEGIN, "GET /bytes/100 status=200", 18);
		break;
	case COUNTER: {
		struct ev_counter e = { .value = i };
		trace_event_write_str(EV_COUNTER, &e, sizeof(e), "joined");
		break;
	}
	default: /* the call sites' check while their event is off */
		if (trace_event_on(EV_SCHED_WAKEUP))
			sink++;
		break;
	}
}

static double run(enum kind k)
{
	uint64_t t0 = now_ns();

	for (unsigned i = 0; i < N; i++)
		one(k, i);
	return (double)(now_ns() - t0) / N;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	trace_host_set_ncpus(1);
	trace_host_set_cpu(0);
	trace_host_set_tid(3);
	ring_set_overwrite(true);
	if (ring_init(1, 64ul << 20)) {
		fprintf(stderr, "host-event-bench: no memory for the buffer\n");
		return 1;
	}
	trace_set_on(true);
	printf("host-event-bench: ns per event, median (min) of %d runs of %d events\n", RUNS, N);
	for (int k = 0; k < KINDS; k++) {
		double t[RUNS];

		trace_events_enabled = k == OFF ? 0 : ~0ull;
		for (unsigned i = 0; i < N / 10; i++) /* warm up the buffer pages */
			one((enum kind)k, i);
		for (int r = 0; r < RUNS; r++)
			t[r] = run((enum kind)k);
		qsort(t, RUNS, sizeof(t[0]), cmp_double);
		printf("%-20s %7.2f (%6.2f) ns\n", names[k], t[RUNS / 2], t[0]);
	}
	return 0;
}
