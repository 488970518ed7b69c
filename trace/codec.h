/* The trace record codec: the decoded form of a record (struct trace_rec), its slot form
 * (the format in trace/codec_format.h, version CODEC_VERSION), and the encoders and
 * decoders between them. The same source is compiled into the kernel, the host tests and
 * the host tools, so every reader of ring blocks decodes them as the writers encoded
 * them. The one-slot encoders and decoders are inline: the C hooks and the readers' batch
 * path run them for every event. The rest is in trace/codec.c.
 *
 * Names: rec_* read and build the decoded form, w_* are slot bit helpers, wire_* encode
 * and decode slots. The codec keeps no state of its own: a writer passes the time and
 * depth of its CPU's last record, a reader a struct wire_state. */
#ifndef TRACE_CODEC_H
#define TRACE_CODEC_H

#include <stddef.h>
#include <stdint.h>
#include "trace/codec_format.h"

/* ---- the decoded form ----
 *
 * A trace record as writers hand it to the ring buffer and readers get it back: three u64
 * words, the third used by returns only.
 * word0: bits 0..47 TSC (48 bits: 30 h at 2.6 GHz), bits 48..59 tid (12 bits), 60..62 type.
 * word1: depends on type:
 *   REC_ENTRY   func (32) | depth (8) << 32 | flags (8) << 40          one per call entry
 *   REC_RETURN  func (32) | depth (8) << 32                           one per call return
 *               word2: the duration in TSC ticks, exact (a call lasts less than the
 *               TSC's 48 bits); the depth is the entry's, as in Linux's funcgraph_exit,
 *               so a return whose entry is not in the buffer still prints at its depth
 *   REC_FUNC    ip (32) | parent_ip (32) << 32                         `function` tracer
 *   REC_SWITCH  prev_tid (16) | next_tid (16) << 16 | prev_state (8) << 32  context switch
 *   REC_TEXT    length in bytes (trace_marker, tracer messages); readers return the
 *               text next to the record (struct ring_event)
 *   REC_EVENT   event id (16) | payload length in bytes (16) << 16: a trace event
 *               (trace/events.h); readers return the payload where they return a
 *               REC_TEXT's text
 * Kernel text lives below 4 GiB (identity map, small code model), so 32-bit addresses
 * suffice. Type 0 (REC_NONE) is no record. */
enum rec_type {
	REC_NONE = 0,
	REC_ENTRY = 1,
	REC_RETURN = 2,
	REC_FUNC = 3,
	REC_SWITCH = 4,
	REC_TEXT = 5,
	REC_EVENT = 6,
};

/* REC_SWITCH: prev_state's top bit (TS_EVENT in trace/event_format.h): the sched_switch
 * event was on, so the switch prints as a line of its own; without it, it prints none. */
#define REC_SWITCH_SHOWN (1ull << 39)
#define W_SWITCH_SHOWN (1ull << (W_SWITCH_STATE_SHIFT + 7))

/* REC_ENTRY flags */
#define REC_F_IRQ 0x01 /* first function entered from an interrupt (irq entry marker) */

struct trace_rec {
	uint64_t w0;
	uint64_t w1;
	uint64_t w2; /* REC_RETURN: the duration; 0 for other types */
};

#define REC_TSC_BITS CODEC_TSC_BITS
#define REC_TSC_MASK ((1ull << REC_TSC_BITS) - 1)
#define REC_TID_MASK ((1u << CODEC_TID_BITS) - 1)

static inline uint64_t rec_w0(uint64_t tsc, unsigned tid, enum rec_type type)
{
	return (tsc & REC_TSC_MASK) | ((uint64_t)(tid & REC_TID_MASK) << 48) | ((uint64_t)type << 60);
}
static inline uint64_t rec_tsc(const struct trace_rec *r) { return r->w0 & REC_TSC_MASK; }
static inline unsigned rec_tid(const struct trace_rec *r) { return (r->w0 >> 48) & REC_TID_MASK; }
static inline enum rec_type rec_type(const struct trace_rec *r)
{
	return (enum rec_type)((r->w0 >> 60) & 7);
}
/* Whether readers number and count the record as an event (trace/ring.h): every record but
 * a switch that prints no line. A switch slot (W_SWITCH) says the same by W_SWITCH_SHOWN. */
