/* Wait queues on top of sched_block/thread_wake. The queue lock is held from enqueueing
 * until the sleeper's state is SLEEPING (inside sched_block), so wakers never miss it. */
#include <errno.h>
#include "kernel/waitq.h"
#include "kernel/thread.h"
#include "kernel/percpu.h"
#include "kernel/sched_internal.h"

/* Inline in both: waitq_init() keeps its place in call trees without a new callee. */
static inline __attribute__((always_inline)) void init_queue(struct waitq *q,
							     enum waitq_kind kind)
{
	q->lock = (struct spinlock)SPINLOCK_INIT;
	q->head = q->tail = NULL;
	q->kind = kind;
}

void waitq_init_kind(struct waitq *q, enum waitq_kind kind)
{
	init_queue(q, kind);
}

void waitq_init(struct waitq *q)
{
	init_queue(q, WAITQ_PLAIN);
}

static void enqueue(struct waitq *q, struct thread *t)
{
	t->wq_next = NULL;
	if (q->tail)
		q->tail->wq_next = t;
	else
		q->head = t;
	q->tail = t;
	t->waiting_on = q;
}

static struct thread *dequeue(struct waitq *q)
{
	struct thread *t = q->head;

	if (t) {
		q->head = t->wq_next;
		if (!q->head)
			q->tail = NULL;
		t->waiting_on = NULL;
	}
	return t;
}

static void remove(struct waitq *q, struct thread *t)
{
	struct thread *prev = NULL;

	if (t->waiting_on != q)
		return;
	for (struct thread *p = q->head; p; prev = p, p = p->wq_next) {
		if (p != t)
			continue;
		if (prev)
			prev->wq_next = p->wq_next;
		else
			q->head = p->wq_next;
		if (q->tail == p)
			q->tail = prev;
		break;
	}
	t->waiting_on = NULL;
}

int waitq_wait(struct waitq *q, struct spinlock *held, uint64_t timeout_ns)
{
	struct thread *self = current_thread();
	uint64_t flags = plat_irq_save();
	int r;

	if (held != &q->lock)
		spin_lock_raw(&q->lock);
	enqueue(q, self);
	r = sched_block(held, &q->lock, timeout_ns);
	spin_lock_raw(&q->lock);
	remove(q, self); /* still queued after a timeout */
	if (held != &q->lock) {
		spin_unlock_raw(&q->lock);
		if (held)
			spin_lock_raw(held);
	}
	plat_irq_restore(flags);
	return r;
}

static bool wake_one_locked(struct waitq *q)
{
	struct thread *t;

	while ((t = dequeue(q)))
		if (thread_wake(t, 0))
			return true;
	return false;
}

void waitq_wake_one(struct waitq *q)
{
	uint64_t flags = spin_lock_irqsave(&q->lock);
	wake_one_locked(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

void waitq_wake_all(struct waitq *q)
{
	uint64_t flags = spin_lock_irqsave(&q->lock);
	while (wake_one_locked(q))
		;
	spin_unlock_irqrestore(&q->lock, flags);
}
