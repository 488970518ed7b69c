/* Per-CPU ring buffers: slow writer paths, readers, statistics and control. The protocol
 * is described in trace/ring.h. */
#include <errno.h>
#include "trace/ring.h"
#include "trace/internal.h"

#define RING_PAGE 4096ul
#define RING_RESIZE_SPINS 100000000ul /* how long resize waits for a writer to leave */

struct ring ring;

/* ---- writer slow paths ---- */

/* Widens the low 32 bits s of an event number against seq_base, which is never more
 * than 2^31 events away from any number still in the buffer. */
static uint64_t ring_seq64(const struct ring_cpu *rc, uint32_t s)
{
	uint64_t ref = rc->seq_base;

	return ref + (uint64_t)(int64_t)(int32_t)(s - (uint32_t)ref);
}

/* Pads [pos, pos+n) to the end of its block: a REC_PAD header, then type-0 slots, so that
 * no stale header survives in the padding into the next lap. */
void ring_note_pad(struct ring_cpu *rc, uint32_t pos, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		*(volatile uint64_t *)&ring_slot(rc, pos + i)->w0 = 0;
	ring_commit(rc, pos, rec_w0(0, 0, REC_PAD), n);
}

/* The writer reserved the first slot of a block: remember the number of the block's first
 * event. Called before anything in the block is committed, so a reader that finds the
 * block's first record committed also finds this number. */
void ring_note_block(struct ring_cpu *rc, uint32_t pos, uint32_t seq)
{
	rc->blk_seq[(pos & rc->mask) >> RING_BLOCK_SHIFT] = seq;
	/* A nested writer may move seq_base meanwhile, even back by a block: either value is
	 * close enough to serve as reference. */
	rc->seq_base = ring_seq64(rc, seq);
	if (!(pos & rc->mask) && pos)
		rc->wrapped = 1;
}

void ring_note_drop(struct ring_cpu *rc)
{
	ring_local_add(&rc->dropped, 1);
}

/* Commits a REC_LOST marker at pos carrying the drop total; returns its slots (1). A
 * marker carries a total, not a difference, so a nested writer that writes a marker of
 * its own in between makes no loss count twice. */
uint32_t ring_note_lost(struct ring_cpu *rc, uint32_t pos)
{
	uint64_t total = rc->dropped;

	rc->dropped_noted = total;
	ring_commit(rc, pos, rec_w0(0, 0, REC_LOST), total);
	return 1;
}

bool ring_reserve(struct ring_cpu *rc, uint32_t n, uint32_t *pos)
{
	uint64_t h, nh;
	uint32_t idx, pad, lost;

	do {
		h = rc->head;
		idx = (uint32_t)h;
		lost = rc->dropped != rc->dropped_noted;
		pad = ring_pad(idx, n + lost);
		if (!ring.overwrite && idx + pad + lost + n - rc->rd.pos > rc->mask + 1) {
			ring_note_drop(rc);
			return false;
		}
		/* Slot index and event number wrap separately: no carry between them. */
		nh = (h & ~0xffffffffull) + (1ull << 32) + (uint32_t)(idx + pad + lost + n);
	} while (!ring_cmpxchg_local(&rc->head, h, nh));
	if (pad)
		ring_note_pad(rc, idx, pad);
	idx += pad;
	/* The block's first event number is noted before anything in the block commits. */
	if (!(idx & (RING_BLOCK_SLOTS - 1)))
		ring_note_block(rc, idx, (uint32_t)(h >> 32));
	if (lost)
		idx += ring_note_lost(rc, idx);
	*pos = idx;
	return true;
}

/* Text payload: RING_TEXT_SLOT bytes per slot, 7 in the low bytes of w0 (its top byte
 * stays 0: type REC_NONE, so payload never looks like a committed header) and 8 in w1. */
#define RING_TEXT_SLOT 15

