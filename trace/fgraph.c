/* The function_graph tracer: on entry it records the call and pushes a frame (entry time,
 * entry record, return address slot) on the current task's stack of open calls; on return
 * it pops the frame and records the return with its duration. FGRAPH=rethook: the return
 * is seen by the hook the compiler placed before the function's `ret` (__fexit__), which
 * finds its frame by the slot. FGRAPH=hijack: the entry replaces the caller's return
 * address by return_to_handler and keeps the real one in the frame, handed back on return.
 * The frames belong to the thread, so they follow context switches and sleeps, and
 * interrupts (which run on the interrupted thread's stack) nest on them as they nest on the
 * real stack. */
#include "trace/hook.h"
#include "trace/internal.h"
#include "trace/codec.h"
#include "trace/ring.h"

/* Whether the call of ip at shadow depth d is traced under set_graph_function and
 * max_graph_depth; *base gets the depth that counts as 0 and *root whether this call
 * opens a set_graph_function region. */
static bool fgraph_wanted(const struct trace_task *t, uint64_t ip, uint32_t d,
			  uint32_t *base, bool *root)
{
	const struct trace_func_list *g = &trace_cfg.graph_funcs;
	unsigned max = trace_cfg.max_graph_depth;

	*base = t->graph_base;
	*root = false;
	if (!t->graph_open && g->set[g->cur].n) {
		if (!trace_func_listed(g, ip))
			return false;
		*root = true;
		*base = d;
	}
	return !max || d - *base < max;
}

/* Marks the first traced call of an interrupt: it runs at a deeper interrupt nesting than
 * the call below it on the shadow stack. */
static unsigned fgraph_irq_flag(const struct trace_task *t, uint32_t d, unsigned irq)
{
	unsigned below = d ? t->stack[d - 1].irq : 0;

	return irq > below ? REC_F_IRQ : 0;
}

/* Pushes the frame; the slot is claimed (depth raised) before it is filled, so an
 * interrupt arriving in between pushes above it instead of over it. */
static void fgraph_push(struct trace_task *t, uint32_t d, uint64_t *parent_slot, uint64_t ip,
			uint64_t tsc, unsigned irq, unsigned flags, uint32_t pos)
{
	struct trace_ret_frame *f = &t->stack[d];

	t->depth = d + 1;
	__asm__ volatile("" ::: "memory"); /* depth is raised before the frame is written */
#if !CONFIG_FGRAPH_RETHOOK
	f->ret = *parent_slot;
#endif
	f->slot = (uint64_t)parent_slot;
	__builtin_memcpy(f->tsc, &tsc, sizeof(f->tsc)); /* x86: the low bytes */
	f->irq = (uint8_t)(irq > 255 ? 255 : irq);
	f->flags = (uint8_t)flags;
	f->func = (uint32_t)ip;
	f->pos = pos;
	if (flags & TRACE_FRAME_ROOT) {
		t->graph_open = true;
		t->graph_base = d;
	}
	if (flags & TRACE_FRAME_NOTRACE)
		t->graph_notrace_open = true;
#if !CONFIG_FGRAPH_RETHOOK
	__asm__ volatile("" ::: "memory"); /* the frame is complete before the return is hooked */
	*parent_slot = (uint64_t)return_to_handler;
#endif
}

/* Releases the frames from i up, as calls that will not return through their hook (their
 * regions of set_graph_function and set_graph_notrace close with them); counted as
 * abandoned. */
static void fgraph_drop(struct trace_task *t, uint32_t i)
{
	if (i >= t->depth)
		return;
	trace_count_add(&trace_counts[trace_env_cpu()].abandoned, t->depth - i);
	for (uint32_t j = i; j < t->depth; j++) {
		if (t->stack[j].flags & TRACE_FRAME_NOTRACE)
			t->graph_notrace_open = false;
		if (t->stack[j].flags & TRACE_FRAME_ROOT) {
			t->graph_open = false;
			t->graph_base = 0;
		}
	}
	t->depth = i;
}

#if CONFIG_FGRAPH_RETHOOK
/* The open calls whose return address slot is at or below `slot` (that of a call starting
 * or returning now, on the same stack) are gone: a live caller's slot is above its
 * callees'. They left while their return hook did nothing (no tracer, or the site not yet
 * patched) or without returning (a thread's end). */
static void fgraph_drop_gone(struct trace_task *t, const uint64_t *slot, bool at_slot)
{
	uint32_t i = t->depth;

	while (i > 0 && (t->stack[i - 1].slot < (uint64_t)slot ||
			 (at_slot && t->stack[i - 1].slot == (uint64_t)slot)))
		i--;
	fgraph_drop(t, i);
}
#endif

