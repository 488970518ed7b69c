/* Trace events in the Perfetto export (trace/event_format.h, read from their text by
 * tools/lib/tevent.h): app spans as slices and app instants on a track per thread
 * ("comm-tid app"), interrupts as slices on a track per CPU ("CPU n irqs"), app counters as
 * a counter track per name. Those tracks are not the thread's own: spans and interrupt
 * handlers need not nest with the calls there, and a track's slices must nest strictly.
 * Each such track has its own sequence with absolute timestamps (no interning: names are
 * few and the events rare next to calls). Wakeups stay instants on the waker's track, with
 * a flow to the wakee's next slice (emit_perfetto.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lib/tevent.h"
#include "tools/lib/xalloc.h"
#include "trace/event_format.h"
#include "tools/parse-trace/perfetto.h"

/* Above the thread tracks' and the utilisation counters' uuids and sequences */
#define XTRACK_UUID_BASE (1ULL << 41)
#define XTRACK_SEQ_BASE 49152u
enum { KEY_APP = 1, KEY_IRQ = 2, KEY_COUNTER = 3 };
/* TrackEvent.debug_annotations, DebugAnnotation {name, int_value, string_value} */
enum { TE_DEBUG_ANNOTATIONS = 4, DA_NAME = 10, DA_INT = 4, DA_STRING = 6,
       TE_COUNTER_VALUE = 30 };

struct pf_xtrack {
	uint64_t uuid;
	uint32_t seq;
	int64_t last_ts;
	uint32_t *open;		/* names (xnames ids) of the open slices, innermost last */
	size_t nopen, cap_open;
};

static void descriptor(struct perfetto *pf, uint64_t uuid, const char *name, bool counter)
{
	struct pbuf *b = &pf->pkt;

	pb_reset(b);
	pb_uint(b, PKT_SEQUENCE_ID, PF_GLOBAL_SEQ);
	size_t td = pb_open(b, PKT_TRACK_DESCRIPTOR);
	pb_uint(b, 1, uuid);
	pb_bytes(b, 2, name, strlen(name));
	pb_uint(b, 5, PF_PROCESS_UUID);
	if (counter) {
		size_t cd = pb_open(b, TD_COUNTER);
		pb_close(b, cd);
	}
	pb_close(b, td);
	pf_emit_packet(pf);
}

static struct pf_xtrack *xtrack(struct perfetto *pf, int kind, uint64_t id, const char *name,
				bool counter)
{
	uint64_t key = (uint64_t)kind << 56 | id;
	uint32_t idx = umap_get(&pf->xtrack_map, key);

	if (idx)
		return &pf->xtracks[idx - 1];
	xgrow((void **)&pf->xtracks, &pf->cap_xtracks, pf->nxtracks + 1, sizeof(*pf->xtracks));
	struct pf_xtrack *x = &pf->xtracks[pf->nxtracks++];
	*x = (struct pf_xtrack){ .uuid = XTRACK_UUID_BASE + pf->nxtracks,
				 .seq = XTRACK_SEQ_BASE + (uint32_t)pf->nxtracks };
	umap_put(&pf->xtrack_map, key, (uint32_t)pf->nxtracks);
	descriptor(pf, x->uuid, name, counter);
	return x;
}

/* Opens a track event on x at ts (never before its last one): returns the mark to close. */
static size_t x_event(struct perfetto *pf, struct pf_xtrack *x, int64_t ts, int type)
{
	struct pbuf *b = &pf->pkt;

	if (ts < x->last_ts) {
		ts = x->last_ts;
		pf->clamped++;
	}
	x->last_ts = ts;
	pb_reset(b);
	pb_uint(b, PKT_TIMESTAMP, (uint64_t)ts);
	pb_uint(b, PKT_SEQUENCE_ID, x->seq);
	size_t m = pb_open(b, PKT_TRACK_EVENT);
	pb_uint(b, TE_TYPE, (uint64_t)type);
	pb_uint(b, TE_TRACK_UUID, x->uuid);
	return m;
}

static void x_end(struct perfetto *pf, struct pf_xtrack *x, int64_t ts)
{
	size_t m = x_event(pf, x, ts, TE_SLICE_END);

	pb_close(&pf->pkt, m);
	pf_emit_packet(pf);
	x->nopen--;
}

static void annotations(struct pbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		size_t w = i;
		while (i < n && s[i] != ' ')
			i++;
		const char *eq = memchr(s + w, '=', i - w);
		if (!eq)
			continue;
		const char *v = eq + 1, *e = s + i;
		char *end, num[24];
		size_t vn = (size_t)(e - v);
		size_t da = pb_open(b, TE_DEBUG_ANNOTATIONS);
		pb_bytes(b, DA_NAME, s + w, (size_t)(eq - (s + w)));
		memcpy(num, v, vn < sizeof(num) - 1 ? vn : sizeof(num) - 1);
		num[vn < sizeof(num) - 1 ? vn : sizeof(num) - 1] = 0;
		long long x = strtoll(num, &end, 10);
		if (vn && vn < sizeof(num) - 1 && !*end)
			pb_uint(b, DA_INT, (uint64_t)x);
		else
			pb_bytes(b, DA_STRING, v, vn);
		pb_close(b, da);
	}
}

/* The idle task has one per CPU, as its thread tracks */
static struct pf_xtrack *app_track(struct perfetto *pf, int64_t tid, int cpu)
{
	char name[160];
	const char *comm = pf_comm(pf, tid);

	if (tid > 0)
		snprintf(name, sizeof(name), "%.100s-%lld app", comm ? comm : "tid", (long long)tid);
	else
		snprintf(name, sizeof(name), "<idle>-0 (CPU %d) app", cpu);
	return xtrack(pf, KEY_APP, tid > 0 ? (uint64_t)tid : 1ULL << 40 | (uint32_t)cpu, name,
		      false);
}

