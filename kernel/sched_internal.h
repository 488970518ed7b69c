/* Between the scheduler and the sleep/wake primitives built on it. */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/lock.h"

struct thread;
struct percpu;

int sched_block(struct spinlock *held, struct spinlock *held2, uint64_t timeout_ns);
bool thread_wake(struct thread *t, int result);
/* Flow control (trace/flow.h): parks t, the current thread, while its CPU's trace ring is
 * congested, if t may wait. Called when an interrupt returns, interrupts off. */
void sched_flow_park(struct percpu *cpu, struct thread *t);

#endif
