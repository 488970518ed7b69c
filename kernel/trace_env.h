/* The kernel's side of trace/env.h: hook-path queries as single GS-relative loads. */
#ifndef KERNEL_TRACE_ENV_H
#define KERNEL_TRACE_ENV_H

#include "kernel/percpu.h"

static inline unsigned trace_env_cpu(void) { return plat_cpu_id(); }
static inline unsigned trace_env_ncpus(void) { return plat_cpu_count(); }
static inline uint64_t trace_env_clock(void) { return plat_tsc(); }
static inline uint64_t trace_env_clock_hz(void) { return plat_tsc_hz(); }
static inline struct trace_task *trace_env_task(void) { return &current_thread()->trace; }
static inline unsigned trace_env_tid(void) { return current_thread()->tid; }
static inline unsigned trace_env_irq_depth(void) { return plat_irq_depth(); }

#endif
