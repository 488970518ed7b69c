/* The sampling profiler (event profile_sample) and the stack ids the profile events
 * share (trace/profile.h, trace/stackid.h). A sample walks the interrupted thread's stack
 * (trace/stackwalk.h, checked against the thread's stack and kernel text), names it by
 * its stack id, and writes a 7-byte payload: with its W_EVENT header, 16 bytes of ring
 * for a known stack. A stack seen for the first time is also written as a `stack` event
 * just before, so a reader of the stream alone can resolve it. A sample that interrupted
 * the tracer itself (function_graph's hooks: their ring writes do not nest) waits in a
 * small per-CPU queue for the next sample that can write. */
#include <errno.h>
#include "trace/profile.h"
#include "trace/env.h"
#include "trace/config.h"
#include "trace/events.h"
#include "trace/profile_format.h"
#include "trace/hook.h"
#include "trace/internal.h"
#include "trace/ring.h"
#include "trace/stackid.h"
#include "trace/trace.h"

static unsigned hz_setting = PROFILE_DEFAULT_HZ;
static unsigned hz_running; /* what the timer was last set to (0: stopped) */

#define PENDING_MAX 16
#define PENDING_DEFINE 0x80 /* the sample's stack is new: its `stack` event is due too */

/* Samples taken while the interrupted thread was inside the tracer (its ring writes
 * cannot nest), written by the next sample that finds it outside: they keep their stack
 * and are marked STACK_DEFERRED (written up to PENDING_MAX periods late). */
struct pending {
	uint32_t stack_id;
	uint16_t tid;
	uint8_t flags;
};

static struct profile_cpu {
	struct profile_counts n;
	unsigned npending;
	struct pending pending[PENDING_MAX];
} __attribute__((aligned(64))) cpus[TRACE_MAX_CPUS];

unsigned profile_hz(void)
{
	return hz_setting;
}

int profile_set_hz(unsigned hz)
{
	if (!hz || hz > PROFILE_MAX_HZ)
		return -EINVAL;
	__atomic_store_n(&hz_setting, hz, __ATOMIC_RELAXED);
	profile_sync();
	return 0;
}

void profile_sync(void)
{
	unsigned want = trace_event_on(EV_PROFILE_SAMPLE) ? hz_setting : 0;

	if (want == __atomic_load_n(&hz_running, __ATOMIC_RELAXED))
		return;
	/* Two CPUs' ticks may race here: both then set the same value. */
	__atomic_store_n(&hz_running, want, __ATOMIC_RELAXED);
	trace_env_profile_timer(want);
}

void trace_profile_tick(void)
{
	profile_sync();
}

void profile_get_counts(unsigned cpu, struct profile_counts *out)
{
	*out = cpu < TRACE_MAX_CPUS ? cpus[cpu].n : (struct profile_counts){ 0, 0 };
}

/* Writes the `stack` event defining id as pcs[0..n). It goes with the events that use
 * stack ids, whatever its own enable state: without it a stream reader could not resolve
 * them. */
static void define_stack(uint32_t id, const uint32_t *pcs, unsigned n, unsigned flags)
{
	struct ev_stack def;
	struct trace_task *t;

	if (n > EV_STACK_MAX_DEPTH)
		n = EV_STACK_MAX_DEPTH;
	def.id = id;
	def.depth = (uint8_t)n;
	def.flags = (uint8_t)flags;
	for (unsigned i = 0; i < n; i++)
		def.pcs[i] = pcs[i];
	if (!trace_cfg.on || trace_cfg.stopped || !(t = trace_hook_begin()))
		return;
	ring_write_event(trace_env_cpu(), trace_env_clock(), trace_env_tid(), EV_STACK, &def,
			 EV_STACK_SIZE(n));
	trace_hook_end(t);
}

#define FUNC_CACHE 256 /* per CPU, direct-mapped: return addresses repeat */

static struct func_cache {
	uint32_t pc, start;
} func_cache[TRACE_MAX_CPUS][FUNC_CACHE];

static uint32_t func_start(struct func_cache *c, uint32_t pc)
{
	struct func_cache *e = &c[(pc ^ pc >> 8) % FUNC_CACHE];

	if (e->pc != pc) {
		e->start = (uint32_t)trace_env_func_start(pc);
		e->pc = pc;
	}
	return e->start;
}

/* The stack id of the walk in, and in *is_new whether it was first seen now. Frames are
 * kept as their functions' starts: a stack is a path of functions, which repeats (exact
 * return addresses would make every node of a recursion tree a stack of its own: fib's
 * thousands), so a sample of a known path costs 16 bytes. Names are all the outputs show. */
static uint32_t walk_id(const struct stack_walk_in *in, unsigned *flags, bool *is_new)
{
	uint32_t pcs[STACK_MAX_DEPTH];
	unsigned n = stack_walk(in, pcs, flags);
	struct func_cache *c = func_cache[trace_env_cpu()];

	*is_new = false;
	if (!n)
		return 0;
	for (unsigned i = 0; i < n; i++)
		pcs[i] = func_start(c, pcs[i]);
	return stackid_get(pcs, n, is_new);
}

/* The `stack` event of an id already in the table. */
static void define_known(uint32_t id, unsigned flags)
{
	unsigned n;
	const uint32_t *pcs = stackid_frames(id, &n);

	if (pcs)
		define_stack(id, pcs, n, flags);
}

