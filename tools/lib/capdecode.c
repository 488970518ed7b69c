/* Decoding a capture's slot streams with the kernel's own decoder (trace/codec.c's
 * wire_decode(), which ring.c's readers use too). Around it, what a stream of received
 * frames needs and a live ring does not: records cut by a frame's end wait for the next
 * frame, gaps restart decoding at a W_SYNC, and a W_SYNC's 48-bit time is widened against
 * the CPU's previous record (a ring reader widens it against the clock now). */
#include "tools/lib/capdecode.h"

#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"

/* A gap in a CPU's stream (a frame flagged GAP, or a jump in sequence numbers), as a
 * slot put where a record starts: all ones is type 15, which no record has. Decoding
 * restarts at the next W_SYNC and reports an unknown number of lost events. (Received
 * slots keep their lap bit: the decoders ignore it in a record's first slot, and in the
 * slots after it, bit 63 is data.) */
#define CAPDEC_GAP (~0ull)

void capdec_init(struct capdec *d, struct capture *c)
{
	memset(d, 0, sizeof(*d));
	d->cap = c;
	d->text_base = capture_header(c)->text_base;
	for (unsigned i = 0; i < RAWHDR_MAX_CPUS; i++) {
		d->cpu[i].st.ts = capture_header(c)->tsc_boot;
		/* W_LOST markers carry totals since the buffers were allocated; drops before
		 * the last clear are not reported (as the guest's readers do). */
		d->cpu[i].drops = capture_header(c)->cpu[i].lost_at_clear;
	}
}

void capdec_free(struct capdec *d)
{
	for (unsigned i = 0; i < RAWHDR_MAX_CPUS; i++)
		free(d->cpu[i].own);
}

/* Appends n slots (at w, not necessarily aligned) to the CPU's stream. */
static void push_slots(struct capdec_cpu *c, const void *w, size_t n)
{
	if (c->borrowed) {
		/* What is left of a borrowed frame moves to own storage first. */
		size_t left = c->end - c->start;

		xgrow((void **)&c->own, &c->cap, left + n, sizeof(uint64_t));
		memcpy(c->own, c->slots + c->start, left * sizeof(uint64_t));
		c->next_start -= c->start;
		c->start = 0;
		c->end = left;
		c->borrowed = false;
	} else if (c->end + n > c->cap && c->start > c->cap / 2) {
		/* Compact instead of growing: the decoded part is no longer needed. */
		memmove(c->own, c->own + c->start, (c->end - c->start) * sizeof(uint64_t));
		c->end -= c->start;
		c->next_start -= c->start;
		c->start = 0;
	}
	xgrow((void **)&c->own, &c->cap, c->end + n, sizeof(uint64_t));
	memcpy(c->own + c->end, w, n * sizeof(uint64_t));
	c->end += n;
	c->slots = c->own;
}

/* Whether frame f's payload can be decoded where it is instead of copied: nothing of the
 * CPU's stream is left to decode before it, and the payload stays (a mapped file) and is
 * aligned (glass record pads the header so that payloads are). The copy was 5 % of glass
 * report's time. */
static bool can_borrow(const struct capdec *d, const struct capdec_cpu *c,
		       const struct cap_frame *f)
{
	return d->cap && capture_payloads_stay(d->cap) && c->start == c->end &&
	       !((uintptr_t)f->payload % _Alignof(uint64_t));
}

/* Appends frame f to its CPU's stream, after a gap marker if slots were lost before it. */
static void add_frame(struct capdec *d, const struct cap_frame *f)
{
	struct capdec_cpu *c = &d->cpu[f->cpu];

	d->frames++;
	d->bytes += f->len;
	d->last_cpu = (int)f->cpu;
	if ((f->flags & CAP_FRAME_GAP) || (c->last_seq && f->seq != c->last_seq + 1)) {
		const uint64_t gap = CAPDEC_GAP;

		push_slots(c, &gap, 1);
	}
	c->last_seq = f->seq;
	if (can_borrow(d, c, f)) {
		c->slots = (const uint64_t *)(const void *)f->payload;
		c->start = c->next_start = 0;
		c->end = f->len / 8;
		c->borrowed = true;
		return;
	}
	push_slots(c, f->payload, f->len / 8);
}

