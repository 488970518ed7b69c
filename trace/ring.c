/* Per-CPU ring buffers: writers (the C side; fentry.S has the fast paths), readers,
 * statistics and control. The protocol is described in trace/ring.h; every record is
 * encoded and decoded by the codec (trace/codec.h). */
#include <errno.h>
#include "trace/ring.h"
#include "trace/internal.h"

#define RING_PAGE 4096ul
#define RING_RESIZE_SPINS 100000000ul /* how long control waits for a writer to leave */
#define RING_SYNC_SLOTS 2 /* a W_SYNC and the TSC */

struct ring ring;

/* ---- writers ---- */

/* Widens the low 32 bits s of an event number against seq_base, which is never more
 * than 2^31 events away from any number still in the buffer. */
static uint64_t ring_seq64(const struct ring_cpu *rc, uint32_t s)
{
	uint64_t ref = rc->seq_base;

	return ref + (uint64_t)(int64_t)(int32_t)(s - (uint32_t)ref);
}

/* Commits a header: release, so a reader that sees it also sees what was written before. */
static void ring_commit(struct ring_cpu *rc, uint32_t pos, uint64_t w)
{
	__atomic_store_n(ring_slot(rc, pos), w | ring_lap(rc, pos), __ATOMIC_RELEASE);
}

/* Enters the CPU's writer state; false if another writer is inside it (a write nested in
 * an interrupt or signal handler). One instruction, no lock prefix: only this CPU writes
 * the count. */
static bool ring_writer_enter(struct ring_cpu *rc)
{
	uint32_t was = 1;

	__asm__ volatile("xaddl %0, %1" : "+r"(was), "+m"(rc->writing) : : "memory", "cc");
	return was == 0;
}

/* Counts a refused write with one instruction: a writer refused because it nested on
 * another one counts while the writer below may be counting too. */
static void ring_count_drop(struct ring_cpu *rc)
{
	__asm__ volatile("incq %0" : "+m"(rc->dropped) : : "cc");
}

static void ring_writer_leave(struct ring_cpu *rc)
{
	__asm__ volatile("" ::: "memory"); /* the record is complete before the count drops */
	__asm__ volatile("decl %0" : "+m"(rc->writing) : : "cc");
}

/* The fast paths' limit with head at h: the end of h's block (its last slot stays for the
 * slow path: the slot index must not carry into the event number), or of the free room in
 * stop mode; h itself if the next record starts a block. */
static void ring_set_room(struct ring_cpu *rc, uint32_t h)
{
	uint32_t end = h | (RING_BLOCK_SLOTS - 1), free_end = rc->rd.pos + rc->mask + 1;

	if (!(h & (RING_BLOCK_SLOTS - 1)))
		end = h;
	else if (!ring.overwrite && free_end - h < end - h)
		end = free_end;
	rc->room_end = end;
}

/* The first slot of a block was reserved: note its first event number (before anything
 * in it commits) and where the fast paths find the block's slots. */
static void ring_start_block(struct ring_cpu *rc, uint32_t pos, uint32_t seq)
{
	rc->blk_seq[(pos & rc->mask) >> RING_BLOCK_SHIFT] = seq;
	rc->seq_base = ring_seq64(rc, seq);
	rc->blk_base = (uintptr_t)ring_slot(rc, pos) - (uintptr_t)pos * RING_SLOT_BYTES;
	rc->blk_lap = ring_lap(rc, pos);
	if (!(pos & rc->mask) && pos)
		rc->wrapped = 1;
}

/* Padding needed before n slots at idx so that they do not straddle a block. */
static uint32_t ring_pad(uint32_t idx, uint32_t n)
{
	uint32_t off = idx & (RING_BLOCK_SLOTS - 1);

	return off + n > RING_BLOCK_SLOTS ? RING_BLOCK_SLOTS - off : 0;
}

/* Pads [pos, pos + n) to the end of its block: a W_PAD, then zero slots, so that no stale
 * header survives in the padding into the next lap. */