static uint64_t ring_text_bytes(const char *s, size_t len, size_t i, unsigned nbytes)
{
	uint64_t w = 0;

	for (unsigned b = 0; b < nbytes && i + b < len; b++)
		w |= (uint64_t)(uint8_t)s[i + b] << (8 * b);
	return w;
}

static void ring_put_text(struct ring_cpu *rc, uint32_t pos, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i += RING_TEXT_SLOT, pos++) {
		struct trace_rec *r = ring_slot(rc, pos);

		*(volatile uint64_t *)&r->w0 = ring_text_bytes(s, len, i, 7);
		*(volatile uint64_t *)&r->w1 = ring_text_bytes(s, len, i + 7, 8);
	}
}

bool ring_write_text(unsigned cpu, uint64_t tsc, unsigned tid, const char *s, size_t len)
{
	struct ring_cpu *rc = &ring.cpu[cpu];
	uint32_t pos, n;
	bool ok = false;

	if (cpu >= TRACE_MAX_CPUS)
		return false;
	if (len > RING_TEXT_MAX)
		len = RING_TEXT_MAX;
	n = 1 + (uint32_t)(len + RING_TEXT_SLOT - 1) / RING_TEXT_SLOT;
	rc->writing++;
	__asm__ volatile("" ::: "memory"); /* as in ring_write() */
	if (rc->enabled && ring_reserve(rc, n, &pos)) {
		ring_put_text(rc, pos + 1, s, len);
		ring_commit(rc, pos, rec_w0(tsc, tid, REC_TEXT), len);
		ok = true;
	}
	__asm__ volatile("" ::: "memory");
	rc->writing--;
	return ok;
}

/* ---- reading ---- */

/* Whether a writer reserved slot pos again since it was written (head passed pos + size):
 * then what a reader copied from it may be torn. */
static bool ring_overtaken(const struct ring_cpu *rc, uint32_t pos)
{
	return (uint32_t)rc->head - pos > rc->mask + 1;
}

static bool ring_committed(const struct ring_cpu *rc, uint64_t w0, uint32_t pos)
{
	return ((w0 >> 60) & 7) != REC_NONE && (w0 & RING_LAP_BIT) == ring_lap(rc, pos);
}

/* The oldest block no writer has started to overwrite, and its first event's number.
 * False if that cannot be told right now (its first record is still being written). */
static bool ring_oldest_block(const struct ring_cpu *rc, uint32_t *pos, uint64_t *seq)
{
	for (int tries = 0; tries < 4; tries++) {
		uint32_t q = ((uint32_t)rc->head - (rc->mask + 1) + RING_BLOCK_SLOTS - 1) &
			     ~(RING_BLOCK_SLOTS - 1);
		uint64_t w0 = __atomic_load_n(&ring_slot(rc, q)->w0, __ATOMIC_ACQUIRE);
		uint32_t s = rc->blk_seq[(q & rc->mask) >> RING_BLOCK_SHIFT];

		/* Acquire fence: blk_seq is read before head is checked again. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (!ring_committed(rc, w0, q) || ring_overtaken(rc, q))
			continue;
		*pos = q;
		*seq = ring_seq64(rc, s);
		return true;
	}
	return false;
}

/* Moves a read position that writers overtook to the oldest intact block, adding the
 * events it missed to p->lost. Writers overtake only in overwrite mode, or just after
 * it was switched off. False if the oldest block cannot be told now. */
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
		p->pos = q;
	}
	return true;
}

enum ring_fetch_result { FETCH_EVENT, FETCH_PAD, FETCH_LOST, FETCH_EMPTY, FETCH_OVERTAKEN };

/* Copies the payload of the REC_TEXT at pos into ev (if given); returns its slots. */
static uint32_t ring_copy_text(const struct ring_cpu *rc, uint32_t pos, uint64_t w1,
			       struct ring_event *ev)
{
	unsigned len = (unsigned)(w1 & 0xffff);
	uint32_t n;

