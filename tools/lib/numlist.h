/* Comma-separated integer lists for options such as --cpu 0,2 or --tid 42 (repeatable). */
#ifndef TOOLS_LIB_NUMLIST_H
#define TOOLS_LIB_NUMLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct numlist {
	int64_t *v;
	size_t n, cap;
};

/* Appends the numbers in s ("1,2,-1"); returns -1 on a malformed list. */
int numlist_parse(struct numlist *l, const char *s);
/* True if the list is empty (no filter) or holds x. */
bool numlist_allows(const struct numlist *l, int64_t x);
void numlist_free(struct numlist *l);

/* Parses a non-negative decimal number with optional fraction (microseconds) into ns;
 * returns -1 on malformed input. */
int parse_us_ns(const char *s, int64_t *ns);

#endif
