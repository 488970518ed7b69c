/* How records are stored in the per-CPU ring buffers: 8-byte slots, delta-coded.
 *
 * Writers hand over records in their decoded form (trace/record.h: 16 bytes with a
 * 48-bit TSC and the tid); readers get that form back. In between, most records take one
 * 8-byte slot: the tid is not stored (it changes only at context switches, which readers
 * follow), the timestamp is the TSC ticks since the previous record of the same CPU, and
 * functions are stored as offsets from the start of kernel text. A call that returns
 * before anything else is recorded on its CPU is rewritten, in place, from its entry into
 * a one-slot leaf (entry and return together): a leaf call costs 8 bytes, a call with
 * children 16. What does not fit takes two slots (W_LONG, or W_LONG_RET for a return),
 * after a W_SYNC if the time since the previous record does not fit either.
 *
 * A W_RETURN carries no depth: it returns one level above the CPU's last leaf or return
 * (modulo 256), as nearly every return does (its last callee's just came before it). The
 * writers keep that depth per CPU (ring_cpu.last_depth), every W_SYNC carries it, and a
 * return at any other depth (the first one after a context switch, an interrupt, or its
 * own unmerged entry) takes a W_LONG_RET. Entries do not change it.
 *
 * A slot: bit 63 the lap parity (trace/ring.h), bits 59..62 the type, 0..58 the fields.
 * Slots that continue a record (text, the second word of W_LONG, W_LONG_RET and W_SYNC,
 * padding) have type 0, so that one left over from an older lap never passes for a header.
 * Every block of the buffer starts with a W_SYNC, so a reader can start decoding at any
 * block.
 *
 *   W_ENTRY   delta 28 | irq 1 | depth 8 | func 22        call entry
 *   W_LEAF    delta 14 | duration 15 | depth 8 | func 22  call entry and return
 *   W_RETURN  delta 13 | duration 24 | func 22            call return, one level above
 *   W_FUNC    delta 15 | parent 22 | func 22              `function` tracer
 *   W_SWITCH  delta 27 | prev_state 8 | next_tid 12 | prev_tid 12; the tid is next_tid after
 *   W_TEXT    delta 28 | length 13 | flags 8; then ceil(length / 7) slots of 7 bytes
 *   W_LONG    delta 28 | decoded type 3 | w1's bits 59..62; then w1 without them
 *   W_LONG_RET delta 28 | depth 8 | duration bits 0..22; then func 32 | duration bits
 *             23..47 (a call's duration has the TSC's 48 bits)
 *   W_SYNC    tid 12 | depth 8; then the TSC's low 48 bits: the time, tid and last
 *             leaf's or return's depth from here on
 *   W_PAD     count of slots to skip, this one included (block-end padding)
 *   W_LOST    total of the CPU's dropped events so far
 * Deltas and durations are TSC ticks; a leaf's delta and depth are its entry's. Fields are
 * listed from bit 0 up. */
#ifndef TRACE_WIRE_H
#define TRACE_WIRE_H

#define W_TYPE_SHIFT 59
#define W_FUNC_SHIFT 37
#define W_FUNC_BITS 22
#define W_DEPTH_SHIFT 29
#define W_ENTRY_DELTA_BITS 28
#define W_LEAF_DELTA_BITS 14
#define W_LEAF_DUR_SHIFT 14
#define W_LEAF_DUR_BITS 15
#define W_RETURN_DELTA_BITS 13
#define W_RETURN_DUR_SHIFT 13
#define W_RETURN_DUR_BITS 24
#define W_FUNC_DELTA_BITS 15
#define W_PARENT_SHIFT 15
#define W_SWITCH_DELTA_BITS 27
#define W_TEXT_DELTA_BITS 28
#define W_LONG_DELTA_BITS 28
#define W_LONG_HIGH_SHIFT 31
#define W_LONG_RET_DEPTH_SHIFT 28
#define W_LONG_RET_DUR_SHIFT 36
#define W_LONG_RET_DUR_LOW 23 /* duration bits in the header; the rest above func */
#define W_SYNC_DEPTH_SHIFT 12
#define W_SYNC_TSC_BITS 48 /* all a record's time has (record.h) */
#define W_TEXT_SLOT 7 /* text bytes per continuation slot (the top byte stays 0) */

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "trace/record.h"

#define W_LAP_BIT (1ull << 63)
#define W_TYPE_BITS (15ull << W_TYPE_SHIFT)
#define W_FIELDS ((1ull << W_TYPE_SHIFT) - 1)
#define W_ENTRY_IRQ (1ull << 28)
#define W_TID_NONE 0xffffffffu /* a writer's tid when readers cannot know it: sync first */

enum wire_type {
	W_NONE = 0,
	W_ENTRY = 1,
	W_LEAF = 2,
	W_RETURN = 3,
	W_FUNC = 4,
	W_SWITCH = 5,
	W_TEXT = 6,
	W_LONG = 7,
	W_SYNC = 8,
	W_PAD = 9,
	W_LOST = 10,
	W_LONG_RET = 11,
};


static inline uint64_t w_bits(uint64_t v, unsigned shift, unsigned bits)
{
	return (v >> shift) & ((1ull << bits) - 1);
}
static inline enum wire_type w_type(uint64_t w) { return (enum wire_type)((w >> W_TYPE_SHIFT) & 15); }
static inline uint64_t w_make(enum wire_type t, uint64_t fields)
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
		return w_make(W_SWITCH, delta | w_bits(w1, 32, 8) << 27 |
						w_bits(w1, 16, 12) << 35 | w_bits(w1, 0, 12) << 47);
	default:
		return 0;
	}
}