/* Appends the file's next frame to its CPU's stream; false at the end of the frames. */
static bool pull_frame(struct capdec *d)
{
	struct cap_frame f;
	int r;

	if (d->eof || d->no_pull)
		return false;
	r = capture_next(d->cap, &f);
	if (r <= 0) {
		d->eof = true;
		d->failed = r < 0;
		return false;
	}
	add_frame(d, &f);
	return true;
}

/* Makes n slots from start on available; false if the file ends first. */
static bool have_slots(struct capdec *d, struct capdec_cpu *c, size_t n)
{
	while (c->end - c->start < n)
		if (!pull_frame(d))
			return false;
	return true;
}

/* The time a W_SYNC's 48 bits are widened against: the codec asks through a function
 * without context (env.now); one decoder runs at a time, set just before each call. */
static uint64_t widen_ref;

static uint64_t widen_now(void)
{
	return widen_ref;
}

/* Slots the record whose first slot is w takes, as wire_decode() will count them. */
static size_t record_slots(uint64_t w)
{
	size_t len;

	switch (w_type(w)) {
	case W_SYNC:
	case W_LONG:
	case W_LONG_RET:
		return 2;
	case W_PAD:
		len = (size_t)w_bits(w, 0, 32);
		return len >= 1 && len <= CODEC_BLOCK_SLOTS ? len : 1;
	case W_TEXT:
	case W_EVENT:	/* the same length field */
		len = (size_t)w_bits(w, W_TEXT_DELTA_BITS, W_TEXT_LEN_BITS);
		return wire_text_slots(len < W_TEXT_MAX ? len : W_TEXT_MAX);
	default:
		return 1;
	}
}

/* Decodes the record at the CPU's start: 0 if it holds the event ev (the slots it leaves
 * behind in *n: 0 for a leaf's entry, whose return is in the same slot), else the slots
 * to skip (a sync, padding, a loss marker, an unknown type, or slots before the first
 * W_SYNC; its state change applied), or 0 with *n beyond the slots there are (a record cut
 * by the end of the file). */
static size_t step(struct capdec *d, struct capdec_cpu *c, uint64_t w, struct out_event *ev,
		   size_t *n)
{
	const struct wire_env env = { capture_header(d->cap)->text_base, widen_now };
	struct wire_span sp;

	c->next_st = c->st;
	c->next_half = 0;
	*n = 1;
	if (w == CAPDEC_GAP) {
		c->synced = false;
		c->lost = OUT_LOST_UNKNOWN;
		return 1;
	}
	if (!c->synced && w_type(w) != W_SYNC)
		return 1;
	*n = record_slots(w);
	if (!have_slots(d, c, *n))
		return 0;
	widen_ref = c->st.ts;
	sp = wire_decode(c->slots + c->start, (uint32_t)*n, c->half, &env, &c->next_st, &ev->rec,
			 &ev->ts, c->text);
	switch (sp.kind) {
	case WIRE_SKIP:
		if (w_type(w) == W_SYNC)
			c->synced = true;
		c->st = c->next_st;
		return sp.slots;
	case WIRE_LOST:
		if (sp.lost_total > c->drops) {
			if (c->lost != OUT_LOST_UNKNOWN)
				c->lost += sp.lost_total - c->drops;
			c->drops = sp.lost_total;
		}
		return 1;
	default:
		*n = sp.slots;
		if (rec_has_payload(&ev->rec)) {	/* a marker's text, an event's payload */
			ev->text = c->text;
			ev->text_len = sp.text_len;
		}
		if (c->half + 1 < sp.events) {
			*n = 0;	/* the leaf's return is next, in the same slot */
			c->next_half = c->half + 1;
		}
		return 0;
	}
}

