/* The kernel's printf family under the familiar names, for imported code. Function-like
 * macros, so that `format(printf, ...)` attributes keep their meaning. Kernel code calls
 * kprintf/ksnprintf from kernel/printf.h directly. */
#ifndef KERNEL_LIBC_STDIO_H
#define KERNEL_LIBC_STDIO_H

#include "kernel/printf.h"

#define printf(...)	kprintf(__VA_ARGS__)
#define snprintf(...)	ksnprintf(__VA_ARGS__)
#define vsnprintf(...)	kvsnprintf(__VA_ARGS__)

#endif
