/* The kernel's printf family under the familiar names, for imported code such as lwIP's
 * diagnostics. Kernel code calls kprintf/ksnprintf from kernel/printf.h directly. */
#ifndef KERNEL_LIBC_STDIO_H
#define KERNEL_LIBC_STDIO_H

#include "kernel/printf.h"

#define printf		kprintf
#define snprintf	ksnprintf
#define vsnprintf	kvsnprintf

#endif
