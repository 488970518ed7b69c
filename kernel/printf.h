/* Formatted output: one formatting core (fmt_vformat) behind snprintf-style functions and,
 * in the kernel, kprintf to the serial console. Conversions: %d %i %u %x %X %o %c %s %p %%
 * with flags - 0 + space #, width and precision (also `*`), length hh h l ll z t j.
 * Differences from C: %s of NULL prints "(null)", %p of NULL prints "(nil)" (as glibc),
 * an unknown conversion is printed as written. No floating point. */
#ifndef KERNEL_PRINTF_H
#define KERNEL_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into emit(c, arg), one character at a time; returns the number of characters. */
int fmt_vformat(void (*emit)(char c, void *arg), void *arg, const char *fmt, va_list ap);

/* C99 snprintf semantics: writes at most size-1 characters plus a NUL (if size > 0) and
 * returns the length the whole output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#ifndef GLASS_HOST
/* Prints to the console; returns the number of characters. Safe in any context, but output
 * longer than one internal chunk (256 bytes) may interleave with other CPUs' output. */
int kvprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif

#endif
