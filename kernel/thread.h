/* The kernel thread. Scheduler internals; apps use kernel/api.h. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include "trace/task.h"
#include "kernel/waitq.h"

#define THREAD_NAME_LEN 16
#define THREAD_STACK_PAGES 8 /* each thread's stack: 32 KiB */
#define THREAD_MAX_TID 4095 /* tids fit the trace record's 12 bits; 0 is the idle threads */

/* Scheduling classes (kernel/runq.h). The trace server's threads (the HTTP server, the
 * network thread it depends on) run before application threads when both are runnable, as
 * trace-cmd under chrt would on Linux, so draining the trace keeps up with a CPU-bound app.
 * A thread sets its own class (thread_set_class()). */
enum thread_class {
	THREAD_CLASS_APP,    /* everything else: apps, main, the default */
	THREAD_CLASS_SERVER, /* serves the trace: runs first, bounded per tick */
	THREAD_CLASSES,
};

enum thread_state {
	THREAD_RUNNING,  /* on its CPU, not queued */
	THREAD_RUNNABLE, /* in its CPU's run queue */
	THREAD_SLEEPING, /* waiting for a wake or a timeout */
	THREAD_DEAD,
};

struct thread {
	uint64_t rsp; /* saved stack pointer; first, for switch.S */
	struct trace_task trace;
	unsigned tid;
	unsigned cpu; /* threads stay on the CPU they were created on */
	enum thread_state state;
	char name[THREAD_NAME_LEN];
	struct thread *rq_next;    /* run queue link */
	struct thread *wq_next;    /* wait queue link */
	struct waitq *waiting_on;  /* the wait queue this thread is in, if any */
	struct thread *timer_next; /* per-CPU sleep list */
	uint64_t wake_tsc;         /* 0 = no timeout */
	int wait_result;           /* 0 or -ETIMEDOUT */
	uint8_t sleep_state;       /* enum trace_task_state while SLEEPING (sched_block) */
	bool on_timer;
	uint8_t cls;               /* enum thread_class */
	unsigned mutexes_held;     /* a thread holding one is never parked (trace/flow.h) */
	bool detached;
	volatile bool reaped; /* switched away from for the last time */
	void *stack;
	void (*fn)(void *arg);
	void *arg;
	struct waitq exit_wq;
};

#endif