static void ring_pad_out(struct ring_cpu *rc, uint32_t pos, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		*(volatile uint64_t *)ring_slot(rc, pos + i) = 0;
	ring_commit(rc, pos, wire_pad(n));
}

/* Commits a W_SYNC at pos, with the last leaf's or return's depth. */
static void ring_put_sync(struct ring_cpu *rc, uint32_t pos, uint64_t ts, uint32_t tid)
{
	uint64_t second, header = wire_sync(ts, tid, rc->last_depth, &second);

	*(volatile uint64_t *)ring_slot(rc, pos + 1) = second;
	ring_commit(rc, pos, header);
}

/* Reserves a record at time ts of tid: `plain` slots if it can follow the last record as
 * it is (0 if it cannot: the time since does not fit), else `synced` slots after a
 * W_SYNC; it holds `events` events. Writes what goes before it: padding to the next block,
 * the W_SYNC (always at a block start, so decoding can start there), a W_LOST if events
 * were dropped since the last one. Returns the record's first slot, and in *did_sync
 * whether a W_SYNC precedes it; false if the buffer is full (stop mode; counted). */
static bool ring_reserve(struct ring_cpu *rc, uint64_t ts, uint32_t tid, uint32_t plain,
			 uint32_t synced, uint32_t events, uint32_t *at, bool *did_sync)
{
	uint64_t h = rc->head;
	uint32_t idx = (uint32_t)h, lost = rc->dropped != rc->dropped_noted;
	bool sync = !plain || tid != rc->cur_tid || !(idx & (RING_BLOCK_SLOTS - 1));
	uint32_t n = sync ? synced : plain, pos;
	uint32_t pad = ring_pad(idx, sync * RING_SYNC_SLOTS + lost + n);

	if (pad && !sync) { /* a block starts with a W_SYNC */
		sync = true;
		n = synced;
	}
	if (!ring.overwrite &&
	    idx + pad + sync * RING_SYNC_SLOTS + lost + n - rc->rd.pos > rc->mask + 1) {
		ring_count_drop(rc);
		rc->room_end = idx; /* the fast paths leave the next record to us: W_LOST first */
		/* ... and any return to C: one that merged into its entry now would hide the
		 * loss between them (ring_write_return() checks the drops itself) */
		rc->cur_tid = W_TID_NONE;
		return false;
	}
	/* Slot index and event number wrap separately: no carry between them. */
	rc->head = ((h >> 32) + events) << 32 |
		   (uint32_t)(idx + pad + sync * RING_SYNC_SLOTS + lost + n);
	if (pad)
		ring_pad_out(rc, idx, pad);
	pos = idx + pad;
	if (!(pos & (RING_BLOCK_SLOTS - 1)))
		ring_start_block(rc, pos, (uint32_t)(h >> 32));
	if (sync) {
		ring_put_sync(rc, pos, ts, tid);
		pos += RING_SYNC_SLOTS;
	}
	if (lost) {
		rc->dropped_noted = rc->dropped;
		ring_commit(rc, pos++, wire_lost(rc->dropped));
	}
	*at = pos;
	*did_sync = sync;
	return true;
}

/* After a record at time ts: deltas count from it, and the tid is tid from here on. */
static void ring_wrote(struct ring_cpu *rc, uint64_t ts, uint32_t tid)
{
	rc->last_tsc = ts;
	rc->cur_tid = tid;
	ring_set_room(rc, (uint32_t)rc->head);
}

