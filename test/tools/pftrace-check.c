/* Checks a Perfetto protobuf trace the way trace_processor would read it, for the rules
 * protoc --decode cannot see (../shared/spec/perfetto.md sections 3-6):
 *   - the file is a run of Trace.packet records; zstd_compressed_packets are expanded;
 *   - interned data and iids only on packets with a sequence id, every name_iid defined
 *     on its sequence (after the last SEQ_INCREMENTAL_STATE_CLEARED) before it is used;
 *   - timestamps never go back within a sequence (incremental clocks are summed);
 *   - every track event is on a described track; slices nest strictly: every BEGIN has its
 *     END on the same track, children end before parents, depth <= 512, and a track's
 *     events are in time order;
 *   - counter tracks (TrackDescriptor.counter) get only TYPE_COUNTER events, each with a
 *     value, and other tracks none; a counter in percent (unit_name "%", the CPU
 *     utilisation) stays within 0..100;
 *   - every flow that ends (terminating_flow_ids) began before (flow_ids);
 *   - profiling tables: every mapping's path strings, every frame's function name and
 *     mapping (with a rel_pc), every callstack's frames and every PerfSample's callstack
 *     defined on its sequence (since its last CLEARED) before or in the packet that uses
 *     it; a sample's pid and tid are those of a described thread.
 *
 *   pftrace-check [--slices] [--samples] [--dump] FILE
 *
 * Prints "packets=N slices=N instants=N tracks=N task_states=N max_depth=N counters=N
 * flows=N samples=N" (flows: those that ended) and exits 0,
 * or prints "FILE: packet N: reason" for each problem (the first 20) and exits 1.
 * --slices prints every slice, "track<TAB>depth<TAB>name<TAB>begin_ns<TAB>dur_ns", in the
 * order slices end; instants as "track<TAB>instant<TAB>name<TAB>ts_ns", counter samples as
 * "track<TAB>counter<TAB>value<TAB>ts_ns" (value with %g).
 * --samples prints every PerfSample, "thread track<TAB>cpu<TAB>root;...;leaf<TAB>ts_ns".
 * --dump writes the packets, decompressed, as an uncompressed trace to stdout instead. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "test/tools/pftrace-check.h"

#define MAX_SEQ 65536
#define MAX_TRACKS 16384
#define MAX_DEPTH 512
#define MAX_FLOW (1u << 20)

struct open_slice {
	uint64_t iid;		/* name on the track's sequence, 0 = literal or none */
	char name[128];
	uint64_t ts;
};


struct seq {
	bool cleared, incremental, seen;
	uint64_t last_ts;
	uint64_t default_track;
	uint32_t default_clock;
	char **names;		/* iid -> name, defined since the last CLEARED */
	size_t nnames;
	struct prof_tables prof;
};

static struct seq seqs[MAX_SEQ];
struct track tracks[MAX_TRACKS];
size_t ntracks;
static const char *file;
static uint64_t npackets, nslices, ninstants, nstates, ncounters, nflows;
uint64_t nsamples;
static bool flow_begun[MAX_FLOW];
static int max_depth, errors;
static bool opt_slices, opt_dump;
bool opt_samples;

void fail(const char *fmt, ...)
{
	va_list ap;

	if (++errors > 20)
		return;
	printf("%s: packet %" PRIu64 ": ", file, npackets);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static bool varint(struct span *s, uint64_t *v)
{
	uint64_t x = 0;

	for (int shift = 0; shift < 64 && s->p < s->e; shift += 7) {
		uint8_t b = *s->p++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return true;
		}
	}
	return false;
}