static inline int rec_numbered(const struct trace_rec *r)
{
	return rec_type(r) != REC_SWITCH || (r->w1 & REC_SWITCH_SHOWN);
}
static inline uint32_t rec_func(const struct trace_rec *r) { return (uint32_t)r->w1; }
static inline unsigned rec_depth(const struct trace_rec *r) { return (r->w1 >> 32) & 0xff; }
static inline unsigned rec_flags(const struct trace_rec *r) { return (r->w1 >> 40) & 0xff; }
static inline uint64_t rec_duration(const struct trace_rec *r) { return r->w2; }
static inline uint32_t rec_parent(const struct trace_rec *r) { return (uint32_t)(r->w1 >> 32); }
static inline unsigned rec_event_id(const struct trace_rec *r) { return r->w1 & 0xffff; }
static inline unsigned rec_event_len(const struct trace_rec *r) { return (r->w1 >> 16) & 0xffff; }
/* Whether the record carries bytes next to it (a marker's text, an event's payload). */
static inline int rec_has_payload(const struct trace_rec *r)
{
	return rec_type(r) == REC_TEXT || rec_type(r) == REC_EVENT;
}

/* REC_ENTRY's and REC_RETURN's word1: the function and the call depth. */
static inline uint64_t rec_call_w1(uint32_t func, unsigned depth)
{
	return func | (uint64_t)(depth & 0xff) << 32;
}

/* ---- the slot form ---- */

#define W_LAP_BIT (1ull << W_LAP_SHIFT)
#define W_TYPE_BITS (15ull << W_TYPE_SHIFT)
#define W_FIELDS ((1ull << W_TYPE_SHIFT) - 1)
#define W_ENTRY_IRQ (1ull << W_ENTRY_IRQ_SHIFT)
#define W_TID_NONE 0xffffffffu /* a writer's tid when readers cannot know it: sync first */

/* A slot's type: W_NONE .. W_LONG_RET (trace/codec_format.h). */
typedef unsigned wire_type;

static inline uint64_t w_bits(uint64_t v, unsigned shift, unsigned bits)
{
	return (v >> shift) & ((1ull << bits) - 1);
}
static inline wire_type w_type(uint64_t w) { return (wire_type)((w >> W_TYPE_SHIFT) & 15); }
static inline uint64_t w_make(wire_type t, uint64_t fields)
{
	return (uint64_t)t << W_TYPE_SHIFT | fields;
}

/* Whether v fits in bits bits. */
static inline int w_fits(uint64_t v, unsigned bits) { return v < 1ull << bits; }

/* One-slot form of the decoded record r, delta ticks after the previous record, with
 * functions relative to text_base, after a leaf or return at depth `last` (a W_RETURN's
 * implied depth); 0 if it has none (then W_LONG or W_LONG_RET). */
static inline uint64_t wire_encode(const struct trace_rec *r, uint64_t delta, uint64_t text_base,
				   unsigned last)
{
	uint64_t w1 = r->w1;
	/* Offsets modulo 2^32, as the 32-bit addresses: the fast paths compute them so. */
	uint64_t func = (uint32_t)(rec_func(r) - (uint32_t)text_base);

	switch (rec_type(r)) {
	case REC_ENTRY:
		if (!w_fits(delta, W_ENTRY_DELTA_BITS) || !w_fits(func, W_FUNC_BITS) ||
		    (rec_flags(r) & ~REC_F_IRQ))
			return 0;
		return w_make(W_ENTRY, delta | (rec_flags(r) & REC_F_IRQ ? W_ENTRY_IRQ : 0) |
					       (uint64_t)rec_depth(r) << W_DEPTH_SHIFT |
					       func << W_FUNC_SHIFT);
	case REC_RETURN:
		if (!w_fits(delta, W_RETURN_DELTA_BITS) || !w_fits(func, W_FUNC_BITS) ||
		    !w_fits(rec_duration(r), W_RETURN_DUR_BITS) || (w1 >> 40) ||
		    ((rec_depth(r) + 1) & 0xff) != (last & 0xff))
			return 0;
		return w_make(W_RETURN, delta | rec_duration(r) << W_RETURN_DUR_SHIFT |
						func << W_FUNC_SHIFT);
	case REC_FUNC: {
		uint64_t parent = (uint32_t)(rec_parent(r) - (uint32_t)text_base);

		if (!w_fits(delta, W_FUNC_DELTA_BITS) || !w_fits(func, W_FUNC_BITS) ||
		    !w_fits(parent, W_FUNC_BITS))
			return 0;
		return w_make(W_FUNC, delta | parent << W_PARENT_SHIFT | func << W_FUNC_SHIFT);
	}
	case REC_SWITCH:
		if (!w_fits(delta, W_SWITCH_DELTA_BITS) || (w1 >> 40) ||
		    ((w1 >> 16) & 0xffff) > REC_TID_MASK || (w1 & 0xffff) > REC_TID_MASK)
			return 0;
		return w_make(W_SWITCH, delta |
					w_bits(w1, 32, 8) << W_SWITCH_STATE_SHIFT |
					w_bits(w1, 16, CODEC_TID_BITS) << W_SWITCH_NEXT_SHIFT |
					w_bits(w1, 0, CODEC_TID_BITS) << W_SWITCH_PREV_SHIFT);
	default:
		return 0;
	}
}

