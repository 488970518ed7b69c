/* Line dispatch, whole-file driving and messages of the streaming parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/fnline.h"
#include "tools/lib/input.h"
#include "tools/lib/schedsw.h"
#include "tools/lib/tcmdline.h"
#include "tools/lib/tparse_internal.h"
#include "tools/lib/xalloc.h"

struct tparse *tparse_new(struct symtab *st, const struct tparse_cfg *cfg)
{
	struct tparse *tp = xcalloc(1, sizeof(*tp));

	tp->cfg = *cfg;
	tp->st = st;
	tp->name = "<input>";
	umap_init(&tp->task_map);
	umap_init(&tp->comm_map);
	umap_init(&tp->node_map);
	tp->comms = symtab_new();
	return tp;
}

void tparse_free(struct tparse *tp)
{
	if (!tp)
		return;
	tp_tasks_free(tp);
	free(tp->sw_pending);
	free(tp->header);
	umap_free(&tp->comm_map);
	umap_free(&tp->node_map);
	symtab_free(tp->comms);
	free(tp->nodes);
	free(tp);
}

void tp_warn(struct tparse *tp, const char *fmt, ...)
{
	va_list ap;

	tp->stats.warnings++;
	if (tp->cfg.strict)
		tp->stop = true;
	if (tp->cfg.quiet || tp->stats.warnings > tp->cfg.max_msgs)
		return;
	fprintf(stderr, "%s:%llu: ", tp->name, (unsigned long long)tp->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (tp->stats.warnings == tp->cfg.max_msgs)
		fprintf(stderr, "%s: further warnings not shown\n", tp->name);
}

static void remember_comm(struct tparse *tp, int64_t tid, const struct fgl_str *comm)
{
	if (tid < 0 || !comm->n || umap_get(&tp->comm_map, (uint64_t)tid))
		return;
	umap_put(&tp->comm_map, (uint64_t)tid, symtab_intern(tp->comms, comm->p, comm->n));
	tp_tl_thread(tp, tid, comm);
}

static void on_event(struct tparse *tp, const struct fgl *l)
{
	int64_t tid = l->tid;

	if (tid >= 0)
		remember_comm(tp, tid, &l->comm);
	else
		tid = tp_cpu_tid(tp, l->cpu);
	struct task *t = tp_offcpu_line(tp, l, tid);
	tp_switch_line(tp, l);
	tp->stats.events++;
	if (l->kind == FGL_ENTRY)
		tp_entry(tp, t, l);
	else if (l->kind == FGL_LEAF)
		tp_leaf(tp, t, l);
	else
		tp_return(tp, t, l);
}

/* A "# tracer:" line must name the tracer whose text the file was recognised as. */
static void on_tracer(struct tparse *tp, const struct fgl *l)
{
	const char *want = tp->format == TPF_FUNCTION ? "function" :
			   tp->format == TPF_EVENTS ? "nop" : "function_graph";

	if (l->func.n == strlen(want) && memcmp(l->func.p, want, l->func.n) == 0) {
		tp->fn_header = tp->format == TPF_FUNCTION;
		tp->nop_header = tp->format == TPF_EVENTS;
		return;
	}
	fprintf(stderr, "%s:%llu: not a function_graph, function or nop trace (tracer: %.*s)\n",
		tp->name, (unsigned long long)tp->lineno, (int)(l->func.n > 64 ? 64 : l->func.n),
		l->func.p);
	tp->stats.bad_lines++;
	tp->stop = true;
}