void fgraph_enter(uint64_t *parent_slot, uint64_t ip)
{
	struct trace_task *t = trace_hook_begin();
	uint32_t d, base, pos = 0; /* no entry record: any slot, its type will not match */
	unsigned irq, cpu;
	uint64_t tsc;
	bool root;

	if (!t)
		return;
#if CONFIG_FGRAPH_RETHOOK
	fgraph_drop_gone(t, parent_slot, true);
#endif
	d = t->depth;
	cpu = trace_env_cpu();
	/* Inside a set_graph_notrace call nothing is recorded or hooked until it returns. */
	if (t->graph_notrace_open || !trace_task_pid_ok(t) ||
	    !fgraph_wanted(t, ip, d, &base, &root))
		goto out;
	if (d >= TRACE_STACK_DEPTH) {
		t->overflow++;
		trace_count(&trace_counts[cpu].overflow);
		goto out;
	}
	irq = trace_env_irq_depth();
	if (trace_func_listed(&trace_cfg.graph_notrace, ip)) {
		/* Hooked without a record (nor a time), to know when the call returns. */
		fgraph_push(t, d, parent_slot, ip, 0, irq, TRACE_FRAME_NOTRACE, pos);
		goto out;
	}
	tsc = trace_env_clock();
	/* Record first: a call whose entry did not fit (stop mode) is not hooked at all, so
	 * no return without its entry follows. With tracing_thresh only returns are kept. */
	if (!trace_cfg.thresh_tsc &&
	    !ring_write_at(cpu, rec_w0(tsc, trace_env_tid(), REC_ENTRY),
			   (uint32_t)ip | (uint64_t)((d - base) & 0xff) << 32 |
			   (uint64_t)fgraph_irq_flag(t, d, irq) << 40, &pos))
		goto out;
	fgraph_push(t, d, parent_slot, ip, tsc, irq, root ? TRACE_FRAME_ROOT : 0, pos);
out:
	trace_hook_end(t);
}

#if !CONFIG_FGRAPH_RETHOOK
/* The top frame is not the one whose return is running: frames above it belong to calls
 * that left without returning through the hook. Drop them, or if the frame is not on the
 * stack at all, stop tracing and fall back to the top frame. Returns the frame to pop. */
static uint32_t fgraph_resync(struct trace_task *t, uint64_t *slot)
{
	uint32_t i = t->depth;

	while (i > 0 && t->stack[i - 1].slot != (uint64_t)slot)
		i--;
	if (i == 0) {
		trace_stop("function_graph: return address not on the shadow stack");
		return t->depth - 1;
	}
	fgraph_drop(t, i);
	return i - 1;
}

#endif

/* Records the return of the call in frame f, at depth `depth` as its entry was. */
static void fgraph_record_return(const struct trace_ret_frame *f, unsigned depth)
{
	uint64_t now = trace_env_clock();
	/* Frames keep only the entry TSC's low 48 bits: exact for calls shorter than that. */
	struct trace_rec r = { rec_w0(now, trace_env_tid(), REC_RETURN), rec_call_w1(f->func, depth),
			       (now - trace_frame_tsc(f)) & REC_TSC_MASK };

	if (trace_cfg.active != TRACER_GRAPH || r.w2 < trace_cfg.thresh_tsc)
		return;
	ring_write_return(trace_env_cpu(), &r, f->pos);
}

/* Pops frame i (the top one) and records its return unless nested or set_graph_notrace. */
static void fgraph_pop(struct trace_task *t, uint32_t i, bool nested)
{
	struct trace_ret_frame *f = &t->stack[i], frame = *f;
	uint32_t depth = i - t->graph_base; /* as fgraph_enter() recorded it (0 for a root) */

	if (f->flags & TRACE_FRAME_ROOT) {
		t->graph_open = false;
		t->graph_base = 0;
	}
	if (f->flags & TRACE_FRAME_NOTRACE)
		t->graph_notrace_open = false;
	/* The frame is read before it is released: an interrupt may reuse it right after. */
	__asm__ volatile("" ::: "memory");
	t->depth = i;
	if (!nested && !(frame.flags & TRACE_FRAME_NOTRACE))
		fgraph_record_return(&frame, depth);
}

#if CONFIG_FGRAPH_RETHOOK
void fgraph_exit(uint64_t *slot)
{
	struct trace_task *t = trace_env_task();

	/* A return inside the tracer (an interrupt's call while the task is busy): its entry
	 * was refused and counted, and the top frame may be half written. Nothing to do. */
	if (t->busy)
		return;
	t->busy = true;
	__asm__ volatile("" ::: "memory"); /* busy is set before the stack is looked at */
	fgraph_drop_gone(t, slot, false);
	/* The top frame is this call's, or the call was not traced (its entry was filtered,
	 * or ran before the patch): then its frame is not there. */
	if (t->depth && t->stack[t->depth - 1].slot == (uint64_t)slot)
		fgraph_pop(t, t->depth - 1, false);
	trace_hook_end(t);
}
#else
uint64_t fgraph_exit(uint64_t *slot)
{
	struct trace_task *t = trace_env_task();
	bool nested = t->busy; /* a return inside the tracer: pop, record nothing */
	uint64_t ret;
	uint32_t i;

	t->busy = true;
	__asm__ volatile("" ::: "memory"); /* busy is set before the stack is looked at */
	if (t->depth == 0)
		trace_fatal("function_graph: return with an empty shadow stack");
	i = t->depth - 1;
	if (t->stack[i].slot != (uint64_t)slot)
		i = fgraph_resync(t, slot);
	ret = t->stack[i].ret;
	fgraph_pop(t, i, nested);
	__asm__ volatile("" ::: "memory");
	t->busy = nested;
	return ret;
}
#endif
