/* Compiler attributes used across the kernel. */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

/* Never instrumented by -pg: for code the function tracer itself calls, and for code that
 * runs before this CPU's per-CPU data exists. trace/ is compiled without -pg instead. */
#define notrace __attribute__((no_instrument_function))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
