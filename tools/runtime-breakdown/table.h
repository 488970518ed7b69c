/* The aggregate as a terminal table or as CSV. */
#ifndef TOOLS_RB_TABLE_H
#define TOOLS_RB_TABLE_H

#include <stdio.h>

#include "tools/runtime-breakdown/agg.h"

/* Prints at most top rows per group (0 = all), sorted by sort. */
void table_print(FILE *f, const struct agg *a, const struct symtab *st, enum agg_sort sort,
		 size_t top);
void table_csv(FILE *f, const struct agg *a, const struct symtab *st, enum agg_sort sort,
	       size_t top);
/* "123.456" from ns (buf of at least 32 bytes); returns buf. */
const char *fmt_us(char *buf, int64_t ns);

#endif
