/* Wait queues: a thread sleeps until woken or until a timeout. */
#ifndef KERNEL_WAITQ_H
#define KERNEL_WAITQ_H

#include <stdint.h>
#include "kernel/lock.h"

struct thread;

/* What a queue's sleepers wait for: the state a switch record gives a thread that leaves
 * its CPU to sleep on it (kernel/sched.c, docs/events.md). */
enum waitq_kind {
	WAITQ_PLAIN, /* anything else: joins, servers' own queues */
	WAITQ_MUTEX, /* a struct mutex */
	WAITQ_NET,   /* the network: sockets, the stack's thread */
};

struct waitq {
	struct spinlock lock;
	struct thread *head, *tail;
	enum waitq_kind kind;
};

/* A WAITQ_PLAIN queue; waitq_init_kind() says what its sleepers wait for. */
void waitq_init(struct waitq *q);
void waitq_init_kind(struct waitq *q, enum waitq_kind kind);

/* Sleeps on q. `held` (may be NULL) is a spinlock the caller holds, taken with
 * spin_lock_irqsave: it is released while sleeping and re-taken before returning, so a
 * condition checked under it cannot be missed. timeout_ns 0 = forever.
 * Returns 0 when woken, -ETIMEDOUT on timeout. */
int waitq_wait(struct waitq *q, struct spinlock *held, uint64_t timeout_ns);
void waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);

#endif
