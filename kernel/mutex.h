/* Sleeping mutex: waiters block instead of spinning. Not for interrupt context. */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include "kernel/waitq.h"

struct thread;

struct mutex {
	struct waitq wq; /* its lock also protects owner */
	struct thread *owner;
};

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

#endif
