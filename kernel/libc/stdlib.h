/* Number parsing for the freestanding kernel build (implemented in string.c). */
#ifndef KERNEL_LIBC_STDLIB_H
#define KERNEL_LIBC_STDLIB_H

#include <stddef.h>

/* C semantics: leading space, optional sign, base 0 detects 0x / 0 prefixes; on overflow
 * the result saturates (there is no errno to set). */
unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
int atoi(const char *s);

static inline int abs(int v) { return v < 0 ? -v : v; }
static inline long labs(long v) { return v < 0 ? -v : v; }

#endif
