/* libFuzzer target: arbitrary bytes as trace text, line by line through the whole parser
 * (format detection, the function_graph, function tracer and trace-cmd report scanners,
 * per-task stacks, context switches) with calling-context paths on. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tools/lib/tparse.h"

static void row(void *ctx, const struct tp_row *r)
{
	/* the documented row invariants */
	if (r->self_ns < -1 || (r->dur_ns >= 0 && r->self_ns > r->dur_ns) || r->depth < 0 ||
	    !r->func || !r->id || r->parent_id == r->id)
		__builtin_trap();
	(void)ctx;
}

/* function tracer input: every hit names a function; CPU and time are -1 or real */
static void hit(void *ctx, const struct tp_hit *h)
{
	if (!h->func || h->cpu < -1 || h->ts_ns < -1 || h->tid < -1)
		__builtin_trap();
	(void)ctx;
}

/* context switches: a real CPU and line, a time that is -1 or real */
static void sw(void *ctx, const struct tp_switch *s)
{
	if (s->cpu < 0 || !s->lineno || s->ts_ns < -1)
		__builtin_trap();
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct symtab *st = symtab_new();
	struct tparse_cfg cfg = { .row = row, .hit = hit, .sw = sw, .paths = true, .quiet = true };
	struct tparse *tp = tparse_new(st, &cfg);
	const char *p = (const char *)data, *e = p + size;

	tparse_begin(tp, "fuzz");
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *end = nl ? nl : e;
		if (tparse_line(tp, p, (size_t)(end - p)))
			break;
		p = end + 1;
	}
	tparse_end(tp);
	tparse_free(tp);
	symtab_free(st);
	return 0;
}
