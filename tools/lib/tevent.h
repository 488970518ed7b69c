/* Trace events in text (as trace/out_event.c prints them, and Linux): "name: k=v k=v" or,
 * for app spans and instants, "name: text". Exporters get them as timeline markers
 * (tools/lib/timeline.h) and read them here. */
#ifndef TOOLS_LIB_TEVENT_H
#define TOOLS_LIB_TEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tevent {
	unsigned id;        /* enum trace_event_id (trace/event_format.h); 0 if not an event */
	const char *fields; /* the text after "name: " */
	size_t n;
};

/* Whether text[0..n) is a known trace event; fills *ev. */
bool tevent_parse(const char *text, size_t n, struct tevent *ev);
/* Field key's value ("pid" in "comm=x pid=7"): its text into *v, *vn (it runs to the next
 * space); false if absent. */
bool tevent_field(const struct tevent *ev, const char *key, const char **v, size_t *vn);
/* The same as a decimal number (a leading '-' allowed); false if absent or not a number. */
bool tevent_int(const struct tevent *ev, const char *key, int64_t *v);
/* Where the `key=value` arguments of an app event's "name k=v k=v" start: the longest run
 * of such words at the end (a name may hold spaces: "GET /index.html"); n if none. */
size_t tevent_args_start(const char *s, size_t n);

#endif
