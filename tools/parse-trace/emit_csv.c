/* CSV: function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent. The first four
 * columns keep the names existing pandas notebooks use. Unknown values are empty fields. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"
#include "tools/parse-trace/emit.h"

struct csv {
	uint8_t *plain;		/* per symtab id: 0 unknown, 1 written as is, 2 needs quoting */
	size_t cap;
};

/* A name needs quoting only if it holds a comma, quote or line break; the answer is the
 * same for every row of that function, so it is worked out once per name. */
static bool is_plain(struct csv *c, const struct symtab *st, uint32_t id)
{
	if (id >= c->cap) {
		size_t old = c->cap;
		xgrow((void **)&c->plain, &c->cap, (size_t)id + 1, 1);
		memset(c->plain + old, 0, c->cap - old);
	}
	if (!c->plain[id])
		c->plain[id] = symtab_len(st, id) < 256 &&
			       !strpbrk(symtab_name(st, id), ",\"\r\n") ? 1 : 2;
	return c->plain[id] == 1;
}

static void name_field(struct emit *e, uint32_t id)
{
	struct output *o = e->out;

	if (is_plain(e->priv, e->st, id)) {
		/* names are short: whole 16-byte chunks beat a memcpy call (SYMTAB_SLACK) */
		size_t n = symtab_len(e->st, id);
		const char *s = symtab_name(e->st, id);
		for (size_t i = 0; i < n; i += 16)
			memcpy(o->buf + o->len + i, s + i, 16);
		o->len += n;
	} else {
		output_csv_field(o, symtab_name(e->st, id), symtab_len(e->st, id));
		output_reserve(o, 160 + 256);
	}
}

static void csv_row(struct emit *e, const struct tp_row *r)
{
	struct output *o = e->out;

	/* one reservation covers the numbers and two short names */
	output_reserve(o, 160 + 2 * (256 + 16));
	name_field(e, r->func);
	o->buf[o->len++] = ',';
	output_i64(o, r->tid);
	o->buf[o->len++] = ',';
	if (r->dur_ns >= 0)
		output_us(o, r->dur_ns);
	o->buf[o->len++] = ',';
	if (r->self_ns >= 0)
		output_us(o, r->self_ns);
	o->buf[o->len++] = ',';
	output_i64(o, r->cpu);
	o->buf[o->len++] = ',';
	output_i64(o, r->depth);
	o->buf[o->len++] = ',';
	if (r->start_ns >= 0)
		output_us(o, r->start_ns);
	o->buf[o->len++] = ',';
	name_field(e, r->parent);
	o->buf[o->len++] = '\n';
}

static void csv_end(struct emit *e)
{
	struct csv *c = e->priv;

	free(c->plain);
	free(c);
}

void emit_csv_init(struct emit *e)
{
	output_str(e->out, "function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent\n");
	e->priv = xcalloc(1, sizeof(struct csv));
	e->row = csv_row;
	e->end = csv_end;
}
