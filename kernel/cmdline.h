/* The kernel command line (QEMU -append): space-separated words and key=value pairs. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the exact word (e.g. "exit=1") appears. */
bool cmdline_has(const char *word);
/* Copies the value of key=value into buf (NUL-terminated, truncated to size); false if the
 * key is absent. */
bool cmdline_get(const char *key, char *buf, size_t size);

#endif