/* The next field: number, wire type, varint value or length-delimited body. */
bool field(struct span *s, unsigned *num, unsigned *wt, uint64_t *v, struct span *body)
{
	uint64_t tag, len;

	if (!varint(s, &tag))
		return false;
	*num = (unsigned)(tag >> 3);
	*wt = tag & 7;
	switch (*wt) {
	case 0:
		return varint(s, v);
	case 1:
		if (s->e - s->p < 8)
			return false;
		memcpy(v, s->p, 8);
		s->p += 8;
		return true;
	case 2:
		if (!varint(s, &len) || len > (uint64_t)(s->e - s->p))
			return false;
		body->p = s->p;
		body->e = s->p + len;
		s->p += len;
		return true;
	case 5:
		if (s->e - s->p < 4)
			return false;
		s->p += 4;
		return true;
	}
	return false;
}

static struct track *find_track(uint64_t uuid)
{
	static size_t last;

	if (last < ntracks && tracks[last].uuid == uuid)
		return &tracks[last];
	for (size_t i = 0; i < ntracks; i++)
		if (tracks[i].uuid == uuid)
			return &tracks[last = i];
	return NULL;
}

void copy_str(char *dst, size_t n, struct span s)
{
	if (!s.p) {
		*dst = 0;
		return;
	}
	size_t len = (size_t)(s.e - s.p) < n - 1 ? (size_t)(s.e - s.p) : n - 1;

	memcpy(dst, s.p, len);
	dst[len] = 0;
}

static void track_descriptor(struct span s)
{
	uint64_t v, uuid = 0;
	struct span body, name = { 0 };
	bool counter = false, percent = false, thread = false;
	uint64_t pid = 0, tid = 0;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num == 1 && wt == 0)
			uuid = v;
		else if (num == 4 && wt == 2) {
			uint64_t v2;
			struct span b2;
			thread = true;
			FOR_FIELDS(body, n2, w2, v2, b2) {
				if (n2 == 1 && w2 == 0)
					pid = v2;
				else if (n2 == 2 && w2 == 0)
					tid = v2;
			}
		}
		else if (num == 2 && wt == 2)
			name = body;
		else if (num == 8 && wt == 2) {
			uint64_t v2;
			struct span b2;
			counter = true;
			FOR_FIELDS(body, n2, w2, v2, b2)
				if (n2 == 6 && w2 == 2 && b2.e - b2.p == 1 && *b2.p == '%')
					percent = true;
		}
	}
	if (!uuid) {
		fail("track descriptor without uuid");
		return;
	}
	if (find_track(uuid))
		return;
	if (ntracks == MAX_TRACKS) {
		fail("too many tracks");
		return;
	}
	tracks[ntracks].uuid = uuid;
	tracks[ntracks].counter = counter;
	tracks[ntracks].percent = percent;
	tracks[ntracks].thread = thread;
	tracks[ntracks].pid = pid;
	tracks[ntracks].tid = tid;
	tracks[ntracks].stack = calloc(MAX_DEPTH, sizeof(struct open_slice));
	copy_str(tracks[ntracks].name, sizeof(tracks[ntracks].name), name);
	ntracks++;
}


static void define_name(struct seq *q, uint64_t iid, struct span name)
{
	define_string(&q->names, &q->nnames, iid, name);
}


/* Event names (2), function names (5) and mapping paths (17) are {iid = 1, name or
 * str = 2}. A packet's entries are all defined before any is used, so they go in table
 * order: names, then the mappings (19) and frames (6) that use them, then the callstacks
 * (7) of those frames. */
static void interned_data(struct seq *q, struct span s)
{
	static const unsigned order[] = { 2, 5, 17, 19, 6, 7 };

	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		struct span rest = s, body;
		uint64_t v;
		FOR_FIELDS(rest, num, wt, v, body) {
			if (num != order[k] || wt != 2)
				continue;
			if (num == 19) {
				prof_mapping(&q->prof, body);
				continue;
			}
			if (num == 6) {
				prof_frame(&q->prof, body);
				continue;
			}
			if (num == 7) {
				prof_callstack(&q->prof, body);
				continue;
			}
			uint64_t iid = 0, v2;
			struct span name = { 0 }, b2;
			FOR_FIELDS(body, n2, w2, v2, b2) {
				if (n2 == 1 && w2 == 0)
					iid = v2;
				else if (n2 == 2 && w2 == 2)
					name = b2;
			}
			if (num == 2)
				define_name(q, iid, name);
			else if (num == 5)
				define_string(&q->prof.fnames, &q->prof.nfnames, iid, name);
			else
				define_string(&q->prof.mpaths, &q->prof.nmpaths, iid, name);
		}
	}
}