/* Merges a call's one-slot entry with its return: the leaf, or 0 if they do not fit one
 * slot (an interrupt's first call, a long delta or duration). */
static inline uint64_t wire_leaf(uint64_t entry, uint64_t duration)
{
	/* The lap bit, the depth and the function stay where they are. */
	const uint64_t kept = ((1ull << (W_FUNC_BITS + CODEC_DEPTH_BITS)) - 1) << W_DEPTH_SHIFT;

	if (w_type(entry) != W_ENTRY || (entry & W_ENTRY_NOT_LEAF_MASK) ||
	    !w_fits(duration, W_LEAF_DUR_BITS))
		return 0;
	return (entry & (W_LAP_BIT | kept)) |
	       w_make(W_LEAF, duration << W_LEAF_DUR_SHIFT | w_bits(entry, 0, W_LEAF_DELTA_BITS));
}

/* Decoding state: the time of the previous record, the tid from here on, and the depth
 * of the last leaf or return (a W_RETURN is one level above it). */
struct wire_state {
	uint64_t ts; /* full TSC */
	uint32_t tid;
	uint32_t depth;
};

/* Decodes a one-slot record that holds events (W_ENTRY .. W_SWITCH): the event number
 * `half` of it (a leaf holds two: its entry, then its return) into *rec and *ts, and the
 * state after the whole slot into *st (not changed before the last event of the slot is
 * taken). Returns the number of events in the slot, 0 for any other type. */
static inline unsigned wire_decode1(uint64_t w, unsigned half, struct wire_state *st,
				    struct trace_rec *rec, uint64_t *ts, uint64_t text_base)
{
	uint64_t func = text_base + w_bits(w, W_FUNC_SHIFT, W_FUNC_BITS);
	unsigned depth = (unsigned)w_bits(w, W_DEPTH_SHIFT, CODEC_DEPTH_BITS); /* entry, leaf */
	uint64_t t;

	switch (w_type(w)) {
	case W_ENTRY:
		t = st->ts + w_bits(w, 0, W_ENTRY_DELTA_BITS);
		*rec = (struct trace_rec){ rec_w0(t, st->tid, REC_ENTRY),
					  rec_call_w1((uint32_t)func, depth) |
					  (uint64_t)(w & W_ENTRY_IRQ ? REC_F_IRQ : 0) << 40, 0 };
		break;
	case W_LEAF: {
		uint64_t dur = w_bits(w, W_LEAF_DUR_SHIFT, W_LEAF_DUR_BITS);

		t = st->ts + w_bits(w, 0, W_LEAF_DELTA_BITS);
		if (half == 0) {
			*rec = (struct trace_rec){ rec_w0(t, st->tid, REC_ENTRY),
						  rec_call_w1((uint32_t)func, depth), 0 };
			*ts = t;
			return 2;
		}
		*rec = (struct trace_rec){ rec_w0(t + dur, st->tid, REC_RETURN),
					  rec_call_w1((uint32_t)func, depth),
					  dur };
		*ts = t + dur;
		st->ts = t; /* the writer's next delta counts from the entry */
		st->depth = depth;
		return 2;
	}
	case W_RETURN:
		t = st->ts + w_bits(w, 0, W_RETURN_DELTA_BITS);
		st->depth = (st->depth - 1) & 0xff; /* one level above the last leaf or return */
		*rec = (struct trace_rec){ rec_w0(t, st->tid, REC_RETURN),
					  rec_call_w1((uint32_t)func, st->depth),
					  w_bits(w, W_RETURN_DUR_SHIFT, W_RETURN_DUR_BITS) };
		break;
	case W_FUNC:
		t = st->ts + w_bits(w, 0, W_FUNC_DELTA_BITS);
		*rec = (struct trace_rec){ rec_w0(t, st->tid, REC_FUNC),
					  (uint32_t)func | (uint64_t)(uint32_t)(text_base +
						w_bits(w, W_PARENT_SHIFT, W_FUNC_BITS)) << 32, 0 };
		break;
	case W_SWITCH:
		t = st->ts + w_bits(w, 0, W_SWITCH_DELTA_BITS);
		*rec = (struct trace_rec){ rec_w0(t, st->tid, REC_SWITCH),
					  w_bits(w, W_SWITCH_PREV_SHIFT, CODEC_TID_BITS) |
					  w_bits(w, W_SWITCH_NEXT_SHIFT, CODEC_TID_BITS) << 16 |
					  w_bits(w, W_SWITCH_STATE_SHIFT, 8) << 32, 0 };
		*ts = t;
		st->ts = t;
		st->tid = (uint32_t)w_bits(w, W_SWITCH_NEXT_SHIFT, CODEC_TID_BITS);
		return 1;
	default:
		return 0;
	}
	*ts = t;
	st->ts = t;
	return 1;
}

