/* What the tracer needs from its environment, and nothing more. In the kernel these are
 * implemented by kernel/ (per-CPU data through GS, the scheduler's current thread); in host
 * tests and the host benchmark by test/unit/trace_host_env.c (thread-local fake CPU ids).
 * All of them must be callable from the hook path: no locks, no allocation, no tracing. */
#ifndef TRACE_ENV_H
#define TRACE_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace_task; /* per-thread tracer state, defined in trace/task.h */

#ifdef GLASS_HOST
unsigned trace_env_cpu(void);            /* dense CPU index < TRACE_MAX_CPUS */
unsigned trace_env_ncpus(void);          /* CPUs with buffers */
uint64_t trace_env_clock(void);          /* TSC ticks */
uint64_t trace_env_clock_hz(void);       /* TSC ticks per second */
struct trace_task *trace_env_task(void); /* current thread's state; never NULL */
unsigned trace_env_tid(void);            /* current thread id, 0 = idle */
#else
#include "kernel/trace_env.h" /* static inline versions over per-CPU data */
#endif

/* The current thread's stack, [*lo, *hi): what stack walks check frames against. */
void trace_env_stack(uint64_t *lo, uint64_t *hi);
/* The start of the function containing pc (pc itself if none): a sample's leaf. */
uint64_t trace_env_func_start(uint64_t pc);
/* Runs the sampling timer at hz on every CPU (0: stops it); trace_profile_sample() is
 * then called from it. */
void trace_env_profile_timer(unsigned hz);

/* Symbol and thread names, used only by readers (never on the hook path). */
const char *trace_env_symbol(uint64_t addr, uint64_t *offset); /* NULL if unknown */
const char *trace_env_comm(unsigned tid);                      /* "<...>" if unknown */
/* The name of the thread that had tid at TSC ts (weak default in trace/out_format.c:
 * trace_env_comm(), tid's latest thread). */
const char *trace_env_comm_at(unsigned tid, uint64_t ts);
/* The frames of stack id (trace/stackid.h), innermost first, and their count; NULL if the
 * reader's table lacks it. A `stack` event in the stream defines one (the kernel's table
 * has it already: a no-op there). */
const uint32_t *trace_env_stack_frames(uint32_t id, unsigned *n);
void trace_env_stack_define(uint32_t id, const uint32_t *pcs, unsigned n);
/* For raw_header: the TSC at boot; the i-th function of the symbol table in address order
 * (false past its end); what the thread table holds of tid's latest thread (exited 0: still
 * running; false if no thread ever had tid). */
uint64_t trace_env_boot_tsc(void);
bool trace_env_symbol_at(size_t i, uint64_t *addr, uint64_t *size, const char **name);
bool trace_env_thread(unsigned tid, uint64_t *created, uint64_t *exited, const char **name);
/* The threads whose tid was reused since (each tid's earlier threads), oldest first: their
 * count, and a copy of the i-th (name: at least 16 bytes; false past the end). */
size_t trace_env_past_threads(void);
bool trace_env_past_thread(size_t i, unsigned *tid, uint64_t *created, uint64_t *exited,
			   char *name, size_t cap);

#endif