uint32_t profile_stack_id(const struct stack_walk_in *in, unsigned *flags)
{
	bool is_new;
	uint32_t id = walk_id(in, flags, &is_new);

	if (is_new)
		define_known(id, *flags);
	return id;
}

/* What every walk of this kernel shares: text bounds, __fentry__, the shadow stack's
 * return addresses, the current thread's stack. */
static void walk_env(struct stack_walk_in *in)
{
#ifdef GLASS_HOST
	extern char etext[];

	in->text_lo = ring.text_base;
	in->text_hi = (uint64_t)(uintptr_t)etext;
	in->fentry = 0;
	in->fix_ret = NULL;
#else
	extern char __text_end[];

	in->text_lo = ring.text_base;
	in->text_hi = (uint64_t)(uintptr_t)__text_end;
	in->fentry = (uint64_t)(uintptr_t)__fentry__;
	in->fix_ret = trace_graph_ret_addr;
#endif
	trace_env_stack(&in->lo, &in->hi);
}

/* A sample of thread tid (the current one, or one a deferred sample caught). */
static bool write_sample(struct profile_cpu *c, uint32_t id, unsigned flags, unsigned tid)
{
	struct ev_profile_sample s = { .stack_id = id, .hz = (uint16_t)hz_running };
	struct trace_task *t;
	bool ok;

	if (flags & PENDING_DEFINE)
		define_known(id, flags & ~PENDING_DEFINE);
	s.flags = (uint8_t)(flags & ~PENDING_DEFINE);
	if (tid == trace_env_tid()) {
		ok = trace_event_write(EV_PROFILE_SAMPLE, &s, sizeof(s));
	} else if ((t = trace_hook_begin())) {
		ok = ring_write_event(trace_env_cpu(), trace_env_clock(), tid, EV_PROFILE_SAMPLE, &s,
				      sizeof(s));
		trace_hook_end(t);
	} else {
		ok = false;
	}
	if (!ok)
		c->n.lost++;
	return ok;
}

void trace_profile_sample(uint64_t pc, uint64_t rbp, uint64_t rsp)
{
	struct profile_cpu *c = &cpus[trace_env_cpu()];
	struct stack_walk_in in = { .pc = pc, .rbp = rbp, .rsp = rsp };
	unsigned flags;
	uint32_t id;
	bool is_new;

	if (!trace_event_on(EV_PROFILE_SAMPLE) || !trace_cfg.on || trace_cfg.stopped)
		return;
	c->n.taken++;
	walk_env(&in);
	id = walk_id(&in, &flags, &is_new);
	if (is_new)
		flags |= PENDING_DEFINE;
	if (trace_task_in_hook(trace_env_task())) { /* no ring writes now: later */
		if (c->npending == PENDING_MAX) {
			c->n.lost++;
			return;
		}
		c->pending[c->npending++] = (struct pending){ id, (uint16_t)trace_env_tid(),
							      (uint8_t)(flags | STACK_DEFERRED) };
		return;
	}
	for (unsigned i = 0; i < c->npending; i++)
		write_sample(c, c->pending[i].stack_id, c->pending[i].flags, c->pending[i].tid);
	c->npending = 0;
	write_sample(c, id, flags, trace_env_tid());
}

__attribute__((noinline)) uint32_t profile_current_stack(unsigned skip)
{
	struct stack_walk_in in = { 0 };
	uint64_t fp = (uint64_t)(uintptr_t)__builtin_frame_address(0);
	unsigned flags;

	walk_env(&in);
	/* Start at our caller's frame: pc is where it returns to in its own caller. */
	for (unsigned i = 0; i <= skip; i++) {
		if (fp < in.lo || fp > in.hi - 16 || (fp & 7))
			return 0;
		in.pc = ((const uint64_t *)(uintptr_t)fp)[1];
		if (in.fix_ret)
			in.pc = in.fix_ret(in.pc, fp + 8);
		in.rsp = fp + 16;
		fp = *(const uint64_t *)(uintptr_t)fp;
	}
	in.rbp = fp;
	in.pc_returns = true;
	return profile_stack_id(&in, &flags);
}

__attribute__((noinline)) void profile_switch_out(struct trace_task *prev, unsigned prev_tid,
						      int prev_state)
{
	prev->offcpu_stack = 0;
	/* An idle thread waits for work, not for something: its time away is no one's. */
	if (!prev_tid || !trace_event_on(EV_OFFCPU_STACK) || !trace_cfg.on)
		return;
	/* From the scheduler's frame (trace_sched_switch()'s caller) up: where the thread
	 * blocked. */
	prev->offcpu_stack = profile_current_stack(2);
	prev->offcpu_state = (uint8_t)(prev_state & TS_STATE_MASK);
}

void profile_switch_in(struct trace_task *next, unsigned next_tid, uint64_t left, uint64_t now)
{
	struct ev_offcpu_stack e;
	struct trace_task *t;

	if (!next->offcpu_stack || !left || !trace_event_on(EV_OFFCPU_STACK) || !trace_cfg.on ||
	    trace_cfg.stopped)
		return;
	e.stack_id = next->offcpu_stack;
	e.state = next->offcpu_state;
	e.away_ns = (now - left) * 1000000000ull / trace_env_clock_hz();
	next->offcpu_stack = 0;
	/* Written for the thread coming back (trace_event_write() would name the one leaving,
	 * still current here), after the switch record. */
	if (!(t = trace_hook_begin()))
		return;
	ring_write_event(trace_env_cpu(), now, next_tid, EV_OFFCPU_STACK, &e, sizeof(e));
	trace_hook_end(t);
}