/* The common case, many events at once: one-slot records with events (entry, leaf,
 * return, function, switch), the two-slot W_LONG and W_LONG_RET (a delta or a duration
 * too long for one slot: about one record in seven) and W_SYNC (every block starts with
 * one, and a long pause takes one) in a synced stream, decoded into
 * ev[0..max) with the codec's inline decoders until any other record or the end of the
 * slots read so far. Returns the events made; max must leave room for a leaf's two. Only
 * events with a payload have a text: text and text_len are left alone here. */
static unsigned fill_fast(struct capdec *d, struct capdec_cpu *c, struct out_event *ev,
			  unsigned max)
{
	const uint64_t *slots = c->slots;
	const uint64_t base = d->text_base;
	size_t pos = c->start, end = c->end;
	struct wire_state st = c->st;
	uint64_t lost = c->lost;
	unsigned n = 0, unnumbered = 0;

	if (!c->synced || c->half)
		return 0;
	while (n + 2 <= max && pos < end) {
		uint64_t w = slots[pos];
		wire_type t = w_type(w);
		struct out_event *e = &ev[n];

		if (t >= W_ENTRY && t <= W_SWITCH) { /* the gap marker is type 15 */
			if (wire_decode1(w, 0, &st, &e->rec, &e->ts, base) == 2) {
				/* a leaf: its entry, then its return (which moves the state) */
				wire_decode1(w, 1, &st, &e[1].rec, &e[1].ts, base);
				e[1].lost = 0;
				n++;
			}
			unnumbered += t == W_SWITCH && !(w & W_SWITCH_SHOWN);
			pos++;
		} else if ((t == W_LONG || t == W_LONG_RET) && end - pos >= 2) {
			wire_decode_long(w, slots[pos + 1], &st, &e->rec, &e->ts);
			unnumbered += !rec_numbered(&e->rec);
			pos += 2;
		} else if (t == W_SYNC && end - pos >= 2) {
			/* no event: widened against the previous record, as step() does */
			wire_decode_sync(w, slots[pos + 1], st.ts, &st);
			pos += 2;
			continue;
		} else {
			break;
		}
		e->lost = lost;
		lost = 0;
		n++;
	}
	c->start = pos;
	c->st = st;
	c->lost = lost;
	c->events += n - unnumbered;
	return n;
}

/* Everything but the common case, one event at a time: out of line, so that the common
 * case pays no prologue for the registers this needs. */
static __attribute__((noinline)) bool peek_slow(struct capdec *d, struct capdec_cpu *c,
						 unsigned cpu, struct out_event *ev)
{
	for (;;) {
		size_t n, skip;

		if (!have_slots(d, c, 1))
			break;
		ev->text = NULL;
		ev->text_len = 0;
		skip = step(d, c, c->slots[c->start], ev, &n);
		if (skip) {
			c->start += skip < c->end - c->start ? skip : c->end - c->start;
			c->half = 0;
			continue;
		}
		if (c->end - c->start < n)
			break;	/* a record cut by the end of the file */
		ev->lost = c->lost;
		c->numbered = rec_numbered(&ev->rec);
		c->next_start = c->start + n;
		return true;
	}
	if (d->eof && !d->no_pull && !c->ended) {
		/* Drops after the stream's last W_LOST marker: the header's total (the trailer's,
		 * taken when the recording ended, if there is one) says how many, as a ring
		 * snapshot reports the drops counted when it was opened. */
		const struct rawhdr *h = capture_trailer(d->cap);
		uint64_t total = (h ? h : capture_header(d->cap))->cpu[cpu].lost;

		c->ended = true;
		if (total > c->drops && c->lost != OUT_LOST_UNKNOWN)
			c->lost += total - c->drops;
	}
	if (!c->lost)
		return false;
	/* Losses after the last event: a count-only event, as ring.c's readers hand out. */
	*ev = (struct out_event){ .lost = c->lost };
	c->numbered = false;
	c->next_start = c->start;
	c->next_half = c->half;
	c->next_st = c->st;
	return true;
}

/* Moves past the event peek_slow() made. */
static void take_slow(struct capdec_cpu *c)
{
	c->events += c->numbered;
	c->lost = 0;
	c->start = c->next_start;
	c->half = c->next_half;
	c->st = c->next_st;
}

