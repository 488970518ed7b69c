/* What trace/ needs from outside that is not on the hook path: pages for the buffers,
 * stopping the other CPUs while code is patched, writing to kernel text. The kernel maps
 * these to kernel/ and platform/; host tests and the host benchmark get them from
 * test/unit/trace_host_env.c. Private to trace/. */
#ifndef TRACE_INTERNAL_H
#define TRACE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "trace/env.h"

#ifndef CONFIG_TRACE_BUF_MB
#define CONFIG_TRACE_BUF_MB 64
#endif

#ifdef GLASS_HOST
/* Start of the program's text: records store functions as offsets from it. */
static inline uint64_t trace_text_base(void)
{
	extern char __executable_start[];

	return (uint64_t)(uintptr_t)__executable_start;
}
void *page_alloc(size_t npages);
void page_free(void *p, size_t npages);
unsigned trace_env_irq_depth(void);
/* The host has no other CPUs to stop: writers must be quiet while the buffers are
 * resized or code is patched (the tests and the benchmark arrange that). */
void trace_stop_others(void);
void trace_release_others(void);
/* Makes the page(s) of [dst, dst+n) writable and copies src there. */
void trace_poke_text(void *dst, const void *src, size_t n);
static inline uint64_t trace_irq_save(void) { return 0; }
static inline void trace_irq_restore(uint64_t flags) { (void)flags; }
/* Never returns: the shadow stack lost the return address. */
__attribute__((noreturn)) void trace_fatal(const char *why);
#else
#include "kernel/page.h"
#include "platform/platform.h"

/* Start of kernel text: records store functions as offsets from it. */
static inline uint64_t trace_text_base(void)
{
	extern char __text_start[];

	return (uint64_t)(uintptr_t)__text_start;
}
static inline void trace_stop_others(void) { plat_stop_others(); }
static inline void trace_release_others(void) { plat_release_others(); }
static inline uint64_t trace_irq_save(void) { return plat_irq_save(); }
static inline void trace_irq_restore(uint64_t flags) { plat_irq_restore(flags); }

/* Kernel text is mapped read-write-execute: plain stores, byte by byte. */
static inline void trace_poke_text(void *dst, const void *src, size_t n)
{
	volatile uint8_t *d = dst;
	const uint8_t *s = src;

	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
}

static inline __attribute__((noreturn)) void trace_fatal(const char *why)
{
	static const char msg[] = "trace: fatal: ";
	size_t n = 0;

	while (why[n])
		n++;
	plat_console_write(msg, sizeof(msg) - 1);
	plat_console_write(why, n);
	plat_console_write("\n", 1);
	plat_halt_forever();
}
#endif

static inline void trace_cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* Serializes instruction fetch on this CPU after its own code was patched. */
static inline void trace_sync_core(void)
{
	uint32_t a = 0, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
}

#endif