static void defaults(struct seq *q, struct span s)
{
	uint64_t v;
	struct span body;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num == 58 && wt == 0)
			q->default_clock = (uint32_t)v;
		if (num == 11 && wt == 2) {
			uint64_t v2;
			struct span b2;
			FOR_FIELDS(body, n2, w2, v2, b2)
				if (n2 == 11 && w2 == 0)
					q->default_track = v2;
		}
	}
}

static void clock_snapshot(struct seq *q, struct span s, uint64_t *base)
{
	uint64_t v;
	struct span body;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num != 1 || wt != 2)
			continue;
		uint64_t id = 0, ts = 0, inc = 0, v2;
		struct span b2;
		FOR_FIELDS(body, n2, w2, v2, b2) {
			if (n2 == 1)
				id = v2;
			else if (n2 == 2)
				ts = v2;
			else if (n2 == 3)
				inc = v2;
		}
		if (id == 64 && inc) {
			q->incremental = true;
			*base = ts;
		}
	}
}

struct event {
	uint64_t type, name_iid, track_uuid;
	struct span name;
	bool has_track, has_value;
	double value;
};

static void parse_event(struct span s, struct event *ev)
{
	uint64_t v;
	struct span body;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num == 9 && wt == 0)
			ev->type = v;
		else if (num == 10 && wt == 0)
			ev->name_iid = v;
		else if (num == 23 && wt == 2)
			ev->name = body;
		else if (num == 11 && wt == 0)
			ev->track_uuid = v, ev->has_track = true;
		else if (num == 30 && wt == 0)
			ev->value = (double)(int64_t)v, ev->has_value = true;
		else if (num == 44 && wt == 1)
			memcpy(&ev->value, &v, 8), ev->has_value = true;
		else if ((num == 47 || num == 48) && wt == 1 && v >= MAX_FLOW)
			fail("flow id %" PRIu64 " too large for this checker", v);
		else if (num == 47 && wt == 1)
			flow_begun[v] = true;
		else if (num == 48 && wt == 1 && !flow_begun[v])
			fail("flow %" PRIu64 " ends before it begins", v);
		else if (num == 48 && wt == 1)
			nflows++;
	}
}

static void event_name(struct seq *q, const struct event *ev, char *out, size_t n)
{
	if (ev->name_iid) {
		if (ev->name_iid >= q->nnames || !q->names[ev->name_iid]) {
			fail("name_iid %" PRIu64 " used before it is defined", ev->name_iid);
			snprintf(out, n, "?");
			return;
		}
		snprintf(out, n, "%s", q->names[ev->name_iid]);
	} else {
		copy_str(out, n, ev->name);
	}
}

