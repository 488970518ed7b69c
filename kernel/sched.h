/* Threads and the scheduler: preemptive (timer tick), per-CPU run queues, threads stay on
 * the CPU they were created on. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdint.h>
#include "kernel/thread.h"

/* Creates a runnable thread on `cpu` (-1: round-robin over CPUs). NULL if out of memory
 * or tids. The thread ends when fn returns or calls thread_exit(). */
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, int cpu);
/* Waits for t to end and frees it. Not for detached threads. */
void thread_join(struct thread *t);
/* t frees itself when it ends; nobody may join it. */
void thread_detach(struct thread *t);
__attribute__((noreturn)) void thread_exit(void);
/* thread_exit() with an exit status for the trace (sched_process_exit). */
__attribute__((noreturn)) void thread_exit_status(int status);
void thread_yield(void);
/* Puts the current thread in a scheduling class (enum thread_class, kernel/thread.h). */
void thread_set_class(enum thread_class cls);
/* Renames t (at most THREAD_NAME_LEN - 1 bytes kept): trace lines show the new name from
 * now on, also for its earlier records (as Linux's comm cache does). */
void thread_set_name(struct thread *t, const char *name);
void thread_sleep_ns(uint64_t ns);
struct thread *thread_current(void);
static inline unsigned thread_tid(const struct thread *t) { return t->tid; }
/* The name of a live or recently ended thread, "<...>" if unknown. */
const char *thread_name_of(unsigned tid);
/* What the thread table knows of tid's latest thread (tid 0: the idle threads): creation
 * and exit TSC (0: not exited) and name; false if no thread ever had tid. */
bool thread_record(unsigned tid, uint64_t *created, uint64_t *exited, const char **name);

/* This CPU's idle loop: halts while nothing is runnable. Never returns. */
__attribute__((noreturn)) void sched_idle(void);

#endif