static void on_other(struct tparse *tp, const struct fgl *l)
{
	switch (l->kind) {
	case FGL_BAD:
		tp->stats.bad_lines++;
		tp_warn(tp, "%s", l->reason);
		break;
	case FGL_TRACER:
		on_tracer(tp, l);
		break;
	case FGL_CTX_SWITCH:
		remember_comm(tp, l->prev_tid, &l->prev_comm);
		remember_comm(tp, l->next_tid, &l->next_comm);
		tp_switch(tp, l->cpu, l->prev_tid, l->next_tid);
		if (l->abs_ns >= 0)
			tp_offcpu_event(tp, l->cpu, l->prev_tid, l->next_tid, l->abs_ns);
		tp_switch_seen(tp, l);	/* and to the timeline when it has its time */
		break;
	case FGL_COMMENT:
		/* the text inside the comment's 3-byte ends: one cut short (a fuzzer's 5 bytes) has none */
		if (l->func.n >= 6 && tp_sample_text(tp, l->func.p + 3, l->func.p + l->func.n - 3,
						     l->cpu, l->tid, l->abs_ns))
			break;
		tp_tl_marker(tp, l);
		break;
	case FGL_LOST:
		tp_tl_lost(tp, l);
		tp->stats.lost_events += l->lost > 0 ? (uint64_t)l->lost : 0;
		if (l->lost > 0)
			tp_warn(tp, "CPU %d lost %lld events", l->cpu, (long long)l->lost);
		else
			tp_warn(tp, "CPU %d lost events", l->cpu);
		break;
	default:	/* blank, header, dashes, irq markers, comments */
		break;
	}
}

static bool is_binary(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x09 || s[i] == 0x7f)
			return true;
	return false;
}

static void on_hit(struct tparse *tp, const struct fnl *f)
{
	struct tp_hit h = { .cpu = f->ctx.cpu, .tid = f->ctx.tid, .ts_ns = f->ctx.ts_ns };

	remember_comm(tp, h.tid, &f->ctx.comm);
	h.func = symtab_intern(tp->st, f->func.p, f->func.n);
	h.parent = f->parent.n ? symtab_intern(tp->st, f->parent.p, f->parent.n) : 0;
	tp->stats.events++;
	tp->stats.hits++;
	if (tp->cfg.hit)
		tp->cfg.hit(tp->cfg.ctx, &h);
}

/* func_stack_trace's frames: " => f" in tracefs, "=> f (addr)" in trace-cmd report */
static bool is_stack_line(const char *s, size_t n)
{
	return (n >= 4 && memcmp(s, " => ", 4) == 0) || (n >= 3 && memcmp(s, "=> ", 3) == 0);
}

/* Function tracer text: hits; other events, stack traces and headers are skipped. */
static void function_line(struct tparse *tp, const char *s, size_t n)
{
	struct fnl f;
	struct fgl l;
	const char *reason;
	int kind = fnl_parse(s, n, &f, &reason);

	if (kind == 0) {
		if (tp->nop_header) { /* the nop tracer records no calls */
			fprintf(stderr, "%s:%llu: a function tracer line in a nop trace\n", tp->name,
				(unsigned long long)tp->lineno);
			tp->stats.bad_lines++;
			tp->stop = true;
			return;
		}
		if (tp->format == TPF_EVENTS) /* no header: events came first in function text */
			tp->format = TPF_FUNCTION;
		on_hit(tp, &f);
		return;
	}
	if (kind == 1) {
		/* a sched_switch event: a switch at its own time, not a marker */
		l = (struct fgl){ 0 };
		if (schedsw_event(f.func.p, f.func.p + f.func.n, &l) && f.ctx.ts_ns >= 0) {
			l.cpu = f.ctx.cpu;
			l.abs_ns = f.ctx.ts_ns;
			tp_switch_seen(tp, &l);
			return;
		}
		remember_comm(tp, f.ctx.tid, &f.ctx.comm);
		if (!tp_sample_text(tp, f.ctx.rest, s + n, f.ctx.cpu, f.ctx.tid, f.ctx.ts_ns))
			tp_tl_fn_event(tp, &f);
		return;
	}
	if (is_stack_line(s, n) || tcl_is_preamble(s, n))
		return;
	fgl_parse(s, n, &l);
	/* nocontext-info: "f <-parent" alone, after the tracer header of a `trace` read */
	if (l.kind == FGL_BAD && tp->fn_header && (kind = fnl_parse_bare(s, n, &f)) >= 0) {
		if (kind == 0)
			on_hit(tp, &f);
		return;
	}
	if (l.kind == FGL_BAD || l.kind >= FGL_CTX_DASH) {	/* only '#', blank, LOST pass */
		l.kind = l.kind == FGL_LOST ? FGL_LOST : FGL_BAD;
		l.reason = is_binary(s, n) ? "binary data, not trace text" : reason;
	}
	on_other(tp, &l);
}