/* ring_write_rec() inside the writer state. */
static bool ring_put(struct ring_cpu *rc, const struct trace_rec *r, uint32_t *at)
{
	uint64_t ts = r->w0 & REC_TSC_MASK, delta = (ts - rc->last_tsc) & REC_TSC_MASK;
	uint64_t word = wire_encode(r, delta, ring.text_base, rc->last_depth), second;
	uint32_t tid = rec_tid(r), pos;
	uint32_t plain = word ? 1 : w_fits(delta, W_LONG_DELTA_BITS) ? 2 : 0;
	bool synced;

	/* After a W_SYNC the delta is 0, which fits wherever a larger one does. A switch is no
	 * event: readers do not print it, so it must not count (see trace/ring.h). */
	if (!ring_reserve(rc, ts, tid, plain,
			  word || wire_encode(r, 0, ring.text_base, rc->last_depth) ? 1 : 2,
			  rec_type(r) != REC_SWITCH, &pos, &synced))
		return false;
	if (synced) {
		word = wire_encode(r, 0, ring.text_base, rc->last_depth);
		delta = 0;
	}
	if (!word) {
		word = wire_long(r, delta, &second);
		*(volatile uint64_t *)ring_slot(rc, pos + 1) = second;
	}
	ring_commit(rc, pos, word);
	if (at)
		*at = pos;
	if (rec_type(r) == REC_RETURN)
		rc->last_depth = rec_depth(r);
	ring_wrote(rc, ts, rec_type(r) == REC_SWITCH ? (uint32_t)(r->w1 >> 16) & REC_TID_MASK : tid);
	return true;
}

bool ring_write_rec(unsigned cpu, const struct trace_rec *r, uint32_t *at)
{
	struct ring_cpu *rc = &ring.cpu[cpu];
	bool ok = false;

	if (!ring_writer_enter(rc))
		ring_count_drop(rc);
	else if (rc->enabled)
		ok = ring_put(rc, r, at);
	ring_writer_leave(rc);
	return ok;
}

bool ring_write_return(unsigned cpu, const struct trace_rec *r, uint32_t entry)
{
	struct ring_cpu *rc = &ring.cpu[cpu];
	bool ok = false;

	if (!ring_writer_enter(rc)) {
		ring_count_drop(rc);
	} else if (rc->enabled) {
		uint64_t *slot = ring_slot(rc, entry);
		uint64_t leaf = wire_leaf(*slot, rec_duration(r));
		uint64_t func = (uint32_t)(rec_func(r) - ring.text_base);

		/* Still the last record, of this call (same function), both fit a slot, and no
		 * event was dropped since the entry: the loss is reported between the two. */
		if ((uint32_t)rc->head == entry + 1 && leaf &&
		    w_bits(leaf, W_FUNC_SHIFT, W_FUNC_BITS) == func && rec_tid(r) == rc->cur_tid &&
		    rc->dropped == rc->dropped_noted) {
			__atomic_store_n(slot, leaf, __ATOMIC_RELEASE);
			rc->head += 1ull << 32; /* the leaf holds two events */
			rc->last_depth = (uint32_t)w_bits(leaf, W_DEPTH_SHIFT, 8);
			ok = true;
		} else {
			ok = ring_put(rc, r, NULL);
		}
	}
	ring_writer_leave(rc);
	return ok;
}

bool ring_write_text(unsigned cpu, uint64_t tsc, unsigned tid, const char *s, size_t len)
{
	struct ring_cpu *rc;
	uint64_t ts = tsc & REC_TSC_MASK, delta;
	uint32_t pos, n;
	bool ok = false, synced;

	if (cpu >= TRACE_MAX_CPUS)
		return false;
	rc = &ring.cpu[cpu];
	if (len > RING_TEXT_MAX)
		len = RING_TEXT_MAX;
	n = wire_text_slots(len);
	if (!ring_writer_enter(rc)) {
		ring_count_drop(rc);
	} else if (rc->enabled) {
		delta = (ts - rc->last_tsc) & REC_TSC_MASK;
		if (ring_reserve(rc, ts, tid, w_fits(delta, W_TEXT_DELTA_BITS) ? n : 0, n, 1, &pos,
				 &synced)) {
			for (uint32_t k = 1; k < n; k++)
				*(volatile uint64_t *)ring_slot(rc, pos + k) = wire_text_slot(s, len, k - 1);
			ring_commit(rc, pos, wire_text(synced ? 0 : delta, len));
			ring_wrote(rc, ts, tid);
			ok = true;
		}
	}
	ring_writer_leave(rc);
	return ok;
}

/* ---- reading ---- */

/* Whether a writer reserved slot pos again since it was written (head passed pos + size):
 * then what a reader copied from it may be torn. */
