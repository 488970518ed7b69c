#include "tools/lib/csv.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/* The usual line, without any quote: fields from the comma positions, 16 bytes at a
 * time (reading nothing past e). Returns -2 if the line has a quote. */
static int split_plain(const char *s, const char *e, struct csv_field *f, int max)
{
	const char *p = s, *start = s;
	int k = 0;

#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');

	for (; e - p >= 16; p += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))
			return -2;
		for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)); m;
		     m &= m - 1) {
			const char *c = p + __builtin_ctz(m);
			if (k == max)
				return -1;
			f[k].p = start;
			f[k++].n = (size_t)(c - start);
			start = c + 1;
		}
	}
#endif
	for (; p < e; p++) {
		if (*p == '"')
			return -2;
		if (*p != ',')
			continue;
		if (k == max)
			return -1;
		f[k].p = start;
		f[k++].n = (size_t)(p - start);
		start = p + 1;
	}
	if (k == max)
		return -1;
	f[k].p = start;
	f[k++].n = (size_t)(e - start);
	return k;
}

int csv_split(const char *s, size_t n, struct csv_field *f, int max, char *scratch)
{
	const char *p = s, *e = s + n;
	int k = 0;

	if (n && e[-1] == '\r')
		e--;
	k = split_plain(s, e, f, max);
	if (k != -2)
		return k;
	k = 0;
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

void csv_fput(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}