static void graph_line(struct tparse *tp, struct fgl *l, const char *s, size_t n)
{
	if (l->kind == FGL_BAD && is_binary(s, n))
		l->reason = "binary data, not trace text";
	else if (l->kind == FGL_BAD && memmem(s, n, "] ", 2) && memmem(s, n, " <-", 3))
		l->reason = "a function tracer line, not function_graph";
	if (l->kind >= FGL_ENTRY && l->kind <= FGL_RETURN)
		on_event(tp, l);
	else
		on_other(tp, l);
}

int tparse_line(struct tparse *tp, const char *s, size_t n)
{
	struct fgl l;

	tp->lineno++;
	tp->stats.lines++;
	if (tp->format == TPF_UNKNOWN) {
		tp->format = tp_detect(s, n);
		if (tp->format == TPF_UNKNOWN && tcl_is_preamble(s, n)) {
			tp_header_line(tp, s, n);
			return 0;	/* trace-cmd's "cpus=N" before its first event */
		}
	}
	/* trace-cmd report starts with whatever event came first: after a sched_switch, a
	 * funcgraph line says it is trace-cmd's function_graph text, not events alone. */
	if (tp->format == TPF_EVENTS && !tp->nop_header && tcl_is_tcmd(s, n))
		tp->format = TPF_TCMD;
	if (tp->format == TPF_FUNCTION || tp->format == TPF_EVENTS) {
		function_line(tp, s, n);
	} else {
		if (tp->format == TPF_TCMD)
			tcl_parse(s, n, &l);
		else
			fgl_parse(s, n, &l);
		if (l.kind == FGL_HEADER || l.kind == FGL_TRACER)
			tp_header_line(tp, s, n);
		graph_line(tp, &l, s, n);
	}
	return tp->stop ? -1 : 0;
}

void tparse_begin(struct tparse *tp, const char *name)
{
	tp->name = name;
	tp->lineno = 0;
	tp->stop = false;
	tp->format = TPF_UNKNOWN;
	tp->fn_header = false;
	tp->nop_header = false;
	tp->header_len = 0;
	memset(&tp->stats, 0, sizeof(tp->stats));
}

void tparse_end(struct tparse *tp)
{
	tp_switch_flush(tp);
	tp_tl_input_end(tp);
	tp_close_all(tp, !tp->stop);
}

void tparse_long_line(struct tparse *tp)
{
	tp->lineno++;
	tp->stats.lines++;
	tp->stats.bad_lines++;
	tp_warn(tp, "line longer than %d bytes skipped", INPUT_MAX_LINE);
}

int tparse_input(struct tparse *tp, struct input *in)
{
	const char *s;
	size_t n;
	bool too_long;

	while (!tp->stop && (s = input_line(in, &n, &too_long))) {
		if (too_long)
			tparse_long_line(tp);
		else
			tparse_line(tp, s, n);
	}
	if (input_error(in)) {
		fprintf(stderr, "%s: %s\n", input_name(in), input_error(in));
		return -1;
	}
	return tp->stop ? -1 : 0;
}

int tparse_file(struct tparse *tp, const char *path)
{
	struct input *in = input_open(path);
	int ret;

	if (!in)
		return -1;
	tparse_begin(tp, input_name(in));
	ret = tparse_input(tp, in);
	tparse_end(tp);
	input_close(in);
	return ret;
}

enum tp_format tparse_format(const struct tparse *tp)
{
	return tp->format;
}

const struct tp_stats *tparse_stats(const struct tparse *tp)
{
	return &tp->stats;
}

const char *tparse_comm(const struct tparse *tp, int64_t tid)
{
	uint32_t id = tid >= 0 ? umap_get(&tp->comm_map, (uint64_t)tid) : 0;

	return id ? symtab_name(tp->comms, id) : NULL;
}

uint32_t tparse_nodes(const struct tparse *tp)
{
	return tp->nnodes ? (uint32_t)tp->nnodes - 1 : 0;
}

void tparse_node(const struct tparse *tp, uint32_t node, uint32_t *parent, uint32_t *func)
{
	*parent = tp->nodes[node].parent;
	*func = tp->nodes[node].func;
}
