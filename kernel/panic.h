/* The panic path: for broken invariants only. Prints the message, a symbolized backtrace
 * and (with the tracer) the last trace lines of every CPU, then stops every CPU; with
 * `exit=1` on the command line QEMU powers off with GLASS_EXIT_PANIC. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdint.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* For handlers that print their own report before calling panic_at(): stops tracing first,
 * so the trace keeps what led to the panic rather than the report's printing. */
void panic_prepare(void);

/* Panic with the backtrace of an interrupted context (used by the exception handler). */
__attribute__((noreturn, format(printf, 4, 5))) void panic_at(uint64_t pc, uint64_t rbp,
							       uint64_t rsp, const char *fmt, ...);

#endif
