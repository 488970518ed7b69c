/* The kernel-facing hooks (trace/trace.h) and the small services tracefs uses (core.h). */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "trace/core.h"
#include "trace/events.h"
#include "trace/hook.h"
#include "trace/profile.h"
#include "trace/internal.h"
#include "trace/patch.h"
#include "trace/codec.h"
#include "trace/ring.h"
#include "trace/trace.h"

#ifndef CONFIG_TRACE_ON_BOOT
#define CONFIG_TRACE_ON_BOOT 0
#endif

struct trace_cpu_counts trace_counts[TRACE_MAX_CPUS];

#ifdef GLASS_HOST
struct trace_task *trace_fentry_env(void)
{
	return trace_env_task();
}
#else
TRACE_CHECK_OFFSET(struct plat_cpu_local, cpu, GS_CPU);
TRACE_CHECK_OFFSET(struct plat_cpu_local, irq_depth, GS_IRQ_DEPTH);
TRACE_CHECK_OFFSET(struct plat_cpu_local, current, GS_CURRENT);
TRACE_CHECK_OFFSET(struct thread, trace, THREAD_TASK);
TRACE_CHECK_OFFSET(struct thread, tid, THREAD_TID);
#endif

static bool trace_every_site(uint64_t ip, void *arg)
{
	(void)ip;
	(void)arg;
	return true;
}

/* Buffers of CONFIG_TRACE_BUF_MB, halved until they fit in memory. */
static int trace_alloc_buffers(unsigned ncpus)
{
	size_t bytes = (size_t)CONFIG_TRACE_BUF_MB << 20;
	int err;

	while ((err = ring_init(ncpus, bytes)) == -ENOMEM && bytes > RING_MIN_BYTES)
		bytes /= 2;
	return err;
}

void trace_init(unsigned ncpus)
{
	if (trace_alloc_buffers(ncpus)) {
		trace_stop("no memory for the trace buffers");
		return;
	}
	if (!CONFIG_TRACE_ON_BOOT)
		return;
	trace_set_tracer(TRACE_GRAPH);
	trace_set_on(true);
	patch_set_return_hooks(true);
	patch_apply(trace_every_site, NULL);
}

/* Whether the task may be traced: pid filters, and the trace server's own work only with
 * the trace-server option. The fast paths read the verdict through pid_ok_gen. */
static void trace_task_set_pid_ok(struct trace_task *t, unsigned tid)
{
	/* Acquire: the pid lists are read after the generation that published them. */
	unsigned gen = __atomic_load_n(&trace_cfg.pid_gen, __ATOMIC_ACQUIRE);
	bool ok = trace_pid_allowed(tid) && (!t->server_work || trace_cfg.trace_server);

	t->pid_ok = ok;
	t->pid_gen = gen;
	t->pid_ok_gen = ok ? gen : 0;
}

/* Every field but the frames, which are written when pushed and read only below depth:
 * zeroing them cost each new thread 2 KiB of stores (262 under QEMU's instruction count,
 * a third of what a traced kernel with tracing off added to the compute workload). */
void trace_task_init(struct trace_task *t, unsigned tid)
{
	memset(t, 0, offsetof(struct trace_task, stack));
	t->no_frame_slot = UINT64_MAX;
	trace_task_set_pid_ok(t, tid);
}

void trace_task_refresh_pid(struct trace_task *t)
{
	trace_task_set_pid_ok(t, trace_env_tid());
}

/* An interrupt nesting on this task between the two stores re-evaluates with the new
 * count (refresh reads it), so it never records on a stale verdict for long: at most the
 * call it is in. */
void trace_server_work_begin(void)
{
	struct trace_task *t = trace_env_task();

	t->server_work++;
	__asm__ volatile("" ::: "memory"); /* the count is set before the verdict is derived */
	trace_task_refresh_pid(t);
}

void trace_server_work_end(void)
{
	struct trace_task *t = trace_env_task();

	if (t->server_work)
		t->server_work--;
	__asm__ volatile("" ::: "memory"); /* the count is set before the verdict is derived */
	trace_task_refresh_pid(t);
}

void trace_sched_switch(struct trace_task *prev, unsigned prev_tid, struct trace_task *next,
			unsigned next_tid, int prev_state)
{
	struct trace_task *t;
	uint64_t now = trace_env_clock(), left = next->switched_out;

	profile_switch_out(prev, prev_tid, prev_state);
	/* Whatever is recorded: when a thread comes back, the time it was away must be
	 * known, even if the tracer was off when it left. */
	trace_task_switch_time(prev, next, now);
	/* Events need the switches too (with the nop tracer): they tell readers whose the
	 * records that follow are. */
	if (!(trace_cfg.active == TRACER_NOP &&
	      (!trace_events_enabled || !trace_cfg.on || trace_cfg.stopped)) &&
	    (t = trace_hook_begin())) {
		if (trace_event_on(EV_SCHED_SWITCH))
			prev_state |= TS_EVENT;
		ring_write(trace_env_cpu(), rec_w0(now, prev_tid, REC_SWITCH),
			   (prev_tid & 0xffff) | (uint64_t)(next_tid & 0xffff) << 16 |
			   (uint64_t)(uint8_t)prev_state << 32);
		trace_hook_end(t);
	}
	profile_switch_in(next, next_tid, left, now);
}

int trace_marker_write(const char *s, size_t len)
{
	struct trace_task *t;
	int err = 0;

	if (!trace_cfg.on || trace_cfg.stopped)
		return -EBUSY;
	t = trace_hook_begin();
	if (!t)
		return -EAGAIN;
	if (!ring_write_text(trace_env_cpu(), trace_env_clock(), trace_env_tid(), s, len))
		err = -EBUSY;
	trace_hook_end(t);
	return err;
}

void trace_get_counts(unsigned cpu, struct trace_cpu_counts *out)
{
	*out = cpu < TRACE_MAX_CPUS ? trace_counts[cpu] : (struct trace_cpu_counts){ 0 };
}
