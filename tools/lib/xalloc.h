/* Allocation that cannot fail: the tools have nothing useful to do without memory, so they
 * print "out of memory" and exit with status 1 instead of threading errors everywhere. */
#ifndef TOOLS_LIB_XALLOC_H
#define TOOLS_LIB_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (of *cap elements of size bytes) to hold at least need elements, doubling. */
void xgrow(void **p, size_t *cap, size_t need, size_t size);
char *xstrndup(const char *s, size_t n);

#endif
