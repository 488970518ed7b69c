/* CSV of function tracer hits: function,tid,cpu,timestamp_us,parent, one row per line of
 * the trace, in its order. The function tracer records entries only, so there is no
 * duration; runtime-breakdown counts these rows per function and per caller. */
#include "tools/parse-trace/emit.h"

static void put_name(struct output *o, const struct symtab *st, uint32_t id)
{
	if (id)
		output_csv_field(o, symtab_name(st, id), symtab_len(st, id));
}

static void hits_row(struct emit *e, const struct tp_hit *h)
{
	struct output *o = e->out;

	put_name(o, e->st, h->func);
	output_char(o, ',');
	output_i64(o, h->tid);
	output_char(o, ',');
	output_i64(o, h->cpu);
	output_char(o, ',');
	if (h->ts_ns >= 0)	/* none with nocontext-info */
		output_us(o, h->ts_ns);
	output_char(o, ',');
	put_name(o, e->st, h->parent);
	output_char(o, '\n');
}

static void hits_end(struct emit *e)
{
	(void)e;
}

void emit_hits_init(struct emit *e)
{
	output_str(e->out, "function,tid,cpu,timestamp_us,parent\n");
	e->hit = hits_row;
	e->end = hits_end;
}
