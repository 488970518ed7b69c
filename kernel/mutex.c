#include "kernel/mutex.h"
#include "kernel/sched.h"
#include "kernel/panic.h"

void mutex_init(struct mutex *m)
{
	waitq_init_kind(&m->wq, WAITQ_MUTEX);
	m->owner = NULL;
}

void mutex_lock(struct mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&m->wq.lock);

	while (m->owner)
		waitq_wait(&m->wq, &m->wq.lock, 0);
	m->owner = thread_current();
	m->owner->mutexes_held++; /* flow control never parks it meanwhile (trace/flow.h) */
	spin_unlock_irqrestore(&m->wq.lock, flags);
}

void mutex_unlock(struct mutex *m)
{
	uint64_t flags = spin_lock_irqsave(&m->wq.lock);

	if (m->owner != thread_current())
		panic("mutex %p unlocked by thread %u, not its owner", (void *)m,
		      thread_current()->tid);
	m->owner->mutexes_held--;
	m->owner = NULL;
	spin_unlock_irqrestore(&m->wq.lock, flags);
	waitq_wake_one(&m->wq);
}