/* A timestamp of `bits` bits widened against a recent clock reading `now` (it may lie on
 * either side of it, by less than half its range). */
static inline uint64_t wire_widen_ts(uint64_t ts, uint64_t now, unsigned bits)
{
	uint64_t mask = (1ull << bits) - 1, back = (now - ts) & mask;

	if (back > mask / 2)
		return now + (mask + 1 - back);
	return now - back;
}

/* The state a W_SYNC (header w, then the slot with its TSC) sets: its 48-bit time is
 * widened against now, a recent TSC (a ring reader's clock, or a stream's previous
 * record). Inline: a capture decoder meets one every few hundred records. */
static inline void wire_decode_sync(uint64_t w, uint64_t tsc, uint64_t now, struct wire_state *st)
{
	st->ts = wire_widen_ts(tsc & ((1ull << W_SYNC_TSC_BITS) - 1), now, W_SYNC_TSC_BITS);
	st->tid = (uint32_t)w_bits(w, 0, CODEC_TID_BITS);
	st->depth = (uint32_t)w_bits(w, W_SYNC_DEPTH_SHIFT, CODEC_DEPTH_BITS);
}

/* ---- encoders of the other records (trace/codec.c) ---- */

/* The two-slot form of the record r, delta ticks after the previous record (which must
 * fit W_LONG_DELTA_BITS): returns the header, and the slot after it in *second. A return
 * takes a W_LONG_RET (its depth and 48-bit duration), anything else a W_LONG (w1). */
uint64_t wire_long(const struct trace_rec *r, uint64_t delta, uint64_t *second);
/* A W_SYNC: the header, and the TSC ts in *second. From there on readers know the time,
 * the tid and the depth of the last leaf or return. */
uint64_t wire_sync(uint64_t ts, uint32_t tid, uint32_t depth, uint64_t *second);
/* A W_PAD that covers n slots, itself included (the rest must be zero slots). */
uint64_t wire_pad(uint32_t n);
/* A W_LOST: the CPU's total of dropped events so far. */
uint64_t wire_lost(uint64_t total);
/* Slots a W_TEXT of len bytes (at most W_TEXT_MAX) takes, its header included. */
uint32_t wire_text_slots(size_t len);
/* A W_TEXT's header: len bytes, delta ticks after the previous record (must fit
 * W_TEXT_DELTA_BITS). */
uint64_t wire_text(uint64_t delta, size_t len);
/* Continuation slot i (from 0) of a W_TEXT holding s[0..len), or of a W_EVENT's payload. */
uint64_t wire_text_slot(const char *s, size_t len, size_t i);
/* A W_EVENT's header: event id with a payload of len bytes (at most W_TEXT_MAX; it takes
 * wire_text_slots(len) slots like a text), delta ticks after the previous record. */
uint64_t wire_event(uint64_t delta, unsigned id, size_t len);

/* ---- the whole decoder (trace/codec.c) ---- */

/* Decodes a W_LONG or W_LONG_RET (header w, then second) at state *st into *rec, *ts. */
void wire_decode_long(uint64_t w, uint64_t second, struct wire_state *st,
		      struct trace_rec *rec, uint64_t *ts);

/* What a reader needs besides the slots. */
struct wire_env {
	uint64_t text_base;   /* functions are stored as offsets from here */
	uint64_t (*now)(void); /* a recent TSC: a W_SYNC's 48 bits are widened against it */
};

enum wire_kind {
	WIRE_EVENT, /* an event in *rec (and *ts, text) */
	WIRE_SKIP,  /* no event: a W_SYNC (applied to the state), W_PAD, or an unknown type */
	WIRE_LOST,  /* a W_LOST: lost_total holds the CPU's drop total */
};

/* One record as wire_decode() found it. */
struct wire_span {
	enum wire_kind kind;
	uint32_t slots;      /* the slots the record takes */
	unsigned events;     /* events in it: 2 for a leaf, else 1 (0 if kind is not WIRE_EVENT) */
	unsigned text_len;   /* REC_TEXT, REC_EVENT: bytes copied to text */
	uint64_t lost_total; /* WIRE_LOST */
};

/* Decodes the record whose header is s[0] (committed, as its lap bit tells: trace/ring.h;
 * not W_NONE), reading at most `avail` slots from s: event number `half` of it into *rec
 * and *ts (a leaf holds two), a REC_TEXT's or REC_EVENT's bytes into text (W_TEXT_MAX bytes of room),
 * and the state after it into *st (as wire_decode1(): not before the last event of the
 * record is taken). The slots are read once each, through volatile loads: a concurrent
 * reader checks afterwards whether a writer overtook them. */
struct wire_span wire_decode(const volatile uint64_t *s, uint32_t avail, unsigned half,
			     const struct wire_env *env, struct wire_state *st,
			     struct trace_rec *rec, uint64_t *ts, char *text);

#endif
