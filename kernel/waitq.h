/* Wait queues: a thread sleeps until woken or until a timeout. */
#ifndef KERNEL_WAITQ_H
#define KERNEL_WAITQ_H

#include <stdint.h>
#include "kernel/lock.h"

struct thread;

struct waitq {
	struct spinlock lock;
	struct thread *head, *tail;
};

void waitq_init(struct waitq *q);

/* Sleeps on q. `held` (may be NULL) is a spinlock the caller holds, taken with
 * spin_lock_irqsave: it is released while sleeping and re-taken before returning, so a
 * condition checked under it cannot be missed. timeout_ns 0 = forever.
 * Returns 0 when woken, -ETIMEDOUT on timeout. */
int waitq_wait(struct waitq *q, struct spinlock *held, uint64_t timeout_ns);
void waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);

#endif