static bool ring_overtaken(const struct ring_cpu *rc, uint32_t pos)
{
	return (uint32_t)rc->head - pos > rc->mask + 1;
}

static bool ring_committed(const struct ring_cpu *rc, uint64_t w, uint32_t pos)
{
	return w_type(w) != W_NONE && (w & W_LAP_BIT) == ring_lap(rc, pos);
}

/* The oldest block no writer has started to overwrite, and its first event's number.
 * False if that cannot be told right now (its first record is still being written). */
static bool ring_oldest_block(const struct ring_cpu *rc, uint32_t *pos, uint64_t *seq)
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

/* Moves a read position that writers overtook to the oldest intact block (which starts
 * with a W_SYNC: the decoding state there does not matter), adding the events it missed
 * to p->lost. Writers overtake only in overwrite mode, or just after it was switched off.
 * False if the oldest block cannot be told now. */
static bool ring_catch_up(const struct ring_cpu *rc, struct ring_pos *p)
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

/* Whether w, at pos, can go in a batch: a committed one-slot record with events (a
 * W_SWITCH, which is not numbered, takes the slow path). A consumer leaves out a W_ENTRY
 * that is the last record (head h): its call may still become a leaf. */
static bool ring_batchable(const struct ring_reader *r, const struct ring_cpu *rc, uint64_t w,
			   uint32_t pos, uint32_t h)
{
	wire_type t = w_type(w);

	if (!ring_committed(rc, w, pos) || t < W_ENTRY || t > W_FUNC)
		return false;
	return !(r->consume && t == W_ENTRY && pos + 1 == h);
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

enum ring_fetch_result {
	FETCH_EVENT, FETCH_SKIP, FETCH_LOST, FETCH_EMPTY, FETCH_HELD, FETCH_OVERTAKEN
};

/* Reads the record at p->pos the slow way: into ev an event (and where it leaves the
 * position into r->next*), or what else is there. A W_SYNC is applied to r->next_st. */
static enum ring_fetch_result ring_fetch(struct ring_reader *r, const struct ring_cpu *rc,
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
	if (r->consume && w_type(w) == W_ENTRY && pos + 1 == h)
		return FETCH_HELD;
	/* A record never straddles a block: its slots lie together up to the block's end. */
	sp = wire_decode(ring_slot(rc, pos), RING_BLOCK_SLOTS - (pos & (RING_BLOCK_SLOTS - 1)),
			 half, &env, &st, &ev->rec, &ev->ts, ev->text);
	res = sp.kind == WIRE_EVENT ? FETCH_EVENT : sp.kind == WIRE_LOST ? FETCH_LOST : FETCH_SKIP;
	*lost_total = sp.lost_total;
	ev->text_len = sp.text_len;
	r->unnumbered = res == FETCH_EVENT && rec_type(&ev->rec) == REC_SWITCH;
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

/* ---- statistics ---- */

/* Timestamp of the first event at or after p, 0 if none. */
static uint64_t ring_first_ts(const struct ring_cpu *rc, struct ring_pos p)
{
	static struct ring_reader r; /* under the control lock: only its next fields are used */
	static struct ring_event ev;
	uint64_t total;

	r.consume = false;
	for (int round = 0; round < 64; round++) {
		switch (ring_fetch(&r, rc, &p, &ev, &total)) {
		case FETCH_EVENT:
			if (!r.unnumbered)
				return ev.ts;
			__attribute__((fallthrough)); /* a switch is no event */
		case FETCH_SKIP:
		case FETCH_LOST:
			p.pos = r.next;
			p.half = 0;
			p.st = r.next_st;
			continue;
		default:
			return 0;
		}
	}
	return 0;
}

void ring_get_stats(unsigned cpu, struct ring_stats *st)
{
	const struct ring_cpu *rc = &ring.cpu[cpu];
	struct ring_pos o = { .pos = rc->rd.pos, .half = rc->rd.half, .st = rc->rd.st,
			      .seq = rc->rd.seq };
	uint64_t written;

	*st = (struct ring_stats){ .now_ts = trace_env_clock() };
	if (cpu >= ring.ncpus || !rc->slots)
		return;
	ring_catch_up(rc, &o); /* o.lost: overwritten, not yet seen by the consumer */
	written = ring_seq64(rc, (uint32_t)(rc->head >> 32)); /* events reserved */
	st->entries = written > o.seq ? written - o.seq : 0;
	st->overrun = rc->overrun + o.lost - rc->base_overrun;
	st->bytes = (uint64_t)((uint32_t)rc->head - o.pos) * RING_SLOT_BYTES;
	st->oldest_ts = st->entries ? ring_first_ts(rc, o) : 0;
	st->dropped = rc->dropped - rc->base_dropped;
	st->read = rc->consumed - rc->base_consumed;
	st->written = written - rc->base_written;
}

/* ---- control ---- */

static size_t ring_pages(uint32_t nslots)
{
	size_t bytes = (size_t)nslots * RING_SLOT_BYTES +
		       (nslots / RING_BLOCK_SLOTS) * sizeof(uint32_t);

	return (bytes + RING_PAGE - 1) / RING_PAGE;
}

static uint32_t ring_slots_for(size_t bytes)
{
	uint32_t n = RING_MIN_BYTES / RING_SLOT_BYTES;

	if (bytes > RING_MAX_BYTES)
		bytes = RING_MAX_BYTES;
	while ((size_t)n * 2 * RING_SLOT_BYTES <= bytes)
		n *= 2;
	return n;
}

/* Zeroed slots (type 0: never committed) followed by the per-block event numbers. */
static uint64_t *ring_alloc(uint32_t nslots)
{
	size_t words = ring_pages(nslots) * RING_PAGE / sizeof(uint64_t);
	uint64_t *p = page_alloc(ring_pages(nslots));

	for (size_t i = 0; p && i < words; i++)
		p[i] = 0;
	return p;
}

/* Installs a buffer on an idle CPU ring and resets all its positions and counters. */
static void ring_install(struct ring_cpu *rc, uint64_t *slots, uint32_t nslots)
{
	uint32_t shift = 0;
	int consumer = rc->consumer;

	while ((1u << shift) < nslots)
		shift++;
	*rc = (struct ring_cpu){
		.slots = slots,
		.blk_seq = (uint32_t *)(slots + nslots),
		.mask = nslots - 1,
		.lap_shift = shift,
		.cur_tid = W_TID_NONE,
		/* Until the first block starts, a fast path that looks for an entry to merge at
		 * slot 0xffffffff (head - 1) finds the last slot: zero, never a W_ENTRY. */
		.blk_base = (uintptr_t)(slots + nslots - 1) - (uintptr_t)0xffffffffu * RING_SLOT_BYTES,
		.consumer = consumer, /* an open trace_pipe stays open across a resize */
	};
}

/* Stops all writers: afterwards none is inside any buffer and none will enter one until
 * buffers are enabled again. False if a writer did not leave in time. */
static bool ring_quiesce(void)
{
	for (unsigned c = 0; c < ring.ncpus; c++)
		ring.cpu[c].enabled = 0;
	/* Every other CPU takes an interrupt and spins: from then on it sees enabled = 0, and
	 * any writer it was running has its `writing` count visible to us. */
	trace_stop_others();
	trace_release_others();
	for (unsigned c = 0; c < ring.ncpus; c++)
		for (unsigned long spin = 0; ring.cpu[c].writing; spin++) {
			if (spin == RING_RESIZE_SPINS)
				return false;
			trace_cpu_relax();
		}
	return true;
}

static void ring_enable_all(void)
{
	for (unsigned c = 0; c < ring.ncpus; c++)
		if (ring.cpu[c].slots)
			__atomic_store_n(&ring.cpu[c].enabled, 1, __ATOMIC_RELEASE);
}

static void ring_free_all(uint64_t **bufs, unsigned n, uint32_t nslots)
{
	for (unsigned c = 0; c < n; c++)
		if (bufs[c])
			page_free(bufs[c], ring_pages(nslots));
}

int ring_resize(size_t bytes)
{
	uint64_t *fresh[TRACE_MAX_CPUS] = { 0 };
	uint64_t *old[TRACE_MAX_CPUS];
	uint32_t nslots = ring_slots_for(bytes);

	for (unsigned c = 0; c < ring.ncpus; c++) {
		fresh[c] = ring_alloc(nslots);
		if (!fresh[c]) {
			ring_free_all(fresh, c, nslots);
			return -ENOMEM;
		}
	}
	if (!ring_quiesce()) {
		ring_enable_all();
		ring_free_all(fresh, ring.ncpus, nslots);
		return -EBUSY;
	}
	for (unsigned c = 0; c < ring.ncpus; c++) {
		old[c] = ring.cpu[c].slots;
		ring_install(&ring.cpu[c], fresh[c], nslots);
	}
	ring_free_all(old, ring.ncpus, ring.nslots);
	ring.nslots = nslots;
	ring_enable_all();
	return 0;
}

int ring_init(unsigned ncpus, size_t bytes)
{
	if (ncpus == 0 || ncpus > TRACE_MAX_CPUS)
		return -EINVAL;
	ring.ncpus = ncpus;
	ring.text_base = (uint32_t)trace_text_base();
	return ring_resize(bytes);
}

size_t ring_size(void)
{
	return (size_t)ring.nslots * RING_SLOT_BYTES;
}

unsigned ring_ncpus(void)
{
	return ring.ncpus;
}

/* Empties one quiesced CPU buffer: the readers' position moves to head and the writers'
 * next record starts with a W_SYNC, so decoding from there needs no state. */
static void ring_clear_one(struct ring_cpu *rc)
{
	uint64_t head = rc->head;

	if (!rc->slots)
		return;
	rc->cur_tid = W_TID_NONE; /* also keeps a return from merging into the cleared part */
	rc->rd.seq = ring_seq64(rc, (uint32_t)(head >> 32));
	rc->rd.lost = 0;
	rc->rd.half = 0;
	rc->rd.drops = rc->dropped; /* drops before the clear are not reported */
	rc->dropped_noted = rc->dropped;
	rc->base_written = rc->rd.seq;
	rc->base_dropped = rc->dropped;
	rc->base_overrun = rc->overrun;
	rc->base_consumed = rc->consumed;
	/* Release: frees every slot before head for writers in stop mode. */
	__atomic_store_n(&rc->rd.pos, (uint32_t)head, __ATOMIC_RELEASE);
	ring_set_room(rc, (uint32_t)head);
}

int ring_clear_cpu(int cpu)
{
	int err = 0;

	if (cpu >= (int)ring.ncpus)
		return -EINVAL;
	if (!ring_quiesce())
		err = -EBUSY;
	for (unsigned c = 0; c < ring.ncpus && !err; c++)
		if (cpu < 0 || (unsigned)cpu == c)
			ring_clear_one(&ring.cpu[c]);
	ring_enable_all();
	return err;
}

int ring_clear(void)
{
	return ring_clear_cpu(-1);
}

void ring_set_overwrite(bool on)
{
	ring.overwrite = on;
	if (on)
		return;
	/* The consumer may have been overtaken while overwriting: move it to the oldest
	 * intact block, or stop-mode writers would find the buffer full for good. Writers
	 * that still saw overwrite mode may overtake it once more, hence the rounds. */
	for (unsigned c = 0; c < ring.ncpus; c++) {
		struct ring_cpu *rc = &ring.cpu[c];

		for (int round = 0; round < 4 && rc->slots; round++) {
			struct ring_pos p = { .pos = rc->rd.pos, .half = rc->rd.half, .st = rc->rd.st,
					      .seq = rc->rd.seq, .lost = rc->rd.lost,
					      .drops = rc->rd.drops };

			ring_catch_up(rc, &p);
			rc->overrun += p.lost - rc->rd.lost;
			rc->rd.seq = p.seq;
			rc->rd.lost = p.lost;
			rc->rd.half = p.half;
			__atomic_store_n(&rc->rd.pos, p.pos, __ATOMIC_RELEASE);
		}
	}
}
