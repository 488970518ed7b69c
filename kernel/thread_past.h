/* Threads whose tid was given to a newer thread (trace readers: raw_header's thread table
 * lists every thread, so a capture names a reused tid right at any time). The scheduler
 * keeps each tid's latest thread; when it hands the tid out again, the one before is
 * moved here. The list grows on the heap as needed: nothing is forgotten unless the heap
 * is exhausted (then thread_past_forgotten() counts what was not kept). */
#ifndef KERNEL_THREAD_PAST_H
#define KERNEL_THREAD_PAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/thread.h"

struct thread_past {
	uint64_t created, exited; /* TSC */
	unsigned tid;
	char name[THREAD_NAME_LEN];
};

/* Makes room for one more record; called without locks held (it may allocate). */
void thread_past_reserve(void);
/* Keeps a retired thread (any context, interrupts may be off: it never allocates). */
void thread_past_add(const struct thread_past *t);
/* How many are kept; a copy of the i-th (oldest first), false past the end. */
size_t thread_past_count(void);
bool thread_past_get(size_t i, struct thread_past *out);
uint64_t thread_past_forgotten(void);

#endif
