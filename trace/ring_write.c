/* The ring buffer's writers, the C side (fentry.S has the fast paths): reserve, fill,
 * commit, as trace/ring.h describes; the records are the codec's (trace/codec.h). */
#include "trace/ring_internal.h"


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
void ring_set_room(struct ring_cpu *rc, uint32_t h)
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
	pos = idx + pad;
	/* A block started in the first lap was never written (ring_alloc()): zeroed before
	 * head passes it, so no reader ever sees what the memory held. */
	if (!(pos & (RING_BLOCK_SLOTS - 1)) && pos <= rc->mask && !rc->wrapped)
		for (uint32_t i = 0; i < RING_BLOCK_SLOTS; i++)
			*(volatile uint64_t *)ring_slot(rc, pos + i) = 0;
	/* Slot index and event number wrap separately: no carry between them. */
	rc->head = ((h >> 32) + events) << 32 |
		   (uint32_t)(idx + pad + sync * RING_SYNC_SLOTS + lost + n);
	if (pad)
		ring_pad_out(rc, idx, pad);
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

	/* After a W_SYNC the delta is 0, which fits wherever a larger one does. A switch without
	 * the sched_switch event is no event: readers do not print it, so it must not count
	 * (see trace/ring.h). */
	if (!ring_reserve(rc, ts, tid, plain,
			  word || wire_encode(r, 0, ring.text_base, rc->last_depth) ? 1 : 2,
			  rec_numbered(r), &pos, &synced))
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

/* A W_TEXT (event < 0) or a W_EVENT of that id: len bytes of s after the header. */
static bool ring_write_bytes(unsigned cpu, uint64_t tsc, unsigned tid, int event, const void *s,
			     size_t len)
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
			for (uint32_t k = 1; k < n; k++) {
				uint64_t w = wire_text_slot(s, len, k - 1);

				*(volatile uint64_t *)ring_slot(rc, pos + k) = w;
			}
			if (synced)
				delta = 0;
			ring_commit(rc, pos, event < 0 ? wire_text(delta, len) :
							 wire_event(delta, (unsigned)event, len));
			ring_wrote(rc, ts, tid);
			ok = true;
		}
	}
	ring_writer_leave(rc);
	return ok;
}

bool ring_write_text(unsigned cpu, uint64_t tsc, unsigned tid, const char *s, size_t len)
{
	return ring_write_bytes(cpu, tsc, tid, -1, s, len);
}

bool ring_write_event(unsigned cpu, uint64_t tsc, unsigned tid, unsigned id, const void *payload,
		      size_t len)
{
	return ring_write_bytes(cpu, tsc, tid, (int)(id & 0xffff), payload, len);
}
