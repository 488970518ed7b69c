/* A FIFO run queue of threads: the pure part of the scheduler (host-tested). The owner
 * CPU's rq lock protects it. Threads are linked through thread->rq_next. */
#ifndef KERNEL_RUNQ_H
#define KERNEL_RUNQ_H

#include <stdbool.h>
#include <stddef.h>

struct thread;

struct runq {
	struct thread *head, *tail;
	size_t len;
};

void runq_push(struct runq *q, struct thread *t);
struct thread *runq_pop(struct runq *q);
/* Removes t if queued; returns whether it was. */
bool runq_remove(struct runq *q, struct thread *t);
static inline bool runq_empty(const struct runq *q) { return q->head == NULL; }

#endif
