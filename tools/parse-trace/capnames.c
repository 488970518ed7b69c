/* The full thread names of a capture file, for the timeline exporters. parse-trace reads a
 * capture as the text glass's printer makes of it, whose proc column cuts names to fit
 * ("app_mai-1" for app_main); the capture's thread table has them whole. */
#include <string.h>

#include "tools/lib/capture.h"
#include "tools/parse-trace/capnames.h"

void capture_thread_names(const char *path, const struct tl_sink *s)
{
	if (!s || !strcmp(path, "-") || !capture_sniff(path))
		return;
	struct capture *c = capture_open(path);
	if (!c)
		return;	/* parsing the file says why */
	const struct rawhdr *h = capture_header(c);
	for (size_t i = 0; i < h->nthreads; i++) {
		unsigned tid = h->threads[i].tid;
		const char *name = rawhdr_comm(h, tid);	/* a reused tid: its last name */
		if (tid && name && *name)
			s->thread(s->ctx, tid, name, strlen(name));
	}
	capture_close(c);
}