unsigned capdec_fill(void *ctx, unsigned cpu, const struct out_event **evs)
{
	struct capdec *d = ctx;
	struct capdec_cpu *c = &d->cpu[cpu];
	struct out_event *run = c->run;
	unsigned n = 0;

	*evs = run;
	for (;;) {
		n += fill_fast(d, c, run + n, CAPDEC_RUN - n);
		if (n + 2 > CAPDEC_RUN || !peek_slow(d, c, cpu, &run[n]))
			break;
		take_slow(c);
		/* A marker's text is in c->text until the next fill; a count-only event is the
		 * stream's last. */
		if (rec_has_payload(&run[n++].rec) || rec_type(&run[n - 1].rec) == REC_NONE)
			break;
	}
	return n;
}

void capdec_consume(void *ctx, unsigned cpu, unsigned n)
{
	/* capdec_fill() moved past the events already: nothing else reads the stream */
	(void)ctx;
	(void)cpu;
	(void)n;
}

/* Counts the numbered events of c's slots from start on, as capdec_fill() would
 * hand them out, without making them: one-slot records by their type, others through the
 * codec. Stops before a record that is not whole yet. */
static void count_slots(struct capdec *d, struct capdec_cpu *c)
{
	const struct wire_env env = { d->text_base, widen_now };
	const uint64_t *w = c->slots;
	size_t pos = c->start, end = c->end;
	uint64_t events = 0;

	while (pos < end) {
		uint64_t x = w[pos];
		struct trace_rec rec;
		struct wire_span sp;
		uint64_t ts;
		size_t n;

		if (x == CAPDEC_GAP) {
			c->synced = false;
			pos++;
			continue;
		}
		switch (c->synced ? w_type(x) : W_SYNC) {
		case W_ENTRY:
		case W_RETURN:
		case W_FUNC:
			events++;
			pos++;
			continue;
		case W_LEAF:
			events += 2;
			pos++;
			continue;
		case W_SWITCH:
			events += !!(x & W_SWITCH_SHOWN);
			pos++;
			continue;
		default:
			break;
		}
		if (!c->synced && w_type(x) != W_SYNC) {
			pos++;
			continue;
		}
		n = record_slots(x);
		if (end - pos < n)
			break;
		/* the other known records by their type: their times do not matter here */
		if (c->synced && w_type(x) != W_SYNC) {
			unsigned known = 1;

			switch (w_type(x)) {
			case W_LONG: /* one event, of the type in bits 28..30; a switch is
				      * decoded below: its flag is in the second slot */
				if (w_bits(x, W_LONG_DELTA_BITS, 3) == REC_SWITCH)
					known = 0;
				else
					events++;
				break;
			case W_LONG_RET:
			case W_TEXT:
				events++;
				break;
			case W_PAD:
			case W_LOST:
				break;
			default:
				known = 0;
			}
			if (known) {
				pos += n;
				continue;
			}
		}
		widen_ref = c->st.ts;
		sp = wire_decode(w + pos, (uint32_t)n, 0, &env, &c->st, &rec, &ts, c->text);
		if (w_type(x) == W_SYNC)
			c->synced = true;
		if (sp.kind == WIRE_EVENT && rec_numbered(&rec))
			events += sp.events;
		pos += sp.slots ? sp.slots : 1;
	}
	c->start = pos;
	c->events += events;
}

void capdec_init_counter(struct capdec *d)
{
	memset(d, 0, sizeof(*d));
	d->eof = true;	/* no file to pull frames from */
}

void capdec_count_frame(struct capdec *d, const struct cap_frame *f)
{
	if (f->cpu >= RAWHDR_MAX_CPUS)
		return;
	add_frame(d, f);
	count_slots(d, &d->cpu[f->cpu]);
}

bool capdec_count(struct capdec *d)
{
	while (pull_frame(d))
		count_slots(d, &d->cpu[d->last_cpu]);
	return !d->failed;
}