static void track_event(struct seq *q, uint32_t seq, struct span s, uint64_t ts)
{
	struct event ev = { 0 };

	parse_event(s, &ev);
	uint64_t uuid = ev.has_track ? ev.track_uuid : q->default_track;
	struct track *t = find_track(uuid);
	if (!t) {
		fail("event on track %" PRIu64 " that has no descriptor", uuid);
		return;
	}
	if (t->seq && t->seq != seq)
		fail("track %s gets events from sequences %u and %u", t->name, t->seq, seq);
	t->seq = seq;
	if (ts < t->last_ts)
		fail("time goes back on track %s", t->name);
	t->last_ts = ts;
	if (t->counter != (ev.type == 4)) {
		fail("track event of type %" PRIu64 " on %s track %s", ev.type,
		     t->counter ? "counter" : "slice", t->name);
		return;
	}
	if (ev.type == 4) {
		if (!ev.has_value)
			fail("counter event without a value on track %s", t->name);
		else if (t->percent && !(ev.value >= 0 && ev.value <= 100))
			fail("%g%% on track %s", ev.value, t->name);
		ncounters++;
		if (opt_slices)
			printf("%s\tcounter\t%g\t%" PRIu64 "\n", t->name, ev.value, ts);
	} else if (ev.type == 1) {
		if (t->depth == MAX_DEPTH) {
			fail("nesting deeper than %d on track %s", MAX_DEPTH, t->name);
			return;
		}
		struct open_slice *o = &t->stack[t->depth++];
		event_name(q, &ev, o->name, sizeof(o->name));
		o->ts = ts;
		if (t->depth > max_depth)
			max_depth = t->depth;
	} else if (ev.type == 2) {
		if (!t->depth) {
			fail("slice end without a begin on track %s", t->name);
			return;
		}
		struct open_slice *o = &t->stack[--t->depth];
		nslices++;
		if (opt_slices)
			printf("%s\t%d\t%s\t%" PRIu64 "\t%" PRIu64 "\n", t->name, t->depth, o->name,
			       o->ts, ts - o->ts);
	} else if (ev.type == 3) {
		char name[128];
		event_name(q, &ev, name, sizeof(name));
		ninstants++;
		if (opt_slices)
			printf("%s\tinstant\t%s\t%" PRIu64 "\n", t->name, name, ts);
	} else {
		fail("track event of type %" PRIu64, ev.type);
	}
}

struct packet {
	uint64_t ts, flags;
	uint32_t seq;
	bool has_ts, has_seq;
	struct span interned, defaults, snapshot, event, descriptor, zstd, sample;
	bool has_state;
};

static void parse_packet(struct span s, struct packet *pk)
{
	uint64_t v;
	struct span body;

	FOR_FIELDS(s, num, wt, v, body) {
		switch (num) {
		case 8: pk->ts = v; pk->has_ts = true; break;
		case 10: pk->seq = (uint32_t)v; pk->has_seq = true; break;
		case 13: pk->flags = v; break;
		case 12: pk->interned = body; break;
		case 59: pk->defaults = body; break;
		case 6: pk->snapshot = body; break;
		case 11: pk->event = body; break;
		case 60: pk->descriptor = body; break;
		case 117: pk->has_state = true; break;
		case 133: pk->zstd = body; break;
		case 66: pk->sample = body; break;
		case 58: fail("explicit timestamp_clock_id is not expected"); break;
		}
	}
}

static void packets(struct span s);

static void expand(struct span z)
{
	unsigned long long n = ZSTD_getFrameContentSize(z.p, (size_t)(z.e - z.p));

	if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN || n > (1u << 30)) {
		fail("zstd_compressed_packets without a readable frame size");
		return;
	}
	if (z.e - z.p + 3 >= 512 * 1024)
		fail("compressed packet of %td bytes (Perfetto wants < 512 KB)", z.e - z.p);
	uint8_t *buf = malloc(n ? n : 1);
	size_t got = ZSTD_decompress(buf, n, z.p, (size_t)(z.e - z.p));
	if (ZSTD_isError(got) || got != n)
		fail("zstd_compressed_packets do not decompress");
	else
		packets((struct span){ buf, buf + n });
	free(buf);
}

static void clear_sequence(struct seq *q)
{
	for (size_t i = 0; i < q->nnames; i++)
		free(q->names[i]);
	free(q->names);
	prof_clear(&q->prof);
	*q = (struct seq){ .cleared = true };
}

