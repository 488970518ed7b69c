/* The app API's thin wrappers over kernel services. */
#include "kernel/api.h"
#include "kernel/heap.h"
#include "kernel/compiler.h"
#include "platform/platform.h"

void *malloc(size_t n) { return kmalloc(n); }
void free(void *p) { kfree(p); }
void *realloc(void *p, size_t n) { return krealloc(p, n); }

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size);
}

uint64_t time_ns(void) { return plat_now_ns(); }
uint64_t tsc_hz(void) { return plat_tsc_hz(); }
unsigned cpu_count(void) { return plat_cpu_count(); }
unsigned cpu_id(void) { return plat_cpu_id(); }
void sleep_ns(uint64_t ns) { thread_sleep_ns(ns); }

#define APP_TRACE_MAX 256

/* notrace: an app's span calls must not add functions to its call trees. The formatting
 * (kvsnprintf, instrumented) runs only when there are arguments: fmt is " " without. */
notrace void app_trace_text(enum trace_event_id id, const char *name, const char *fmt, ...)
{
	char buf[APP_TRACE_MAX];
	size_t n = strnlen(name, sizeof(buf) - 1);
	va_list ap;

	memcpy(buf, name, n);
	if (fmt[0] && fmt[1]) {
		va_start(ap, fmt);
		int k = kvsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
		va_end(ap);
		if (k > 0)
			n += (size_t)k < sizeof(buf) - n ? (size_t)k : sizeof(buf) - n - 1;
	}
	trace_event_write(id, buf, n);
}

notrace void app_trace_counter(const char *name, int64_t value)
{
	struct ev_counter e = { .value = value };

	trace_event_write_str(EV_COUNTER, &e, sizeof(e), name);
}
