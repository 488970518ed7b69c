/* Per-CPU data, reached through GS (the platform keeps plat_cpu_local first). */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <stdint.h>
#include "platform/platform.h"
#include "kernel/lock.h"
#include "kernel/runq.h"
#include "kernel/thread.h"

struct percpu {
	struct plat_cpu_local local; /* must be first */
	struct spinlock rq_lock;     /* protects rq, the sleep list and thread states here */
	struct runqs rq;             /* by scheduling class */
	struct thread *sleepers;     /* sorted by wake_tsc */
	struct thread idle;
	struct thread *reap;         /* a thread that just ended here, to free after switching */
	uint64_t ticks;
	uint64_t ran_since;          /* TSC when the current thread got the CPU */
	volatile bool woken;         /* a thread was made runnable here since the last switch */
	volatile bool woken_server;  /* ... a server-class one */
	uint64_t last_tick;          /* TSC of the previous tick */
} __attribute__((aligned(64)));

extern struct percpu percpu[PLAT_MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

static inline struct thread *current_thread(void)
{
	struct thread *t;
	__asm__ volatile("movq %%gs:16, %0" : "=r"(t));
	return t;
}

#endif
