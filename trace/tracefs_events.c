/* The tracefs files of trace events (trace/events.h), as Linux has them:
 * available_events ("group:name" per line), set_event (the enabled ones; a write enables
 * "group:name", "name", "group:*" or "*:*", "!..." disables, `>` first disables all),
 * and events/enable, events/GROUP/enable, events/GROUP/NAME/enable ("0", "1", or "X"
 * when a group is mixed; writing 0 or 1 sets them all). */
#include <errno.h>
#include <string.h>
#include "trace/tracefs_file.h"
#include "trace/events.h"
#include "kernel/printf.h"

/* The next event id from *cursor on (advancing it past), or EV_MAX at the end. */
static unsigned next_event(size_t *cursor)
{
	while (*cursor < EV_MAX && !trace_event_name((unsigned)*cursor))
		(*cursor)++;
	return *cursor < EV_MAX ? (unsigned)(*cursor)++ : EV_MAX;
}

static bool word_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

/* The events a "group:name" pattern names ("name" alone, "*" for any part). */
static uint64_t events_matching(const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len);
	const char *group = colon ? s : "*", *name = colon ? colon + 1 : s;
	size_t glen = colon ? (size_t)(colon - s) : 1, nlen = colon ? len - glen - 1 : len;
	uint64_t mask = 0;

	for (unsigned id = 1; id < EV_MAX; id++) {
		if (!trace_event_name(id))
			continue;
		if ((word_eq(group, glen, "*") || word_eq(group, glen, trace_event_group(id))) &&
		    (word_eq(name, nlen, "*") || word_eq(name, nlen, trace_event_name(id))))
			mask |= 1ull << id;
	}
	return mask;
}

static void set_mask(uint64_t mask, bool on)
{
	for (unsigned id = 1; id < EV_MAX; id++)
		if (mask >> id & 1)
			trace_event_set(id, on);
}

size_t tf_available_events_show(struct tracefs_file *f, char *s, size_t cap)
{
	unsigned id = next_event(&f->cursor);

	if (id == EV_MAX)
		return 0;
	return (size_t)ksnprintf(s, cap, "%s:%s\n", trace_event_group(id), trace_event_name(id));
}

size_t tf_set_event_show(struct tracefs_file *f, char *s, size_t cap)
{
	unsigned id;

	while ((id = next_event(&f->cursor)) != EV_MAX)
		if (trace_event_on(id))
			return (size_t)ksnprintf(s, cap, "%s:%s\n", trace_event_group(id),
						 trace_event_name(id));
	return 0;
}

int tf_set_event_write(struct tracefs_file *f, const char *buf, size_t len)
{
	const char *p = tf_trim(buf, &len), *end = p + len;
	uint64_t on = 0, off = 0;

	/* Every word is checked before anything changes: a bad one changes nothing. */
	while (p < end) {
		const char *w = p;
		bool neg;
		uint64_t m;

		while (p < end && !tf_is_space(*p))
			p++;
		neg = *w == '!';
		m = events_matching(w + neg, (size_t)(p - w) - neg);
		if (!m)
			return tf_fail(f, -EINVAL, "no such event");
		if (neg)
			off |= m;
		else
			on |= m;
		while (p < end && tf_is_space(*p))
			p++;
	}
	if (tf_truncating(f))
		set_mask(~0ull, false);
	set_mask(off, false);
	set_mask(on, true);
	return 0;
}

/* ---- events/... ---- */

uint64_t tf_events_of_path(const char *path, const char **file)
{
	const char *slash = strchr(path, '/'), *slash2;
	char pat[2 * EV_NAME_MAX + 3];
	size_t glen, nlen;

	if (!slash) { /* a file of events/ itself: every event */
		*file = path;
		return events_matching("*:*", 3);
	}
	glen = (size_t)(slash - path);
	slash2 = strchr(slash + 1, '/');
	nlen = slash2 ? (size_t)(slash2 - slash - 1) : 1;
	*file = slash2 ? slash2 + 1 : slash + 1;
	if (glen > EV_NAME_MAX || nlen > EV_NAME_MAX || strchr(*file, '/') ||
	    memchr(path, '*', (size_t)(*file - path)))
		return 0;
	memcpy(pat, path, glen);
	pat[glen] = ':';
	if (slash2)
		memcpy(pat + glen + 1, slash + 1, nlen);
	else
		pat[glen + 1] = '*';
	return events_matching(pat, glen + 1 + nlen);
}

size_t tf_event_enable_show(struct tracefs_file *f, char *s, size_t cap)
{
	uint64_t on = trace_events_enabled & f->events;

	return (size_t)ksnprintf(s, cap, "%s\n", !on ? "0" : on == f->events ? "1" : "X");
}

int tf_event_enable_write(struct tracefs_file *f, const char *buf, size_t len)
{
	const char *p = tf_trim(buf, &len);

	if (word_eq(p, len, "0") || word_eq(p, len, "1")) {
		set_mask(f->events, *p == '1');
		return 0;
	}
	return tf_fail(f, -EINVAL, "write 0 or 1");
}

size_t tf_event_id_show(struct tracefs_file *f, char *s, size_t cap)
{
	return (size_t)ksnprintf(s, cap, "%u\n", (unsigned)__builtin_ctzll(f->events));
}

/* The directory listing's names under events/ (enable files of the top, every group
 * and every event, and each event's id), in table order; NULL at the end. */
const char *tf_events_list(unsigned i, char *buf, size_t cap)
{
	size_t cursor = 0;
	unsigned id;
	const char *last_group = NULL;

	if (i == 0)
		return "events/enable";
	i--;
	while ((id = next_event(&cursor)) != EV_MAX) {
		const char *g = trace_event_group(id);

		if (!last_group || strcmp(g, last_group)) {
			bool seen = false;

			for (unsigned k = 1; k < id; k++)
				if (trace_event_name(k) && !strcmp(trace_event_group(k), g))
					seen = true;
			last_group = g;
			if (!seen && i-- == 0) {
				ksnprintf(buf, cap, "events/%s/enable", g);
				return buf;
			}
		}
		if (i < 2) {
			ksnprintf(buf, cap, "events/%s/%s/%s", g, trace_event_name(id),
				  i == 0 ? "enable" : "id");
			return buf;
		}
		i -= 2;
	}
	return NULL;
}
