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

/* A CPU's run queues, one FIFO per scheduling class (enum thread_class, kernel/thread.h):
 * a server-class thread is picked before any application thread, except once after
 * runqs_app_turn(), which the tick gives when a server thread has kept the CPU a whole tick
 * while applications waited: a server that never blocks cannot starve them (it gets at most
 * about half of the CPU then), and one that blocks when idle costs them nothing. */
struct runqs {
	struct runq q[2];
	bool app_turn;
};

/* Queues t at the tail of its class's queue. */
void runqs_push(struct runqs *r, struct thread *t);
/* The next thread to run: the server queue's head, or the application queue's if it is
 * the applications' turn (the turn is then used up); NULL if both are empty. */
struct thread *runqs_pop(struct runqs *r);
/* The next pick takes an application thread first, if any waits. */
static inline void runqs_app_turn(struct runqs *r) { r->app_turn = true; }
static inline bool runqs_empty(const struct runqs *r)
{
	return runq_empty(&r->q[0]) && runq_empty(&r->q[1]);
}
/* Whether an application thread waits. */
static inline bool runqs_app_waiting(const struct runqs *r) { return !runq_empty(&r->q[0]); }

#endif
