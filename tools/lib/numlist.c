#include "tools/lib/numlist.h"

#include <errno.h>
#include <stdlib.h>

#include "tools/lib/xalloc.h"

int numlist_parse(struct numlist *l, const char *s)
{
	for (;;) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (end == s || errno || (*end && *end != ','))
			return -1;
		xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = v;
		if (!*end)
			return 0;
		s = end + 1;
	}
}

bool numlist_allows(const struct numlist *l, int64_t x)
{
	if (!l->n)
		return true;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == x)
			return true;
	return false;
}

void numlist_free(struct numlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

int parse_us_ns(const char *s, int64_t *ns)
{
	int64_t ip = 0, frac = 0, scale = 100;
	int digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (digits > 12)
			return -1;
		ip = ip * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			frac += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if (*s || !digits)
		return -1;
	*ns = ip * 1000 + frac;
	return 0;
}
