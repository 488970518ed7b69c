/* Parsing the profile events' text (tools/lib/tsample.h). */
#include <string.h>

#include "tools/lib/tsample.h"

static const struct {
	const char *name;
	enum tsample_kind kind;
} names[] = {
	{ "profile_sample: ", TSK_CPU }, { "offcpu_stack: ", TSK_OFFCPU },
	{ "alloc: ", TSK_ALLOC }, { "free: ", TSK_FREE }, { "net_io: ", TSK_NET },
};

static bool number(const char *p, const char *e, int base, int64_t *v)
{
	uint64_t x = 0;
	const char *s = p;

	if (base == 16 && e - p > 2 && p[0] == '0' && p[1] == 'x')
		p += 2, s = p;
	for (; p < e; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else
			return false;
		if (x > (UINT64_MAX - d) / (unsigned)base)
			return false;
		x = x * (unsigned)base + d;
	}
	if (p == s || (base == 10 && x > INT64_MAX))
		return false;
	*v = (int64_t)x;
	return true;
}

/* One "key=value" word. */
static bool field(struct tsample_text *t, const char *k, const char *ke, const char *v,
		  const char *ve)
{
	size_t n = (size_t)(ke - k);
	int64_t x;

#define KEY(s) (n == sizeof(s) - 1 && !memcmp(k, s, n))
	if (KEY("hz"))
		return number(v, ve, 10, &t->hz);
	if (KEY("ns"))
		return number(v, ve, 10, &t->ns);
	if (KEY("bytes"))
		return number(v, ve, 10, &t->bytes);
	if (KEY("every"))
		return number(v, ve, 10, &t->every) && t->every > 0;
	if (KEY("stack"))
		return number(v, ve, 10, &t->stack_id);
	if (KEY("ptr")) {
		if (!number(v, ve, 16, &x))
			return false;
		t->ptr = (uint64_t)x;
		return true;
	}
	if (KEY("state")) {
		t->state = ve > v ? *v : 0;
		return true;
	}
	if (KEY("kind")) {
		t->alloc_kind = (struct fgl_str){ v, (size_t)(ve - v) };
		return true;
	}
	if (KEY("conn")) {
		t->conn = (struct fgl_str){ v, (size_t)(ve - v) };
		return true;
	}
	if (KEY("dir")) {
		t->tx = ve - v == 2 && !memcmp(v, "tx", 2);
		return (ve - v == 2 && !memcmp(v, "rx", 2)) || t->tx;
	}
#undef KEY
	return true; /* fields added later are skipped */
}

/* "a <- b <- c" up to e. */
static bool frames(struct tsample_text *t, const char *p, const char *e)
{
	while (p < e && t->nframes < TSAMPLE_MAX_FRAMES) {
		const char *q = p, *sep = NULL;

		for (; q + 4 <= e; q++)
			if (!memcmp(q, " <- ", 4)) {
				sep = q;
				break;
			}
		if (!sep)
			q = e;
		if (q == p)
			return false;
		t->frames[t->nframes++] = (struct fgl_str){ p, (size_t)(q - p) };
		p = sep ? sep + 4 : e;
	}
	return p >= e;
}

bool tsample_parse(const char *s, const char *e, struct tsample_text *t)
{
	const char *p = NULL;

	memset(t, 0, sizeof(*t));
	if (e < s)
		return false;
	t->stack_id = -1;
	t->every = 1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i].name);

		if ((size_t)(e - s) >= n && !memcmp(s, names[i].name, n)) {
			t->kind = names[i].kind;
			p = s + n;
			break;
		}
	}
	if (!p)
		return false;
	while (e > p && (e[-1] == ' ' || e[-1] == '\r'))
		e--;
	while (p < e) {
		const char *w = p, *eq = NULL;

		while (p < e && *p != ' ' && !(*p == ':' && (p + 1 == e || p[1] == ' '))) {
			if (*p == '=' && !eq)
				eq = p;
			p++;
		}
		if (!eq || !field(t, w, eq, eq + 1, p))
			return false;
		if (p < e && *p == ':') { /* the stack follows */
			if (e - p < 2 || p[1] != ' ')
				return false;
			return frames(t, p + 2, e) && t->nframes;
		}
		while (p < e && *p == ' ')
			p++;
	}
	return t->kind == TSK_FREE; /* a free has no stack; the others must have one */
}
