/* FGRAPH=hijack only (with rethook no return address is rewritten: trace/trace.h).
 * Unwinding through calls function_graph hooked: their return address on the stack is
 * return_to_handler, and the real one waits on the thread's shadow stack (trace/task.h)
 * with the address of the slot it was taken from. An unwinder that names the slot gets
 * the real address back, as from Linux's ftrace_graph_ret_addr(). */
#include "trace/hook.h"
#include "trace/trace.h"

#if !CONFIG_FGRAPH_RETHOOK

uint64_t trace_graph_ret_addr(uint64_t pc, uint64_t slot)
{
	const struct trace_task *t;
	uint32_t depth;

	if (pc != (uint64_t)(uintptr_t)return_to_handler || !slot)
		return pc;
	/* Only now is there a thread with hooked calls (a panic may come before threads). */
	t = trace_env_task();
	depth = t->depth < TRACE_STACK_DEPTH ? t->depth : TRACE_STACK_DEPTH;
	/* Innermost first: the unwinder walks from the newest frame outwards. */
	for (uint32_t i = depth; i-- > 0;)
		if (t->stack[i].slot == slot)
			return t->stack[i].ret;
	return pc;
}
#endif
