/* The application API: everything an app under apps/<name>/ may use. An app defines
 * `int app_main(void)`; it runs in a kernel thread named "main" on CPU 0 once all CPUs are
 * up. Returning 0 means success; with `exit=1` on the command line the machine then powers
 * off (scripts/run-qemu.sh exits 0 for 0, 1 otherwise), else the kernel keeps running so
 * traces can be read. See docs/writing-apps.md. */
#ifndef KERNEL_API_H
#define KERNEL_API_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#include "kernel/printf.h"
#include "kernel/sched.h"

int app_main(void);

/* Console output (serial), printf-style. */
#define printf kprintf
#define snprintf ksnprintf

/* Memory */
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);

/* Time and CPUs */
uint64_t time_ns(void);  /* since boot */
uint64_t tsc_hz(void);   /* TSC ticks per second */
unsigned cpu_count(void);
unsigned cpu_id(void);   /* the CPU running the caller */
void sleep_ns(uint64_t ns);
static inline void sleep_ms(uint64_t ms) { sleep_ns(ms * 1000000); }

/* Tracer control (TRACE=ftrace builds only): `echo value > /ftrace/<file>`, e.g.
 * trace_control("current_tracer", "function"). Returns 0 or a negative error; a refused
 * value is reported on the console with its reason. */
int trace_control(const char *file, const char *value);

/* Threads: thread_create(name, fn, arg, cpu or -1), thread_join, thread_yield,
 * thread_current, thread_tid from kernel/sched.h; mutexes from kernel/mutex.h. */

#endif
