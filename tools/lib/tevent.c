/* Trace events in text (tools/lib/tevent.h). */
#include <string.h>
#include "tools/lib/tevent.h"
#include "trace/event_format.h"

bool tevent_parse(const char *text, size_t n, struct tevent *ev)
{
	const char *colon = memchr(text, ':', n);

	*ev = (struct tevent){ 0 };
	if (!colon || colon + 1 >= text + n || colon[1] != ' ')
		return false;
	for (unsigned id = 1; id < EV_MAX; id++) {
		const char *name = trace_event_name(id);

		if (name && strlen(name) == (size_t)(colon - text) &&
		    !memcmp(name, text, (size_t)(colon - text))) {
			ev->id = id;
			ev->fields = colon + 2;
			ev->n = (size_t)(text + n - ev->fields);
			return true;
		}
	}
	return false;
}

bool tevent_field(const struct tevent *ev, const char *key, const char **v, size_t *vn)
{
	size_t klen = strlen(key);
	const char *p = ev->fields, *e = ev->fields + ev->n;

	while (p < e) {
		const char *w = p;

		while (p < e && *p != ' ')
			p++;
		if ((size_t)(p - w) > klen && !memcmp(w, key, klen) && w[klen] == '=') {
			*v = w + klen + 1;
			*vn = (size_t)(p - *v);
			return true;
		}
		while (p < e && *p == ' ')
			p++;
	}
	return false;
}

bool tevent_int(const struct tevent *ev, const char *key, int64_t *v)
{
	const char *s;
	size_t n, i = 0;
	bool neg;
	uint64_t x = 0;

	if (!tevent_field(ev, key, &s, &n) || !n)
		return false;
	neg = s[0] == '-';
	i = neg;
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = neg ? -(int64_t)x : (int64_t)x;
	return true;
}

static bool is_key(const char *s, size_t n)
{
	if (!n || !(s[0] == '_' || ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(s[i] == '_' || s[i] == '.' || (s[i] >= '0' && s[i] <= '9') ||
		      ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z')))
			return false;
	return true;
}

size_t tevent_args_start(const char *s, size_t n)
{
	size_t start = n;

	while (start > 0) {
		size_t w = start;
		while (w > 0 && s[w - 1] != ' ')
			w--;
		const char *eq = memchr(s + w, '=', start - w);
		if (!w || !eq || !is_key(s + w, (size_t)(eq - (s + w))))
			break;
		start = w - 1;	/* the space before the word */
	}
	return start;
}
