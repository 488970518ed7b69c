/* The tracer as the kernel sees it: calls the kernel makes into trace/ at the right
 * moments. Without TRACE=ftrace (CONFIG_TRACE unset) every one is an empty inline stub, so
 * call sites need no #ifdef. */
#ifndef TRACE_TRACE_H
#define TRACE_TRACE_H

#include <stdint.h>
#include "trace/task.h"

#ifdef CONFIG_TRACE
/* Once, on the boot CPU, after the page allocator and heap work and before other CPUs
 * start: allocates per-CPU buffers for ncpus, patches call sites per TRACE_ON_BOOT. */
void trace_init(unsigned ncpus);
/* A new thread's tracer state (shadow stack empty, pid filters applied). */
void trace_task_init(struct trace_task *t, unsigned tid);
/* The scheduler switches from prev_tid to next_tid on this CPU (interrupts off). */
void trace_sched_switch(unsigned prev_tid, unsigned next_tid, int prev_state);
/* Panic path: stop recording first thing, so the buffers keep what led to the panic and
 * not the panic's own printing; later print the last lines of every CPU's buffer. */
void trace_stop_on_panic(void);
void trace_dump_on_panic(void);
#else
static inline void trace_init(unsigned ncpus) { (void)ncpus; }
static inline void trace_task_init(struct trace_task *t, unsigned tid) { (void)t; (void)tid; }
static inline void trace_sched_switch(unsigned p, unsigned n, int s) { (void)p; (void)n; (void)s; }
static inline void trace_stop_on_panic(void) {}
static inline void trace_dump_on_panic(void) {}
#endif

#endif
