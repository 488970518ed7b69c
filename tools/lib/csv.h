/* Splitting one CSV line (RFC 4180 quoting: "a,b" and "" for a quote) into fields. Fields
 * never span lines here: the tools never write names with line breaks. */
#ifndef TOOLS_LIB_CSV_H
#define TOOLS_LIB_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv_field {
	const char *p;
	size_t n;
};

/* Splits s[0..n) into at most max fields. Unquoted fields point into s; quoted ones are
 * unescaped into scratch (at least n bytes). Returns the field count, or -1 for a malformed
 * line (unterminated quote, text after a closing quote, more than max fields). */
int csv_split(const char *s, size_t n, struct csv_field *f, int max, char *scratch);

/* Writes s to f as one CSV field, quoted only where it holds a comma, a quote or a line
 * break. */
void csv_fput(FILE *f, const char *s);

#endif