/* A slice (or an instant) named by text's name, its arguments as debug annotations. */
static void begin_named(struct perfetto *pf, struct pf_xtrack *x, int64_t ts, int type,
			const char *s, size_t n)
{
	size_t a = tevent_args_start(s, n);
	size_t m = x_event(pf, x, ts, type);

	pb_bytes(&pf->pkt, TE_NAME, s, a);
	annotations(&pf->pkt, s + a, n - a);
	pb_close(&pf->pkt, m);
	pf_emit_packet(pf);
	if (type == TE_SLICE_BEGIN) {
		xgrow((void **)&x->open, &x->cap_open, x->nopen + 1, sizeof(*x->open));
		x->open[x->nopen++] = symtab_intern(pf->xnames, s, a);
	}
}

/* Ends the innermost open slice named s (and those inside it); none: the begin precedes
 * the trace, nothing to end. */
static void end_named(struct perfetto *pf, struct pf_xtrack *x, int64_t ts, const char *s,
		      size_t n)
{
	uint32_t id = symtab_find(pf->xnames, s, n);
	size_t i = x->nopen;

	while (id && i > 0 && x->open[i - 1] != id)
		i--;
	if (!id || !i) {
		pf->dropped_ends++;
		return;
	}
	while (x->nopen >= i)
		x_end(pf, x, ts);
}

static void counter(struct perfetto *pf, const struct tevent *ev, int64_t ts)
{
	const char *eq = NULL;
	char name[EV_NAME_MAX + 1], *end;

	for (size_t i = ev->n; i > 0 && !eq; i--)
		if (ev->fields[i - 1] == '=')
			eq = ev->fields + i - 1;
	size_t nn = eq ? (size_t)(eq - ev->fields) : 0;
	size_t vn = eq ? (size_t)(ev->fields + ev->n - eq - 1) : 0;
	char num[24];
	if (!nn || nn > EV_NAME_MAX || !vn || vn >= sizeof(num))
		return;
	memcpy(num, eq + 1, vn);
	num[vn] = 0;
	long long v = strtoll(num, &end, 10);
	if (*end)
		return;
	memcpy(name, ev->fields, nn);
	name[nn] = 0;
	struct pf_xtrack *x = xtrack(pf, KEY_COUNTER, symtab_intern(pf->xnames, name, nn), name,
				     true);
	size_t m = x_event(pf, x, ts, TE_COUNTER);
	pb_uint(&pf->pkt, TE_COUNTER_VALUE, (uint64_t)v);
	pb_close(&pf->pkt, m);
	pf_emit_packet(pf);
}

static void irq(struct perfetto *pf, const struct tevent *ev, int cpu, int64_t ts)
{
	char name[32];
	const char *s;
	size_t n;

	snprintf(name, sizeof(name), "CPU %d irqs", cpu);
	struct pf_xtrack *x = xtrack(pf, KEY_IRQ, (uint64_t)(uint32_t)cpu, name, false);
	if (ev->id == EV_IRQ_EXIT) {
		if (x->nopen)
			x_end(pf, x, ts);
		else
			pf->dropped_ends++;	/* its entry precedes the trace */
		return;
	}
	if (!tevent_field(ev, "name", &s, &n))
		s = "irq", n = 3;
	size_t m = x_event(pf, x, ts, TE_SLICE_BEGIN);
	pb_bytes(&pf->pkt, TE_NAME, s, n);
	int64_t vec;
	if (tevent_int(ev, "irq", &vec)) {
		size_t da = pb_open(&pf->pkt, TE_DEBUG_ANNOTATIONS);
		pb_bytes(&pf->pkt, DA_NAME, "irq", 3);
		pb_uint(&pf->pkt, DA_INT, (uint64_t)vec);
		pb_close(&pf->pkt, da);
	}
	pb_close(&pf->pkt, m);
	pf_emit_packet(pf);
	xgrow((void **)&x->open, &x->cap_open, x->nopen + 1, sizeof(*x->open));
	x->open[x->nopen++] = 0;
}

bool pf_event(struct perfetto *pf, const struct tl_call *c, const struct tevent *ev)
{
	switch (ev->id) {
	case EV_SPAN_BEGIN:
	case EV_INSTANT:
		if (c->tid < 0 || c->cpu < 0)
			return false;
		begin_named(pf, app_track(pf, c->tid, c->cpu), c->ts_ns,
			    ev->id == EV_INSTANT ? TE_INSTANT : TE_SLICE_BEGIN, ev->fields, ev->n);
		return true;
	case EV_SPAN_END:
		if (c->tid < 0 || c->cpu < 0)
			return false;
		end_named(pf, app_track(pf, c->tid, c->cpu), c->ts_ns, ev->fields, ev->n);
		return true;
	case EV_COUNTER:
		counter(pf, ev, c->ts_ns);
		return true;
	case EV_IRQ_ENTRY:
	case EV_IRQ_EXIT:
		if (c->cpu < 0)
			return false;
		irq(pf, ev, c->cpu, c->ts_ns);
		return true;
	default:
		return false;
	}
}

void pf_events_end(struct perfetto *pf)
{
	for (size_t i = 0; i < pf->nxtracks; i++)
		while (pf->xtracks[i].nopen)
			x_end(pf, &pf->xtracks[i], pf->xtracks[i].last_ts);
}

void pf_events_free(struct perfetto *pf)
{
	for (size_t i = 0; i < pf->nxtracks; i++)
		free(pf->xtracks[i].open);
	free(pf->xtracks);
	umap_free(&pf->xtrack_map);
	symtab_free(pf->xnames);
}
