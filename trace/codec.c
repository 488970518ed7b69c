/* The trace record codec's out-of-line part: the encoders of the records that take more
 * than one slot or carry no event, and the decoder of any record (trace/codec.h). Only
 * slow paths call these: the hooks' common records are encoded by the inline
 * wire_encode() and wire_leaf() or by fentry.S, and read by the inline wire_decode1(). */
#include "trace/codec.h"

/* ---- encoders ---- */

uint64_t wire_long(const struct trace_rec *r, uint64_t delta, uint64_t *second)
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

uint64_t wire_sync(uint64_t ts, uint32_t tid, uint32_t depth, uint64_t *second)
{
	*second = ts & ((1ull << W_SYNC_TSC_BITS) - 1); /* type bits 0: a continuation */
	return w_make(W_SYNC, (tid & REC_TID_MASK) |
			      (uint64_t)(depth & 0xff) << W_SYNC_DEPTH_SHIFT);
}

uint64_t wire_pad(uint32_t n)
{
	return w_make(W_PAD, n);
}

uint64_t wire_lost(uint64_t total)
{
	return w_make(W_LOST, total & W_FIELDS);
}

uint32_t wire_text_slots(size_t len)
{
	return 1 + (uint32_t)((len + W_TEXT_SLOT - 1) / W_TEXT_SLOT);
}

uint64_t wire_text(uint64_t delta, size_t len)
{
	return w_make(W_TEXT, delta | (uint64_t)len << W_TEXT_DELTA_BITS);
}

uint64_t wire_event(uint64_t delta, unsigned id, size_t len)
{
	return w_make(W_EVENT, delta | (uint64_t)len << W_TEXT_DELTA_BITS |
				       (uint64_t)(id & 0xffff) << W_EVENT_ID_SHIFT);
}

uint64_t wire_text_slot(const char *s, size_t len, size_t i)
{
	uint64_t w = 0;

	s += i * W_TEXT_SLOT;
	len -= i * W_TEXT_SLOT;
	for (unsigned b = 0; b < W_TEXT_SLOT && b < len; b++)
		w |= (uint64_t)(uint8_t)s[b] << (8 * b);
	return w;
}

/* ---- decoder ---- */

void wire_decode_long(uint64_t w, uint64_t second, struct wire_state *st,
		      struct trace_rec *rec, uint64_t *ts)
{
	enum rec_type type = (enum rec_type)w_bits(w, W_LONG_DELTA_BITS, 3);
	uint64_t w1 = (second & ~W_TYPE_BITS) | w_bits(w, W_LONG_HIGH_SHIFT, 4) << W_TYPE_SHIFT;
	uint64_t w2 = 0;

	st->ts += w_bits(w, 0, W_LONG_DELTA_BITS);
	if (w_type(w) == W_LONG_RET) {
		type = REC_RETURN;
		st->depth = (uint32_t)w_bits(w, W_LONG_RET_DEPTH_SHIFT, CODEC_DEPTH_BITS);
		w1 = rec_call_w1((uint32_t)second, st->depth);
		w2 = w_bits(w, W_LONG_RET_DUR_SHIFT, W_LONG_RET_DUR_LOW) |
		     w_bits(second, 32, REC_TSC_BITS - W_LONG_RET_DUR_LOW) << W_LONG_RET_DUR_LOW;
	}
	*rec = (struct trace_rec){ rec_w0(st->ts, st->tid, type), w1, w2 };
	*ts = st->ts;
	if (type == REC_SWITCH) /* the tid from here on */
		st->tid = (uint32_t)(w1 >> 16) & REC_TID_MASK;
}


/* A W_TEXT or W_EVENT (header w, then its slots in s[1..]): the bytes into text, the
 * event into *rec. Returns the bytes of text. A torn header may give any length: it is cut
 * to what fits both text and the slots readable. */
static unsigned wire_decode_text(uint64_t w, const volatile uint64_t *s, uint32_t avail,
				 struct wire_state *st, struct trace_rec *rec, char *text)
{
	unsigned len = (unsigned)w_bits(w, W_TEXT_DELTA_BITS, W_TEXT_LEN_BITS);

	if (len > W_TEXT_MAX)
		len = W_TEXT_MAX;
	if (len > (avail - 1) * W_TEXT_SLOT)
		len = (avail - 1) * W_TEXT_SLOT;
	for (unsigned i = 0; i < len; i += W_TEXT_SLOT) {
		uint64_t c = s[1 + i / W_TEXT_SLOT];

		for (unsigned b = 0; b < W_TEXT_SLOT && i + b < len; b++)
			text[i + b] = (char)(c >> (8 * b));
	}
	st->ts += w_bits(w, 0, W_TEXT_DELTA_BITS);
	if (w_type(w) == W_EVENT)
		*rec = (struct trace_rec){ rec_w0(st->ts, st->tid, REC_EVENT),
					  w_bits(w, W_EVENT_ID_SHIFT, W_EVENT_ID_BITS) |
					  (uint64_t)len << 16, 0 };
	else
		*rec = (struct trace_rec){ rec_w0(st->ts, st->tid, REC_TEXT), len, 0 };
	return len;
}

struct wire_span wire_decode(const volatile uint64_t *s, uint32_t avail, unsigned half,
			     const struct wire_env *env, struct wire_state *st,
			     struct trace_rec *rec, uint64_t *ts, char *text)
{
	struct wire_span sp = { .kind = WIRE_EVENT, .slots = 1, .events = 1 };
	uint64_t w = s[0];
	wire_type t = w_type(w);

	if ((t == W_SYNC || t == W_LONG || t == W_LONG_RET) && avail < 2)
		t = W_NONE; /* torn: the record cannot be there */
	switch (t) {
	case W_SYNC:
		wire_decode_sync(w, s[1], env->now(), st);
		return (struct wire_span){ .kind = WIRE_SKIP, .slots = 2 };
	case W_PAD:
		sp.slots = w_bits(w, 0, 32) >= 1 && w_bits(w, 0, 32) <= CODEC_BLOCK_SLOTS ?
				   (uint32_t)w_bits(w, 0, 32) : 1;
		return (struct wire_span){ .kind = WIRE_SKIP, .slots = sp.slots };
	case W_LOST:
		return (struct wire_span){ .kind = WIRE_LOST, .slots = 1,
					   .lost_total = w & W_FIELDS };
	case W_TEXT:
	case W_EVENT:
		sp.text_len = wire_decode_text(w, s, avail, st, rec, text);
		sp.slots = wire_text_slots(sp.text_len);
		*ts = st->ts;
		return sp;
	case W_LONG:
	case W_LONG_RET:
		wire_decode_long(w, s[1], st, rec, ts);
		sp.slots = 2;
		return sp;
	default:
		sp.events = wire_decode1(w, half, st, rec, ts, env->text_base);
		if (!sp.events)
			sp.kind = WIRE_SKIP; /* a type this reader does not know: skip the slot */
		return sp;
	}
}