/* The two-slot form of the record r, delta ticks after the previous record (which must
 * fit W_LONG_DELTA_BITS): returns the header, and the slot after it in *second. A return
 * takes a W_LONG_RET (its depth and 48-bit duration), anything else a W_LONG (w1). */
static inline uint64_t wire_long(const struct trace_rec *r, uint64_t delta, uint64_t *second)
{
	uint64_t dur = rec_duration(r) & REC_TSC_MASK;

	if (rec_type(r) != REC_RETURN) {
		*second = r->w1 & ~W_TYPE_BITS;
		return w_make(W_LONG, delta | (uint64_t)rec_type(r) << W_LONG_DELTA_BITS |
					      w_bits(r->w1, W_TYPE_SHIFT, 4) << W_LONG_HIGH_SHIFT);
	}
	*second = rec_func(r) | (dur >> W_LONG_RET_DUR_LOW) << 32;
	return w_make(W_LONG_RET, delta | (uint64_t)rec_depth(r) << W_LONG_RET_DEPTH_SHIFT |
					  w_bits(dur, 0, W_LONG_RET_DUR_LOW) << W_LONG_RET_DUR_SHIFT);
}

/* Merges a call's one-slot entry with its return: the leaf, or 0 if they do not fit one
 * slot (an interrupt's first call, a long delta or duration). */
static inline uint64_t wire_leaf(uint64_t entry, uint64_t duration)
{
	if (w_type(entry) != W_ENTRY || !w_fits(entry & (W_ENTRY_IRQ | ((1ull << W_ENTRY_DELTA_BITS) - 1)),
						 W_LEAF_DELTA_BITS) ||
	    !w_fits(duration, W_LEAF_DUR_BITS))
		return 0;
	return (entry & (W_LAP_BIT | (((1ull << (W_FUNC_BITS + 8)) - 1) << W_DEPTH_SHIFT))) |
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
	uint64_t t;

	switch (w_type(w)) {
	case W_ENTRY:
		t = st->ts + w_bits(w, 0, W_ENTRY_DELTA_BITS);
		*rec = (struct trace_rec){ rec_w0(t, st->tid, REC_ENTRY),
					  (uint32_t)func | w_bits(w, W_DEPTH_SHIFT, 8) << 32 |
					  (uint64_t)(w & W_ENTRY_IRQ ? REC_F_IRQ : 0) << 40, 0 };
		break;
	case W_LEAF: {
		uint64_t dur = w_bits(w, W_LEAF_DUR_SHIFT, W_LEAF_DUR_BITS);

		t = st->ts + w_bits(w, 0, W_LEAF_DELTA_BITS);
		if (half == 0) {
			*rec = (struct trace_rec){ rec_w0(t, st->tid, REC_ENTRY),
						  (uint32_t)func | w_bits(w, W_DEPTH_SHIFT, 8) << 32, 0 };
			*ts = t;
			return 2;
		}
		*rec = (struct trace_rec){ rec_w0(t + dur, st->tid, REC_RETURN),
					  rec_call_w1((uint32_t)func, (unsigned)w_bits(w, W_DEPTH_SHIFT, 8)),
					  dur };
		*ts = t + dur;
		st->ts = t; /* the writer's next delta counts from the entry */
		st->depth = (uint32_t)w_bits(w, W_DEPTH_SHIFT, 8);
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
					  w_bits(w, 47, 12) | w_bits(w, 35, 12) << 16 | w_bits(w, 27, 8) << 32, 0 };
		*ts = t;
		st->ts = t;
		st->tid = (uint32_t)w_bits(w, 35, 12);
		return 1;
	default:
		return 0;
	}
	*ts = t;
	st->ts = t;
	return 1;
}

/* Decodes a W_LONG or W_LONG_RET (header w, then second) at state *st into *rec, *ts. */
static inline void wire_decode_long(uint64_t w, uint64_t second, struct wire_state *st,
				    struct trace_rec *rec, uint64_t *ts)
{
	enum rec_type type = (enum rec_type)w_bits(w, W_LONG_DELTA_BITS, 3);
	uint64_t w1 = (second & ~W_TYPE_BITS) | w_bits(w, W_LONG_HIGH_SHIFT, 4) << W_TYPE_SHIFT;
	uint64_t w2 = 0;

	st->ts += w_bits(w, 0, W_LONG_DELTA_BITS);
	if (w_type(w) == W_LONG_RET) {
		type = REC_RETURN;
		st->depth = (uint32_t)w_bits(w, W_LONG_RET_DEPTH_SHIFT, 8);
		w1 = rec_call_w1((uint32_t)second, st->depth);
		w2 = w_bits(w, W_LONG_RET_DUR_SHIFT, W_LONG_RET_DUR_LOW) |
		     w_bits(second, 32, REC_TSC_BITS - W_LONG_RET_DUR_LOW) << W_LONG_RET_DUR_LOW;
	}
	*rec = (struct trace_rec){ rec_w0(st->ts, st->tid, type), w1, w2 };
	*ts = st->ts;
	if (type == REC_SWITCH) /* the tid from here on */
		st->tid = (uint32_t)(w1 >> 16) & REC_TID_MASK;
}

#endif /* __ASSEMBLER__ */
#endif
