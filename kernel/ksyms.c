/* Lookups in the generated symbol table (kernel/ksyms.h); the table is sorted by address,
 * so address lookups are a binary search and name lookups a linear scan. */
#include <string.h>

#include "kernel/ksyms.h"

/* Index of the last entry starting at or below addr, or ksym_num if there is none. */
static size_t find_entry(uint64_t addr)
{
	size_t lo = 0, hi = ksym_num;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksym_addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : ksym_num;
}

const char *ksym_lookup(uint64_t addr, uint64_t *offset, uint64_t *size)
{
	size_t i = find_entry(addr);

	if (i == ksym_num || addr - ksym_addrs[i] >= ksym_sizes[i])
		return NULL;
	if (offset)
		*offset = addr - ksym_addrs[i];
	if (size)
		*size = ksym_sizes[i];
	return ksym_names + ksym_name_offs[i];
}

uint64_t ksym_addr(const char *name)
{
	for (size_t i = 0; i < ksym_num; i++)
		if (!strcmp(ksym_names + ksym_name_offs[i], name))
			return ksym_addrs[i];
	return 0;
}

size_t ksym_count(void)
{
	return ksym_num;
}

const char *ksym_at(size_t i, uint64_t *addr)
{
	if (i >= ksym_num)
		return NULL;
	if (addr)
		*addr = ksym_addrs[i];
	return ksym_names + ksym_name_offs[i];
}