static void packet(struct span s)
{
	struct packet pk = { 0 };
	struct span raw = s;

	parse_packet(s, &pk);
	if (pk.zstd.p) {
		expand(pk.zstd);
		return;
	}
	npackets++;
	if (opt_dump) {
		putchar(0x0a);
		uint64_t len = (uint64_t)(raw.e - raw.p);
		while (len >= 0x80) {
			putchar((int)(len | 0x80));
			len >>= 7;
		}
		putchar((int)len);
		fwrite(raw.p, 1, (size_t)(raw.e - raw.p), stdout);
		return;
	}
	if (!pk.has_seq || pk.seq == 0) {
		if (pk.interned.p || pk.flags || pk.event.p || pk.sample.p)
			fail("interned data, flags, a track event or a sample without a sequence id");
		return;
	}
	if (pk.seq >= MAX_SEQ) {
		fail("sequence id %u too large for this checker", pk.seq);
		return;
	}
	struct seq *q = &seqs[pk.seq];
	if (pk.flags & 1)
		clear_sequence(q);
	if ((pk.interned.p || pk.defaults.p) && !q->cleared)
		fail("incremental state on sequence %u before SEQ_INCREMENTAL_STATE_CLEARED", pk.seq);
	if (pk.defaults.p)
		defaults(q, pk.defaults);
	if (pk.interned.p)
		interned_data(q, pk.interned);
	uint64_t ts = pk.ts;
	if (pk.snapshot.p) {
		clock_snapshot(q, pk.snapshot, &ts);
		q->last_ts = ts;
		q->seen = true;
		return;
	}
	if (pk.has_ts && q->incremental && q->default_clock == 64)
		ts = q->last_ts + pk.ts;
	else if (pk.has_ts && q->seen && ts < q->last_ts)
		fail("timestamp goes back on sequence %u", pk.seq);
	if (pk.has_ts) {
		q->last_ts = ts;
		q->seen = true;
	}
	if (pk.descriptor.p)
		track_descriptor(pk.descriptor);
	if (pk.has_state)
		nstates++;
	if (pk.event.p)
		track_event(q, pk.seq, pk.event, ts);
	if (pk.sample.p)
		prof_sample(&q->prof, pk.sample, ts);
}

static void packets(struct span s)
{
	uint64_t v;
	struct span body;

	FOR_FIELDS(s, num, wt, v, body) {
		if (num != 1 || wt != 2) {
			fail("top-level field %u is not Trace.packet", num);
			return;
		}
		packet(body);
	}
}

static uint8_t *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0;

	*n = 0;
	if (!f) {
		perror(path);
		exit(2);
	}
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
		}
		size_t r = fread(buf + *n, 1, cap - *n, f);
		if (!r)
			break;
		*n += r;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--slices"))
			opt_slices = true;
		else if (!strcmp(argv[i], "--dump"))
			opt_dump = true;
		else if (!strcmp(argv[i], "--samples"))
			opt_samples = true;
		else
			break;
	}
	if (i != argc - 1) {
		fputs("usage: pftrace-check [--slices] [--samples] [--dump] FILE\n", stderr);
		return 2;
	}
	file = argv[i];
	size_t n;
	uint8_t *buf = read_all(file, &n);
	packets((struct span){ buf, buf + n });
	if (!opt_dump) {
		for (size_t t = 0; t < ntracks; t++)
			if (tracks[t].depth) {
				fail("%d slices on track %s have no end", tracks[t].depth, tracks[t].name);
			}
		if (!errors)
			printf("packets=%" PRIu64 " slices=%" PRIu64 " instants=%" PRIu64
			       " tracks=%zu task_states=%" PRIu64 " max_depth=%d counters=%" PRIu64
			       " flows=%" PRIu64 " samples=%" PRIu64 "\n", npackets, nslices,
			       ninstants, ntracks, nstates, max_depth, ncounters, nflows, nsamples);
	}
	for (size_t s = 0; s < MAX_SEQ; s++)
		clear_sequence(&seqs[s]);
	for (size_t t = 0; t < ntracks; t++)
		free(tracks[t].stack);
	free(buf);
	return errors ? 1 : 0;
}
