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
#include "trace/events.h"

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

/* App trace events (group `app`, off by default; TRACE=ftrace builds only, no-ops
 * otherwise): a span of the current thread from trace_span_begin(name, ...) to the next
 * trace_span_end(name) of the same name (spans nest), an instant, and a counter's value.
 * The optional arguments are a string literal format and its values, conventionally
 * `key=value` pairs separated by spaces: trace_span_begin("GET /", "status=%d", 200) prints
 * as "span_begin: GET / status=200". Each costs one load and a branch while its event is
 * off; nothing is formatted then, and the calls stay out of function traces. Names and
 * arguments together are cut to 256 bytes. See docs/writing-apps.md. */
#define trace_span_begin(name, ...) app_trace_text_if(EV_SPAN_BEGIN, name, " " __VA_ARGS__)
#define trace_span_end(name) app_trace_text_if(EV_SPAN_END, name, " ")
#define trace_instant(name, ...) app_trace_text_if(EV_INSTANT, name, " " __VA_ARGS__)
#define trace_counter(name, value)                                                     \
	do {                                                                           \
		if (trace_event_on(EV_COUNTER))                                        \
			app_trace_counter(name, value);                                \
	} while (0)
#define app_trace_text_if(id, name, ...)                                               \
	do {                                                                           \
		if (trace_event_on(id))                                                \
			app_trace_text(id, name, __VA_ARGS__);                         \
	} while (0)
/* The out-of-line halves of the macros above (not instrumented); fmt starts with the
 * space that separates the arguments from the name (" " alone: none). */
void app_trace_text(enum trace_event_id id, const char *name, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));
void app_trace_counter(const char *name, int64_t value);

/* Threads: thread_create(name, fn, arg, cpu or -1), thread_join, thread_yield,
 * thread_current, thread_tid, thread_set_name from kernel/sched.h; mutexes from
 * kernel/mutex.h. */

#endif
