/* The panic path: for broken invariants only. Prints the message, a symbolized backtrace
 * and (with the tracer) the last trace lines of every CPU, then stops every CPU; with
 * `exit=1` on the command line QEMU powers off with GLASS_EXIT_PANIC. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* Panic with the backtrace starting at a given pc/frame (used by the exception handler). */
__attribute__((noreturn, format(printf, 3, 4))) void panic_at(uint64_t pc, uint64_t rbp,
							       const char *fmt, ...);

#endif
