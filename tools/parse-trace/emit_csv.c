/* CSV: function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent. The first four
 * columns keep the names existing pandas notebooks use. Unknown values are empty fields.
 *
 * The hot path: each function's field (quoted if it must be) is rendered once into a
 * private arena, so a row is two chunked copies and a few numbers written straight into
 * the output buffer with one reservation per row. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/numfmt.h"
#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"

#define CHUNK 16	/* names are copied in whole chunks; the arena has this much slack */
#define NOT_YET UINT32_MAX

struct field {
	uint32_t off, len;	/* in csv.arena; len NOT_YET: not rendered yet */
};

struct csv {
	struct field *f;	/* per symtab id; id 0 (no parent) is the empty field */
	size_t cap;
	char *arena;
	size_t alen, acap;
};

/* A name needs quoting (RFC 4180) only if it holds a comma, quote or line break. */
static void render(struct csv *c, const struct symtab *st, uint32_t id)
{
	const char *s = symtab_name(st, id);
	size_t n = symtab_len(st, id);
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	char *d;

	xgrow((void **)&c->arena, &c->acap, c->alen + 2 * n + 2 + CHUNK, 1);
	d = c->arena + c->alen;
	if (quote)
		*d++ = '"';
	for (size_t i = 0; i < n; i++) {
		if (quote && s[i] == '"')
			*d++ = '"';
		*d++ = s[i];
	}
	if (quote)
		*d++ = '"';
	c->f[id] = (struct field){ (uint32_t)c->alen, (uint32_t)(d - (c->arena + c->alen)) };
	c->alen = (size_t)(d - c->arena);
}

static inline struct field field_of(struct csv *c, const struct symtab *st, uint32_t id)
{
	if (id >= c->cap) {
		size_t old = c->cap;
		xgrow((void **)&c->f, &c->cap, (size_t)id + 1, sizeof(*c->f));
		for (size_t i = old; i < c->cap; i++)
			c->f[i].len = NOT_YET;
	}
	if (c->f[id].len == NOT_YET)
		render(c, st, id);
	return c->f[id];
}

static inline char *put_field(char *p, const char *arena, struct field f)
{
	for (uint32_t i = 0; i < f.len; i += CHUNK)
		memcpy(p + i, arena + f.off + i, CHUNK);
	return p + f.len;
}

static void csv_row(struct emit *e, const struct tp_row *r)
{
	struct csv *c = e->priv;
	struct output *o = e->out;
	struct field fn = field_of(c, e->st, r->func);
	struct field pn = field_of(c, e->st, r->parent);

	/* both names with their chunk overrun, 3 times 24 bytes of time, 3 other numbers */
	output_reserve(o, (size_t)fn.len + pn.len + 2 * CHUNK + 3 * 24 + 3 * 21 + 8);
	char *p = o->buf + o->len;
	p = put_field(p, c->arena, fn);
	*p++ = ',';
	if (r->tid == -1) {	/* traces without the proc column */
		memcpy(p, "-1,", 4);
		p += 3;
	} else {
		p = numfmt_i64(p, r->tid);
		*p++ = ',';
	}
	if (r->dur_ns >= 0)
		p = numfmt_us(p, r->dur_ns);
	*p++ = ',';
	if (r->self_ns >= 0)
		p = numfmt_us(p, r->self_ns);
	*p++ = ',';
	p = numfmt_i64(p, r->cpu);
	*p++ = ',';
	p = numfmt_i64(p, r->depth);
	*p++ = ',';
	if (r->start_ns >= 0)
		p = numfmt_us(p, r->start_ns);
	*p++ = ',';
	p = put_field(p, c->arena, pn);
	*p++ = '\n';
	o->len = (size_t)(p - o->buf);
}

static void csv_end(struct emit *e)
{
	struct csv *c = e->priv;

	free(c->f);
	free(c->arena);
	free(c);
}

void emit_csv_init(struct emit *e)
{
	struct csv *c = xcalloc(1, sizeof(*c));

	output_str(e->out, "function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent\n");
	xgrow((void **)&c->arena, &c->acap, CHUNK, 1);
	e->priv = c;
	e->row = csv_row;
	e->end = csv_end;
}
