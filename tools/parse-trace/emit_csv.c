/* CSV: function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent,offcpu_us,
 * offcpu_us_self,comm. The first four columns keep the names existing pandas notebooks use;
 * later columns only ever get appended, so readers that pick columns by position keep
 * working. Unknown values are empty fields.
 *
 * The hot path: each function's field (quoted if it must be) is rendered once into a
 * private arena, so a row is two chunked copies and a few numbers written straight into
 * the output buffer with one reservation per row. */
#include <stdlib.h>
#include <string.h>

#include "tools/lib/numfmt.h"
#include "tools/lib/umap.h"
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
	/* thread names, rendered once per thread: tid -> index + 1 into comm */
	struct umap comm_of;
	struct field *comm;
	size_t ncomm, comm_cap;
	int64_t last_tid;
	struct field last_comm;
};

/* A name needs quoting (RFC 4180) only if it holds a comma, quote or line break. */
static struct field render_str(struct csv *c, const char *s, size_t n)
{
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
	struct field f = { (uint32_t)c->alen, (uint32_t)(d - (c->arena + c->alen)) };
	c->alen = (size_t)(d - c->arena);
	return f;
}

static void render(struct csv *c, const struct symtab *st, uint32_t id)
{
	c->f[id] = render_str(c, symtab_name(st, id), symtab_len(st, id));
}

/* The comm field of a thread; threads interleave, so the last one is remembered. */
static struct field comm_field(struct csv *c, struct tparse *tp, int64_t tid)
{
	if (tid == c->last_tid)
		return c->last_comm;
	if (tid < 0)
		return (struct field){ 0, 0 };
	uint32_t idx = umap_get(&c->comm_of, (uint64_t)tid);
	if (!idx) {
		const char *s = tparse_comm(tp, tid);
		xgrow((void **)&c->comm, &c->comm_cap, c->ncomm + 1, sizeof(*c->comm));
		c->comm[c->ncomm++] = render_str(c, s ? s : "", s ? strlen(s) : 0);
		idx = (uint32_t)c->ncomm;
		umap_put(&c->comm_of, (uint64_t)tid, idx);
	}
	c->last_tid = tid;
	c->last_comm = c->comm[idx - 1];
	return c->last_comm;
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
	struct field cn = comm_field(c, e->tp, r->tid);

	/* three names with their chunk overrun, 5 times 24 bytes of time, 3 other numbers */
	output_reserve(o, (size_t)fn.len + pn.len + cn.len + 3 * CHUNK + 5 * 24 + 3 * 21 + 11);
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
	*p++ = ',';
	if (r->off_ns >= 0)
		p = numfmt_us(p, r->off_ns);
	*p++ = ',';
	if (r->off_self_ns >= 0)
		p = numfmt_us(p, r->off_self_ns);
	*p++ = ',';
	p = put_field(p, c->arena, cn);
	*p++ = '\n';
	o->len = (size_t)(p - o->buf);
}

static void csv_end(struct emit *e)
{
	struct csv *c = e->priv;

	free(c->f);
	free(c->arena);
	free(c->comm);
	umap_free(&c->comm_of);
	free(c);
}

void emit_csv_init(struct emit *e)
{
	struct csv *c = xcalloc(1, sizeof(*c));

	output_str(e->out, "function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent,"
		   "offcpu_us,offcpu_us_self,comm\n");
	xgrow((void **)&c->arena, &c->acap, CHUNK, 1);
	umap_init(&c->comm_of);
	c->last_tid = INT64_MIN;
	e->priv = c;
	e->row = csv_row;
	e->end = csv_end;
}