	if (len > RING_TEXT_MAX)
		len = RING_TEXT_MAX; /* a torn header: the overtaken check rejects it */
	n = (len + RING_TEXT_SLOT - 1) / RING_TEXT_SLOT;
	for (uint32_t i = 0; ev && i < n; i++) {
		const struct trace_rec *r = ring_slot(rc, pos + 1 + i);
		uint64_t lo = *(const volatile uint64_t *)&r->w0;
		uint64_t hi = *(const volatile uint64_t *)&r->w1;

		for (unsigned b = 0; b < RING_TEXT_SLOT && i * RING_TEXT_SLOT + b < len; b++)
			ev->text[i * RING_TEXT_SLOT + b] =
				(char)(b < 7 ? lo >> (8 * b) : hi >> (8 * (b - 7)));
	}
	if (ev)
		ev->text_len = len;
	return n;
}

/* Copies the record at pos into *rec (and a REC_TEXT's text into ev, if given) and sets
 * *next to the slot after it. */
static enum ring_fetch_result ring_fetch(const struct ring_cpu *rc, uint32_t pos,
					 struct trace_rec *rec, struct ring_event *ev,
					 uint32_t *next)
{
	const struct trace_rec *r = ring_slot(rc, pos);
	uint64_t w0 = __atomic_load_n(&r->w0, __ATOMIC_ACQUIRE);
	uint64_t w1 = *(const volatile uint64_t *)&r->w1;
	unsigned type = (w0 >> 60) & 7;
	uint32_t n = 1;

	if (!ring_committed(rc, w0, pos))
		return ring_overtaken(rc, pos) ? FETCH_OVERTAKEN : FETCH_EMPTY;
	if (type == REC_TEXT)
		n += ring_copy_text(rc, pos, w1, ev);
	else if (type == REC_PAD)
		n = w1 >= 1 && w1 <= RING_BLOCK_SLOTS ? (uint32_t)w1 : 1;
	/* Acquire fence: everything above is copied before head is read again. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (ring_overtaken(rc, pos))
		return FETCH_OVERTAKEN;
	rec->w0 = w0 & ~RING_LAP_BIT;
	rec->w1 = w1;
	*next = pos + n;
	if (type == REC_PAD)
		return FETCH_PAD;
	return type == REC_LOST ? FETCH_LOST : FETCH_EVENT;
}

int ring_reader_open(struct ring_reader *r, unsigned cpu, bool consume)
{
	struct ring_cpu *rc = &ring.cpu[cpu];

	if (cpu >= ring.ncpus)
		return -EINVAL;
	r->cpu = cpu;
	r->consume = consume;
	r->bounded = !consume;
	r->peeked = false;
	r->bi = r->bn = 0;
	if (consume)
		return __atomic_exchange_n(&rc->consumer, 1, __ATOMIC_ACQUIRE) ? -EBUSY : 0;
	r->own.pos = rc->rd.pos;
	r->own.seq = rc->rd.seq;
	r->own.drops = rc->rd.drops;
	r->own.lost = 0;
	ring_catch_up(rc, &r->own);
	r->own.lost = 0; /* a snapshot starts at the oldest event: nothing lost before it */
	r->end = (uint32_t)rc->head;
	return 0;
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
	uint64_t w0 = __atomic_load_n(&ring_slot(rc, p->pos)->w0, __ATOMIC_ACQUIRE);

	if (ring_committed(rc, w0, p->pos))
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
	return true;
}

/* Copies the run of committed one-slot events at p->pos into the batch: it stops at a
 * text, pad or loss marker, at an uncommitted slot, at the buffer's end (the lap bit
 * changes there) and at a bounded reader's end. Then one check of head covers the whole
 * run: if no writer reserved its first slot again, none reserved the later ones. This is
 * what makes reading cheap: per event, two loads and two stores. Returns the events. */
