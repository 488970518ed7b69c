/* The harness of test_fgraph: the traced functions' names, the records of CPU 0 as a
 * compact string, and a clean tracer set up for a case (see fgraph_harness.h). */
#include <stdio.h>
#include "test/unit/fgraph_harness.h"
#include "test/unit/test_fgraph_funcs.h"
#include "trace/config.h"
#include "trace/patch.h"

const struct fg_name names[FG_NAMES] = {
	{ (void *)fg_leaf, "leaf" },	   { (void *)fg_mid, "mid" },
	{ (void *)fg_top, "top" },	   { (void *)fg_tail, "tail" },
	{ (void *)fg_recurse, "recurse" }, { (void *)fg_args, "args" },
	{ (void *)fg_slow, "slow" },	   { (void *)fg_callback, "callback" },
	{ (void *)fg_show_slot, "show_slot" }, { (void *)fg_spin, "spin" },
};

/* The traced function starting at ip, or the one whose code contains a return address. */
const char *name_of(uint32_t ip, bool inside)
{
	const char *best = "?";
	uint32_t best_start = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint32_t start = (uint32_t)(uintptr_t)names[i].fn;

		if (start == ip)
			return names[i].name;
		if (inside && start < ip && start > best_start && ip - start < 256) {
			best = names[i].name;
			best_start = start;
		}
	}
	return best;
}

struct ring_event ev;
static char text[1 << 16];
static unsigned last_tid[1 << 12];

/* Consumes CPU 0 and renders each record: "E<func>@<depth>[!irq]", "R<func>@<depth>",
 * "F<func><<parent>", "S<prev>><next>". */
const char *records(void)
{
	struct ring_reader r;
	size_t len = 0;

	text[0] = 0;
	if (ring_reader_open(&r, 0, true))
		return "reader busy";
	while (ring_reader_peek(&r, &ev) && len < sizeof(text) - 64) {
		const struct trace_rec *rec = &ev.rec;
		const char *sep = len ? " " : "";
		const char *fn = name_of(rec_func(rec), false);

		switch (rec_type(rec)) {
		case REC_ENTRY:
			len += snprintf(text + len, 64, "%sE%s@%u%s", sep, fn, rec_depth(rec),
					rec_flags(rec) & REC_F_IRQ ? "!" : "");
			break;
		case REC_RETURN:
			len += snprintf(text + len, 64, "%sR%s@%u", sep, fn, rec_depth(rec));
			break;
		case REC_FUNC:
			len += snprintf(text + len, 64, "%sF%s<%s", sep, fn,
					name_of(rec_parent(rec), true));
			break;
		default:
			len += snprintf(text + len, 64, "%s?%d", sep, rec_type(rec));
		}
		last_tid[rec_tid(rec)]++;
		ring_reader_advance(&r);
	}
	ring_reader_close(&r);
	return text;
}

bool all_sites(uint64_t ip, void *arg)
{
	(void)ip;
	(void)arg;
	return true;
}

bool no_site(uint64_t ip, void *arg)
{
	(void)ip;
	(void)arg;
	return false;
}

bool only_site(uint64_t ip, void *arg)
{
	return ip == (uint64_t)(uintptr_t)arg;
}

/* A clean tracer: empty buffer, default settings, every site patched for tracer t. */
void setup(enum trace_tracer t)
{
	ring_set_overwrite(false);
	ring_init(1, 1 << 20);
	trace_set_max_graph_depth(0);
	trace_set_thresh_us(0);
	trace_set_graph_funcs(NULL, 0);
	trace_set_pids(NULL, 0);
	trace_set_notrace_pids(NULL, 0);
	trace_set_tracer(t);
	trace_set_on(true);
	patch_set_return_hooks(t == TRACE_GRAPH);
	patch_apply(t == TRACE_NOP ? no_site : all_sites, NULL);
}
