/* Threads whose tid was reused (kernel/thread_past.h). */
#include <string.h>
#include "kernel/thread_past.h"
#include "kernel/heap.h"
#include "kernel/lock.h"

static struct spinlock past_lock = SPINLOCK_INIT;
static struct thread_past *past;
static size_t past_n, past_cap;
static uint64_t past_forgotten;

void thread_past_reserve(void)
{
	uint64_t flags = spin_lock_irqsave(&past_lock);
	size_t want = past_n < past_cap ? 0 : (past_cap ? past_cap * 2 : 64);
	struct thread_past *bigger, *old = NULL;

	spin_unlock_irqrestore(&past_lock, flags);
	if (!want)
		return;
	bigger = kmalloc(want * sizeof(*bigger));
	if (!bigger)
		return; /* thread_past_add counts what it cannot keep */
	flags = spin_lock_irqsave(&past_lock);
	if (want > past_cap) {
		memcpy(bigger, past, past_n * sizeof(*past));
		old = past;
		past = bigger;
		past_cap = want;
		bigger = NULL;
	}
	spin_unlock_irqrestore(&past_lock, flags);
	kfree(old ? old : bigger);
}

void thread_past_add(const struct thread_past *t)
{
	uint64_t flags = spin_lock_irqsave(&past_lock);

	if (past_n < past_cap)
		past[past_n++] = *t;
	else
		past_forgotten++;
	spin_unlock_irqrestore(&past_lock, flags);
}

size_t thread_past_count(void)
{
	return __atomic_load_n(&past_n, __ATOMIC_RELAXED);
}

bool thread_past_get(size_t i, struct thread_past *out)
{
	uint64_t flags = spin_lock_irqsave(&past_lock);
	bool ok = i < past_n;

	if (ok)
		*out = past[i];
	spin_unlock_irqrestore(&past_lock, flags);
	return ok;
}

uint64_t thread_past_forgotten(void)
{
	return __atomic_load_n(&past_forgotten, __ATOMIC_RELAXED);
}
