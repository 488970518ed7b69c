/* Between the scheduler and the sleep/wake primitives built on it. */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/lock.h"

struct thread;

int sched_block(struct spinlock *held, struct spinlock *held2, uint64_t timeout_ns);
bool thread_wake(struct thread *t, int result);

#endif
