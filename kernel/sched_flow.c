/* Flow control's parking (trace/flow.h): when an interrupt returns to an application thread
 * whose CPU's trace ring is congested, the thread waits here until the trace reader has
 * drained it. This is the only place a tracing writer ever waits, and it is a safe point:
 * the thread was interrupted with interrupts enabled (so it held no spinlock), it holds
 * no mutex (the reader may need it: lwIP's core lock, tracefs's), it is not inside the
 * tracer (which may hold a ring reservation), and it is not a trace server thread (the
 * reader itself) or the idle thread. */
#include "kernel/percpu.h"
#include "kernel/sched_internal.h"
#include "kernel/waitq.h"
#include "trace/flow.h"

#ifdef CONFIG_TRACE
/* A parked thread looks again this often (the tick's granularity in practice): nothing
 * keeps it parked once its condition is gone, even a wake-up it missed. */
#define FLOW_RECHECK_NS 1000000ull
#define FLOW_RETRY_US 50 /* a thread found inside the tracer: the next try */

static struct waitq flow_wq[PLAT_MAX_CPUS]; /* all zero: empty plain queues */

static void flow_wake(unsigned cpu)
{
	if (cpu < PLAT_MAX_CPUS)
		waitq_wake_all(&flow_wq[cpu]);
}

static bool parkable(const struct percpu *cpu, const struct thread *t)
{
	return t != &cpu->idle && t->cls == THREAD_CLASS_APP && !t->mutexes_held &&
	       t->state == THREAD_RUNNING;
}

/* Interrupts off (the end of an interrupt), t the current thread. The check is made under
 * the queue's lock, which the waker takes too: no wake-up is lost in between. */
void sched_flow_park(struct percpu *cpu, struct thread *t)
{
	struct waitq *q = &flow_wq[cpu->local.cpu];
	static bool waker_set;

	if (!trace_flow_congested(cpu->local.cpu) || !parkable(cpu, t))
		return;
	/* Inside the tracer (often, with every function traced: its hooks can take most of
	 * the time): try again at an interrupt soon instead of at the next tick, 10 ms of
	 * writing away. */
	if (trace_task_in_hook(&t->trace)) {
		plat_timer_soon(FLOW_RETRY_US);
		return;
	}
	if (!waker_set) {
		trace_flow_set_waker(flow_wake);
		waker_set = true;
	}
	spin_lock_raw(&q->lock);
	while (trace_flow_congested(cpu->local.cpu))
		waitq_wait(q, &q->lock, FLOW_RECHECK_NS);
	spin_unlock_raw(&q->lock);
}
#else
void sched_flow_park(struct percpu *cpu, struct thread *t)
{
	(void)cpu, (void)t;
}
#endif
