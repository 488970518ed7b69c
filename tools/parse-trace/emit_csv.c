/* CSV: function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent. The first four
 * columns keep the names existing pandas notebooks use. Unknown values are empty fields. */
#include "tools/parse-trace/emit.h"

static void csv_row(struct emit *e, const struct tp_row *r)
{
	struct output *o = e->out;

	output_csv_field(o, symtab_name(e->st, r->func), symtab_len(e->st, r->func));
	output_char(o, ',');
	output_i64(o, r->tid);
	output_char(o, ',');
	if (r->dur_ns >= 0)
		output_us(o, r->dur_ns);
	output_char(o, ',');
	if (r->self_ns >= 0)
		output_us(o, r->self_ns);
	output_char(o, ',');
	output_i64(o, r->cpu);
	output_char(o, ',');
	output_i64(o, r->depth);
	output_char(o, ',');
	if (r->start_ns >= 0)
		output_us(o, r->start_ns);
	output_char(o, ',');
	output_csv_field(o, symtab_name(e->st, r->parent), symtab_len(e->st, r->parent));
	output_char(o, '\n');
}

static void csv_end(struct emit *e)
{
	(void)e;
}

void emit_csv_init(struct emit *e)
{
	output_str(e->out, "function,tid,latency_us,latency_us_self,cpu,depth,start_us,parent\n");
	e->row = csv_row;
	e->end = csv_end;
}
