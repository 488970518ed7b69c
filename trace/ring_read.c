/* The ring buffer's readers: snapshots and the consuming reader of each CPU, with the
 * batch of one-slot records the inline peek uses (trace/ring.h); records are decoded by
 * the codec (trace/codec.h). */
#include <errno.h>
#include "trace/config.h"
#include "trace/ring_internal.h"

/* The oldest block no writer has started to overwrite, and its first event's number.
 * False if that cannot be told right now (its first record is still being written). */
bool ring_oldest_block(const struct ring_cpu *rc, uint32_t *pos, uint64_t *seq)
{
	for (int tries = 0; tries < 4; tries++) {
		uint32_t q = ((uint32_t)rc->head - (rc->mask + 1) + RING_BLOCK_SLOTS - 1) &
			     ~(RING_BLOCK_SLOTS - 1);
		uint64_t w = __atomic_load_n(ring_slot(rc, q), __ATOMIC_ACQUIRE);
		uint32_t s = rc->blk_seq[(q & rc->mask) >> RING_BLOCK_SHIFT];

		/* Acquire fence: blk_seq is read before head is checked again. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (!ring_committed(rc, w, q) || ring_overtaken(rc, q))
			continue;
		*pos = q;
		*seq = ring_seq64(rc, s);
		return true;
	}
	return false;
}

/* (trace/ring_internal.h) The oldest intact block starts with a W_SYNC: the decoding
 * state there does not matter. Writers overtake only in overwrite mode, or just after it
 * was switched off. */
bool ring_catch_up(const struct ring_cpu *rc, struct ring_pos *p)
{
	uint32_t q;
	uint64_t qseq;

	if (!rc->wrapped || (!ring.overwrite && !ring_overtaken(rc, p->pos)))
		return true;
	if (!ring_oldest_block(rc, &q, &qseq))
		return false;
	if (qseq > p->seq) {
		p->lost += qseq - p->seq;
		p->seq = qseq;
		p->half = 0;
		p->pos = q;
	}
	return true;
}

/* Whether a W_ENTRY that is rc's last record may still become a leaf, so that consumers
 * (trace_pipe, trace_pipe_raw) hold it back: only while
 * function_graph records returns (fgraph_record_return() and the fast path in fentry.S
 * check that first) or a writer is inside cpu's ring. Once tracing is off and no writer is
 * in, no return is recorded any more: the entry is final. A return hook that passed its
 * check just before tracing went off runs on with its task marked busy, which the
 * scheduler does not preempt, so it is inside the ring or done by the time a request
 * comes; the one window left is the few instructions of fentry.S's fast path between its
 * check of the hook and its marking the task busy: a tick that preempts exactly there, and
 * a drain before that task runs again, would ship the entry and lose its return. */
bool ring_entry_may_become_leaf(const struct ring_cpu *rc)
{
	return __atomic_load_n(&trace_cfg.active, __ATOMIC_ACQUIRE) == TRACER_GRAPH ||
	       __atomic_load_n(&rc->writing, __ATOMIC_ACQUIRE) != 0;
}

/* Whether w, at pos, can go in a batch: a committed one-slot record with events (a
 * W_SWITCH, numbered or not (rec_numbered()), takes the slow path). A consumer leaves out a W_ENTRY
 * that is the last record (head h): its call may still become a leaf. */
static bool ring_batchable(const struct ring_reader *r, const struct ring_cpu *rc, uint64_t w,
			   uint32_t pos, uint32_t h)
{
	wire_type t = w_type(w);

	if (!ring_committed(rc, w, pos) || t < W_ENTRY || t > W_FUNC)
		return false;
	return !(r->consume && t == W_ENTRY && pos + 1 == h && ring_entry_may_become_leaf(rc));
}

/* Copies the run of committed one-slot records at p->pos into the batch: it stops at any
 * other record, at an uncommitted slot, at the buffer's end (the lap bit changes there),
 * at head as it was before the copy, and at a bounded reader's end. Then one check of
 * head covers the whole run: if no writer reserved its first slot again, none reserved
 * the later ones. Returns the slots copied. */
static uint32_t ring_fill_batch(struct ring_reader *r, const struct ring_cpu *rc,
				const struct ring_pos *p)
{
	uint32_t pos = p->pos, idx = pos & rc->mask;
	uint32_t h = (uint32_t)__atomic_load_n(&rc->head, __ATOMIC_ACQUIRE);
	uint32_t max = rc->mask + 1 - idx, n;

	if (max > RING_BATCH)
		max = RING_BATCH;
	if (h - pos < max)
		max = h - pos;
	if (r->bounded && r->end - pos < max)
		max = r->end - pos;
	for (n = 0; n < max; n++) {
		uint64_t w = __atomic_load_n(&rc->slots[idx + n], __ATOMIC_ACQUIRE);

		if (!ring_batchable(r, rc, w, pos + n, h))
			break;
		r->batch[n] = w;
	}
	/* Acquire fence: the copies above are made before head is read again. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!n || ring_overtaken(rc, pos))
		return 0;
	r->bpos = pos;
	r->bi = 0;
	r->bn = n;
	return n;
}


/* A W_SYNC is applied to r->next_st. */
enum ring_fetch_result ring_fetch(struct ring_reader *r, const struct ring_cpu *rc,
				  const struct ring_pos *p, struct ring_event *ev,
				  uint64_t *lost_total)
{
	uint32_t pos = p->pos;
	uint32_t h = (uint32_t)__atomic_load_n(&rc->head, __ATOMIC_ACQUIRE);
	uint64_t w = __atomic_load_n(ring_slot(rc, pos), __ATOMIC_ACQUIRE);
	struct wire_state st = p->st;
	struct wire_env env = { ring.text_base, trace_env_clock };
	struct wire_span sp;
	enum ring_fetch_result res;
	unsigned half = p->half;

	if (!ring_committed(rc, w, pos))
		return ring_overtaken(rc, pos) ? FETCH_OVERTAKEN : FETCH_EMPTY;
	if (r->consume && w_type(w) == W_ENTRY && pos + 1 == h && ring_entry_may_become_leaf(rc))
		return FETCH_HELD;
	/* A record never straddles a block: its slots lie together up to the block's end. */
	sp = wire_decode(ring_slot(rc, pos), RING_BLOCK_SLOTS - (pos & (RING_BLOCK_SLOTS - 1)),
			 half, &env, &st, &ev->rec, &ev->ts, ev->text);
	res = sp.kind == WIRE_EVENT ? FETCH_EVENT : sp.kind == WIRE_LOST ? FETCH_LOST : FETCH_SKIP;
	*lost_total = sp.lost_total;
	ev->text_len = sp.text_len;
	r->unnumbered = res == FETCH_EVENT && !rec_numbered(&ev->rec);
	/* Acquire fence: everything above is copied before head is read again. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (ring_overtaken(rc, pos))
		return FETCH_OVERTAKEN;
	if (half + 1 < sp.events) {
		r->next = pos;
		r->next_half = half + 1;
		r->next_st = p->st;
	} else {
		r->next = pos + sp.slots;
		r->next_half = 0;
		r->next_st = st;
	}
	return res;
}

int ring_reader_open(struct ring_reader *r, unsigned cpu, bool consume)
{
	struct ring_cpu *rc = &ring.cpu[cpu];
	uint64_t head;

	if (cpu >= ring.ncpus)
		return -EINVAL;
	r->cpu = cpu;
	r->consume = consume;
	r->bounded = !consume;
	r->peeked = false;
	r->lost_only = false;
	r->unnumbered = false;
	r->bi = r->bn = 0;
	if (consume)
		return __atomic_exchange_n(&rc->consumer, 1, __ATOMIC_ACQUIRE) ? -EBUSY : 0;
	r->own.pos = rc->rd.pos;
	r->own.half = rc->rd.half;
	r->own.st = rc->rd.st;
	r->own.seq = rc->rd.seq;
	r->own.drops = rc->rd.drops;
	r->own.lost = 0;
	ring_catch_up(rc, &r->own);
	r->own.lost = 0; /* a snapshot starts at the oldest event: nothing lost before it */
	head = rc->head; /* one read: the end and its event number agree */
	r->end = (uint32_t)head;
	r->end_seq = ring_seq64(rc, (uint32_t)(head >> 32));
	/* Acquire: drops counted after the events up to head was read (a writer commits
	 * before it counts a later drop): reported at the end, not before the last event. */
	r->end_drops = __atomic_load_n(&rc->dropped, __ATOMIC_ACQUIRE);
	return 0;
}

uint64_t ring_reader_entries(const struct ring_reader *r)
{
	return !r->consume && r->end_seq > r->own.seq ? r->end_seq - r->own.seq : 0;
}

void ring_reader_bound(struct ring_reader *r)
{
	r->bounded = true;
	r->bi = r->bn = 0;
	r->end = (uint32_t)ring.cpu[r->cpu].head;
}

/* Drops the writer has not noted in a marker yet. They belong before the next event only
 * if that event was not committed when they were counted: a writer commits an event
 * before it counts a later drop, so the slot is checked again after the count is read.
 * Markers carry totals, so drops taken here are not counted again by a later marker.
 * False if the next event got committed meanwhile (read it first). */
static bool ring_trailing_drops(const struct ring_cpu *rc, struct ring_pos *p)
{
	uint64_t dropped = __atomic_load_n(&rc->dropped, __ATOMIC_ACQUIRE);
	uint64_t w = __atomic_load_n(ring_slot(rc, p->pos), __ATOMIC_ACQUIRE);

	if (ring_committed(rc, w, p->pos))
		return false;
	if (dropped > p->drops) {
		p->lost += dropped - p->drops;
		p->drops = dropped;
	}
	return true;
}

/* Nothing to read now: hand out a count-only event if losses are waiting. */
static bool ring_lost_only(struct ring_reader *r, struct ring_pos *p, struct ring_event *ev)
{
	if (!p->lost)
		return false;
	ev->rec.w0 = 0;
	ev->rec.w1 = 0;
	ev->ts = 0;
	ev->lost = p->lost;
	ev->text_len = 0;
	r->next = p->pos;
	r->peeked = true;
	r->lost_only = true;
	return true;
}

/* Moves the position past a slot without events (sync, padding, marker). */
static void ring_skip(struct ring_reader *r, struct ring_pos *p)
{
	p->half = 0;
	p->st = r->next_st;
	__atomic_store_n(&p->pos, r->next, __ATOMIC_RELEASE);
}

/* Reads one event at p->pos the slow way (see ring_reader_peek()). */
static bool ring_peek_slow(struct ring_reader *r, struct ring_cpu *rc, struct ring_pos *p,
			   struct ring_event *ev)
{
	uint64_t total;

	/* Bounded: each round skips a slot without events, or catches up once more. */
	for (int round = 0; round < 64; round++) {
		uint64_t lost = p->lost;
		uint32_t was = p->pos;

		if (!ring_catch_up(rc, p))
			break;
		if (p->pos != was)
			r->bi = r->bn = 0;
		if (r->consume)
			rc->overrun += p->lost - lost;
		/* After catching up: overwriting writers may have moved the oldest event past
		 * the end, which must not be read either. A snapshot's end reports the drops
		 * after its last event (a full buffer in stop mode) that no marker noted. */
		if (r->bounded && (int32_t)(p->pos - r->end) >= 0) {
			if (!r->consume && r->end_drops > p->drops) {
				p->lost += r->end_drops - p->drops;
				p->drops = r->end_drops;
			}
			break;
		}
		if (r->bi < r->bn && r->bpos + r->bi == p->pos) {
			ring_batch_event(r, p, ev);
			return true;
		}
		if (ring_fill_batch(r, rc, p))
			continue;
		r->bi = r->bn = 0;
		switch (ring_fetch(r, rc, p, ev, &total)) {
		case FETCH_EVENT:
			ev->lost = p->lost;
			r->peeked = true;
			r->lost_only = false;
			return true;
		case FETCH_LOST:
			if (total > p->drops) {
				p->lost += total - p->drops;
				p->drops = total;
			}
			/* fall through */
		case FETCH_SKIP:
			ring_skip(r, p);
			continue;
		case FETCH_OVERTAKEN:
			continue;
		case FETCH_HELD:
			return ring_lost_only(r, p, ev);
		case FETCH_EMPTY:
			if (!ring_trailing_drops(rc, p))
				continue;
			return ring_lost_only(r, p, ev);
		}
	}
	return ring_lost_only(r, p, ev);
}

bool ring_reader_peek_slow(struct ring_reader *r, struct ring_event *ev)
{
	struct ring_pos *p = ring_reader_pos(r);

	r->peeked = false;
	r->unnumbered = false; /* only ring_fetch() hands out switches */
	return ring_peek_slow(r, &ring.cpu[r->cpu], p, ev);
}

void ring_reader_advance_slow(struct ring_reader *r)
{
	struct ring_cpu *rc = &ring.cpu[r->cpu];
	struct ring_pos *p = ring_reader_pos(r);

	if (!r->peeked)
		return;
	r->peeked = false;
	p->lost = 0;
	if (r->lost_only) {
		r->lost_only = false;
		return;
	}
	if (!r->unnumbered) {
		p->seq++;
		if (r->consume)
			rc->consumed++;
	}
	r->unnumbered = false;
	if (r->next != p->pos && r->bi < r->bn)
		r->bi++;
	p->half = r->next_half;
	p->st = r->next_st;
	/* Release: the event was copied out before writers may reuse its slots. */
	__atomic_store_n(&p->pos, r->next, __ATOMIC_RELEASE);
}

void ring_reader_close(struct ring_reader *r)
{
	if (r->consume)
		__atomic_store_n(&ring.cpu[r->cpu].consumer, 0, __ATOMIC_RELEASE);
}
