/* The kernel's side of the sampling profiler: what the platform's sampling interrupt
 * calls, and the stack bounds the tracer's stack walks check frames against. Neither is
 * instrumented: the sampler must not trace itself. */
#include "kernel/compiler.h"
#include "kernel/ksyms.h"
#include "kernel/percpu.h"
#include "trace/env.h"
#include "trace/trace.h"

notrace void kernel_profile_sample(const struct plat_irq_context *c)
{
	trace_profile_sample(c->pc, c->rbp, c->rsp);
}

notrace void trace_env_stack(uint64_t *lo, uint64_t *hi)
{
	const struct thread *t = current_thread();

	if (!t->stack) { /* an idle thread: its CPU's boot stack */
		plat_cpu_stack(t->cpu, lo, hi);
		return;
	}
	*lo = (uint64_t)(uintptr_t)t->stack;
	*hi = *lo + THREAD_STACK_PAGES * 4096;
}

notrace void trace_env_profile_timer(unsigned hz)
{
	plat_profile_set_hz(hz);
}

/* ksym_lookup()'s search, without instrumentation: the sampler runs it on every sample. */
notrace uint64_t trace_env_func_start(uint64_t pc)
{
	size_t lo = 0, hi = ksym_num;

	while (lo < hi) { /* the first entry above pc */
		size_t mid = lo + (hi - lo) / 2;

		if (ksym_addrs[mid] <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || pc - ksym_addrs[lo - 1] >= ksym_sizes[lo - 1])
		return pc;
	return ksym_addrs[lo - 1];
}
