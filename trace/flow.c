/* Flow control of the trace stream: the watermarks and the reader's presence (contract in
 * trace/flow.h). Pure: the parking itself is the kernel's (kernel/sched_flow.c). */
#include "trace/flow.h"
#include "trace/config.h"
#include "trace/env.h"
#include "trace/ring.h"

static struct {
	volatile bool on;
	volatile unsigned readers[TRACE_MAX_CPUS];     /* trace_pipe_raw readers open */
	volatile uint64_t detached_at[TRACE_MAX_CPUS]; /* when the last one closed (0: never) */
	volatile bool congested[TRACE_MAX_CPUS];
	void (*wake)(unsigned cpu);
} flow;

void trace_flow_set_waker(void (*wake)(unsigned cpu))
{
	flow.wake = wake;
}

void trace_flow_kick(void)
{
	for (unsigned c = 0; c < TRACE_MAX_CPUS; c++) {
		flow.congested[c] = false; /* looked at again by trace_flow_congested() */
		if (flow.wake)
			flow.wake(c);
	}
}

void trace_flow_set(bool on)
{
	flow.on = on;
	if (!on)
		trace_flow_kick();
}

bool trace_flow_enabled(void)
{
	return flow.on;
}

void trace_flow_reader_attach(unsigned cpu)
{
	if (cpu < TRACE_MAX_CPUS)
		__atomic_add_fetch(&flow.readers[cpu], 1, __ATOMIC_RELAXED);
}

void trace_flow_reader_detach(unsigned cpu)
{
	if (cpu >= TRACE_MAX_CPUS)
		return;
	flow.detached_at[cpu] = trace_env_clock() | 1; /* never 0 */
	__atomic_sub_fetch(&flow.readers[cpu], 1, __ATOMIC_RELAXED);
}

static bool reader_attached(unsigned cpu)
{
	uint64_t at = flow.detached_at[cpu];

	return flow.readers[cpu] ||
	       (at && trace_env_clock() - at < trace_env_clock_hz() / 1000 * FLOW_READER_GRACE_MS);
}

/* Slots of cpu's ring written and not yet freed by the reader. */
static uint32_t ring_used(unsigned cpu)
{
	const struct ring_cpu *rc = &ring.cpu[cpu];

	return (uint32_t)rc->head - __atomic_load_n(&rc->rd.pos, __ATOMIC_ACQUIRE);
}

static bool flow_applies(unsigned cpu)
{
	return flow.on && trace_cfg.on && !trace_cfg.stopped && !ring.overwrite &&
	       cpu < ring.ncpus && ring.cpu[cpu].enabled && reader_attached(cpu);
}

bool trace_flow_congested(unsigned cpu)
{
	uint64_t used;

	if (!flow_applies(cpu)) {
		if (cpu < TRACE_MAX_CPUS)
			flow.congested[cpu] = false;
		return false;
	}
	used = (uint64_t)ring_used(cpu) * 100;
	if (used >= (uint64_t)ring.nslots * FLOW_HIGH_PERCENT)
		flow.congested[cpu] = true;
	else if (used <= (uint64_t)ring.nslots * FLOW_LOW_PERCENT)
		flow.congested[cpu] = false;
	return flow.congested[cpu];
}

void trace_flow_freed(unsigned cpu)
{
	if (cpu < TRACE_MAX_CPUS && flow.congested[cpu] && !trace_flow_congested(cpu) &&
	    flow.wake)
		flow.wake(cpu);
}
