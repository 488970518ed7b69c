/* The app API's thin wrappers over kernel services. */
#include "kernel/api.h"
#include "kernel/heap.h"
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
