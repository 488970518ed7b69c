/* The `function` tracer: one REC_FUNC record per traced call, with the function and the
 * address its caller will resume at (printed as `func <-parent`). */
#include "trace/hook.h"
#include "trace/codec.h"
#include "trace/ring.h"

void function_trace_call(uint64_t *parent_slot, uint64_t ip)
{
	struct trace_task *t = trace_hook_begin();

	if (!t)
		return;
	if (trace_task_pid_ok(t))
		ring_write(trace_env_cpu(), rec_w0(trace_env_clock(), trace_env_tid(), REC_FUNC),
			   (uint32_t)ip | (uint64_t)(uint32_t)*parent_slot << 32);
	trace_hook_end(t);
}
