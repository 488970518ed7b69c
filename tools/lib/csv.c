#include "tools/lib/csv.h"

#include <string.h>

/* A quoted field starting after its opening quote; returns the byte after the closing
 * quote or NULL. */
static const char *quoted(const char *p, const char *e, struct csv_field *f, char **scratch)
{
	char *d = *scratch;

	f->p = d;
	for (;;) {
		if (p >= e)
			return NULL;
		if (*p == '"') {
			if (p + 1 < e && p[1] == '"') {
				*d++ = '"';
				p += 2;
				continue;
			}
			break;
		}
		*d++ = *p++;
	}
	f->n = (size_t)(d - f->p);
	*scratch = d;
	return p + 1;
}

int csv_split(const char *s, size_t n, struct csv_field *f, int max, char *scratch)
{
	const char *p = s, *e = s + n;
	int k = 0;

	if (n && e[-1] == '\r')
		e--;
	for (;;) {
		if (k == max)
			return -1;
		if (p < e && *p == '"') {
			p = quoted(p + 1, e, &f[k], &scratch);
			if (!p || (p < e && *p != ','))
				return -1;
		} else {
			const char *c = memchr(p, ',', (size_t)(e - p));
			f[k].p = p;
			p = c ? c : e;
			f[k].n = (size_t)(p - f[k].p);
		}
		k++;
		if (p >= e)
			return k;
		p++;	/* the comma */
	}
}
