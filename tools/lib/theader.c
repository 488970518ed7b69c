/* What a trace says about itself before its first event: the '#' lines of a tracefs read
 * (tracer, glass's "untraced calls" counts, column headers) and trace-cmd's preamble
 * ("cpus=2"). Kept as text, up to THEADER_MAX bytes per file, for exports that record it
 * (the sqlite capture table). */
#include <string.h>

#include "tools/lib/tparse_internal.h"
#include "tools/lib/xalloc.h"

#define THEADER_MAX 65536

void tp_header_line(struct tparse *tp, const char *s, size_t n)
{
	if (tp->stats.events || tp->header_len + n + 2 > THEADER_MAX)
		return;
	if (n && s[n - 1] == '\r')
		n--;
	xgrow((void **)&tp->header, &tp->header_cap, tp->header_len + n + 2, 1);
	memcpy(tp->header + tp->header_len, s, n);
	tp->header_len += n;
	tp->header[tp->header_len++] = '\n';
	tp->header[tp->header_len] = '\0';
}

const char *tparse_header(const struct tparse *tp)
{
	return tp->header_len ? tp->header : "";
}
