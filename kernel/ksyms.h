/* The kernel's function symbol table (kallsyms-style), generated at link time by
 * scripts/gen-ksyms.sh from `nm -n` of the first link and linked into section .ksyms.
 * Read-only and lock-free: safe in any context, including the panic path. */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/* The function containing addr: its name, with addr's offset into it and the function's
 * size (either pointer may be NULL). NULL if addr lies in no function. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset, uint64_t *size);

/* Start address of the function called name, or 0 if there is none. */
uint64_t ksym_addr(const char *name);

/* Number of functions in the table; the i-th in address order (NULL if i is too large). */
size_t ksym_count(void);
const char *ksym_at(size_t i, uint64_t *addr);

/* The generated table: ksym_num entries sorted by address; entry i is the function at
 * ksym_addrs[i] of ksym_sizes[i] bytes named by the string at ksym_names + ksym_name_offs[i]. */
extern const uint64_t ksym_num;
extern const uint64_t ksym_addrs[];
extern const uint32_t ksym_sizes[];
extern const uint32_t ksym_name_offs[];
extern const char ksym_names[];

#endif