static uint32_t ring_fill_batch(struct ring_reader *r, const struct ring_cpu *rc,
				const struct ring_pos *p)
{
	uint32_t pos = p->pos, idx = pos & rc->mask;
	uint32_t max = rc->mask + 1 - idx;
	uint64_t lap = ring_lap(rc, pos);
	const struct trace_rec *s = &rc->slots[idx];
	uint32_t n;

	if (max > RING_BATCH)
		max = RING_BATCH;
	if (r->bounded && r->end - pos < max)
		max = r->end - pos;
	for (n = 0; n < max; n++) {
		uint64_t w0 = __atomic_load_n(&s[n].w0, __ATOMIC_ACQUIRE);
		unsigned type = (unsigned)(w0 >> 60) & 7;

		/* type 1..4 of this lap: ENTRY, RETURN, FUNC, SWITCH */
		if ((w0 & RING_LAP_BIT) != lap || type - 1 > REC_SWITCH - 1)
			break;
		r->batch[n].w0 = w0 & ~RING_LAP_BIT;
		r->batch[n].w1 = *(const volatile uint64_t *)&s[n].w1;
	}
	/* Acquire fence: the copies above are made before head is read again. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (!n || ring_overtaken(rc, pos))
		return 0;
	r->bclock = trace_env_clock();
	r->bpos = pos;
	r->bi = 0;
	r->bn = n;
	return n;
}

/* Reads one event, marker or pad at p->pos the slow way (see ring_reader_peek()). */
static bool ring_peek_slow(struct ring_reader *r, struct ring_cpu *rc, struct ring_pos *p,
			   struct ring_event *ev)
{
	uint32_t next;

	/* Bounded: each round skips a pad or marker, or catches up once more. */
	for (int round = 0; round < 64; round++) {
		uint64_t lost = p->lost;

		if (!ring_catch_up(rc, p))
			break;
		if (r->consume)
			rc->overrun += p->lost - lost;
		/* After catching up: overwriting writers may have moved the oldest event past
		 * the end, which must not be read either. */
		if (r->bounded && (int32_t)(p->pos - r->end) >= 0)
			break;
		if (ring_fill_batch(r, rc, p))
			return ring_batch_event(r, p, ev);
		switch (ring_fetch(rc, p->pos, &ev->rec, ev, &next)) {
		case FETCH_EVENT:
			ev->ts = ring_widen_ts(rec_tsc(&ev->rec), trace_env_clock());
			ev->lost = p->lost;
			if (rec_type(&ev->rec) != REC_TEXT)
				ev->text_len = 0;
			r->next = next;
			r->peeked = true;
			return true;
		case FETCH_LOST:
			if (ev->rec.w1 > p->drops) {
				p->lost += ev->rec.w1 - p->drops;
				p->drops = ev->rec.w1;
			}
			/* fall through */
		case FETCH_PAD:
			p->pos = next;
			continue;
		case FETCH_OVERTAKEN:
			continue;
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

	if (r->bi < r->bn && r->bpos + r->bi == p->pos)
		return ring_batch_event(r, p, ev);
	r->bi = r->bn = 0;
	r->peeked = false;
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
	if (r->next == p->pos)
		return; /* a lost-count-only event */
	p->seq++;
	if (r->consume)
		rc->consumed++;
	if (r->bi < r->bn)
		r->bi++;
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
	struct trace_rec rec;
	uint32_t next;

	for (int round = 0; round < 64; round++) {
		switch (ring_fetch(rc, p.pos, &rec, NULL, &next)) {
		case FETCH_EVENT:
			return ring_widen_ts(rec_tsc(&rec), trace_env_clock());
		case FETCH_PAD:
		case FETCH_LOST:
			p.pos = next;
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
	struct ring_pos o = { .pos = rc->rd.pos, .seq = rc->rd.seq };
	uint64_t written;

	*st = (struct ring_stats){ .now_ts = trace_env_clock() };
	if (cpu >= ring.ncpus || !rc->slots)
		return;
	ring_catch_up(rc, &o); /* o.lost: overwritten, not yet seen by the consumer */
	written = ring_seq64(rc, (uint32_t)(rc->head >> 32)); /* events reserved */
	st->entries = written > o.seq ? written - o.seq : 0;
	st->overrun = rc->overrun + o.lost - rc->base_overrun;
	st->bytes = (uint64_t)((uint32_t)rc->head - o.pos) * sizeof(struct trace_rec);
	st->oldest_ts = st->entries ? ring_first_ts(rc, o) : 0;
	st->dropped = rc->dropped - rc->base_dropped;
	st->read = rc->consumed - rc->base_consumed;
	st->written = written - rc->base_written;
}

/* ---- control ---- */

static size_t ring_pages(uint32_t nslots)
{
	size_t bytes = (size_t)nslots * sizeof(struct trace_rec) +
		       (nslots / RING_BLOCK_SLOTS) * sizeof(uint32_t);

	return (bytes + RING_PAGE - 1) / RING_PAGE;
}

static uint32_t ring_slots_for(size_t bytes)
{
	uint32_t n = RING_MIN_BYTES / sizeof(struct trace_rec);

	if (bytes > RING_MAX_BYTES)
		bytes = RING_MAX_BYTES;
	while ((size_t)n * 2 * sizeof(struct trace_rec) <= bytes)
		n *= 2;
	return n;
}

/* Zeroed slots (type 0: never committed) followed by the per-block event numbers. */
static struct trace_rec *ring_alloc(uint32_t nslots)
{
	size_t words = ring_pages(nslots) * RING_PAGE / sizeof(uint64_t);
	uint64_t *p = page_alloc(ring_pages(nslots));

	for (size_t i = 0; p && i < words; i++)
		p[i] = 0;
	return (struct trace_rec *)p;
}

/* Installs a buffer on an idle CPU ring and resets all its positions and counters. */
static void ring_install(struct ring_cpu *rc, struct trace_rec *slots, uint32_t nslots)
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

static void ring_free_all(struct trace_rec **bufs, unsigned n, uint32_t nslots)
{
	for (unsigned c = 0; c < n; c++)
		if (bufs[c])
			page_free(bufs[c], ring_pages(nslots));
}

int ring_resize(size_t bytes)
{
	struct trace_rec *fresh[TRACE_MAX_CPUS] = { 0 };
	struct trace_rec *old[TRACE_MAX_CPUS];
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
	return ring_resize(bytes);
}

size_t ring_size(void)
{
	return (size_t)ring.nslots * sizeof(struct trace_rec);
}

unsigned ring_ncpus(void)
{
	return ring.ncpus;
}

void ring_clear(void)
{
	for (unsigned c = 0; c < ring.ncpus; c++) {
		struct ring_cpu *rc = &ring.cpu[c];
		uint64_t head = rc->head;

		if (!rc->slots)
			continue;
		rc->rd.seq = ring_seq64(rc, (uint32_t)(head >> 32));
		rc->rd.lost = 0;
		rc->rd.drops = rc->dropped; /* drops before the clear are not reported */
		rc->base_written = rc->rd.seq;
		rc->base_dropped = rc->dropped;
		rc->base_overrun = rc->overrun;
		rc->base_consumed = rc->consumed;
		/* Release: frees every slot before head for writers in stop mode. */
		__atomic_store_n(&rc->rd.pos, (uint32_t)head, __ATOMIC_RELEASE);
	}
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
			struct ring_pos p = { rc->rd.pos, rc->rd.seq, rc->rd.lost, rc->rd.drops };

			ring_catch_up(rc, &p);
			rc->overrun += p.lost - rc->rd.lost;
			rc->rd.seq = p.seq;
			rc->rd.lost = p.lost;
			__atomic_store_n(&rc->rd.pos, p.pos, __ATOMIC_RELEASE);
		}
	}
}
