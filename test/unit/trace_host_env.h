/* Test controls of the host implementation of trace/env.h (trace_host_env.c): each host
 * thread plays one CPU and one task, set here. Host tests and the host benchmark only. */
#ifndef TEST_UNIT_TRACE_HOST_ENV_H
#define TEST_UNIT_TRACE_HOST_ENV_H

#include <stdint.h>

struct trace_task;

/* The calling thread's CPU (default 0), thread id (default 0), interrupt depth (0). Two
 * threads that write trace records at the same time must play different CPUs. */
void trace_host_set_cpu(unsigned cpu);
void trace_host_set_tid(unsigned tid);
void trace_host_set_irq_depth(unsigned depth);
/* The task trace_env_task() returns on this thread; NULL: the thread's own. */
void trace_host_set_task(struct trace_task *t);
void trace_host_set_ncpus(unsigned n);
/* Replaces the TSC by fn (NULL: back to rdtsc) ticking hz per second. */
void trace_host_set_clock(uint64_t (*fn)(void), uint64_t hz);
/* Names for trace_env_symbol() (a function from addr to the next symbol) and
 * trace_env_comm(). Return 0, or -1 when the table is full. */
int trace_host_add_symbol(uint64_t addr, const char *name);
int trace_host_set_comm(unsigned tid, const char *name);
/* An earlier thread of a reused tid, as trace_env_past_thread() lists them (at most 8). */
int trace_host_add_past_thread(unsigned tid, uint64_t created, uint64_t exited,
			       const char *name);
/* How often the tracer stopped the (absent) other CPUs. */
extern unsigned trace_host_stop_calls;

#endif
