/* FIFO run queues and the per-class pick (see runq.h). */
#include "kernel/runq.h"
#include "kernel/thread.h"

void runq_push(struct runq *q, struct thread *t)
{
	t->rq_next = NULL;
	if (q->tail)
		q->tail->rq_next = t;
	else
		q->head = t;
	q->tail = t;
	q->len++;
}

struct thread *runq_pop(struct runq *q)
{
	struct thread *t = q->head;

	if (!t)
		return NULL;
	q->head = t->rq_next;
	if (!q->head)
		q->tail = NULL;
	t->rq_next = NULL;
	q->len--;
	return t;
}

bool runq_remove(struct runq *q, struct thread *t)
{
	struct thread *prev = NULL;

	for (struct thread *p = q->head; p; prev = p, p = p->rq_next) {
		if (p != t)
			continue;
		if (prev)
			prev->rq_next = p->rq_next;
		else
			q->head = p->rq_next;
		if (q->tail == p)
			q->tail = prev;
		p->rq_next = NULL;
		q->len--;
		return true;
	}
	return false;
}

void runqs_push(struct runqs *r, struct thread *t)
{
	runq_push(&r->q[t->cls == THREAD_CLASS_SERVER], t);
}

struct thread *runqs_pop(struct runqs *r)
{
	struct thread *t = NULL;

	if (r->app_turn) {
		r->app_turn = false;
		t = runq_pop(&r->q[THREAD_CLASS_APP]);
	}
	if (!t)
		t = runq_pop(&r->q[THREAD_CLASS_SERVER]);
	return t ? t : runq_pop(&r->q[THREAD_CLASS_APP]);
}
