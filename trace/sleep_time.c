/* The sleep-time option (trace_options, on by default as in Linux). Off, a function_graph
 * duration is the time its thread was running: when a thread comes back to its CPU, the
 * time it was away is added to the entry time of every call still open on its shadow
 * stack (Linux: ftrace_graph_probe_sched_switch()). The return hooks then measure from
 * the moved entry time; entry records keep the real one. */
#include "trace/hook.h"

/* Moves a frame's 48-bit entry TSC later by ticks (modulo 2^48, as durations are taken). */
static void frame_shift(struct trace_ret_frame *f, uint64_t ticks)
{
	uint64_t tsc = (trace_frame_tsc(f) + ticks) & REC_TSC_MASK;

	__builtin_memcpy(f->tsc, &tsc, sizeof(f->tsc)); /* x86: the low bytes; irq, flags stay */
}

void trace_task_switch_time(struct trace_task *prev, struct trace_task *next, uint64_t now)
{
	uint64_t left = next->switched_out;
	uint32_t depth = next->depth < TRACE_STACK_DEPTH ? next->depth : TRACE_STACK_DEPTH;

	prev->switched_out = now;
	next->switched_out = 0;
	if (!left || trace_cfg.sleep_time) /* a thread's first run: nothing to leave out */
		return;
	for (uint32_t i = 0; i < depth; i++)
		frame_shift(&next->stack[i], now - left);
}
