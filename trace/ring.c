/* The ring buffers' statistics and control: allocation, resize, clear, the overwrite
 * option (trace/ring.h). Writers are in trace/ring_write.c, readers in trace/ring_read.c. */
#include <errno.h>
#include "trace/ring_internal.h"

#define RING_PAGE 4096ul
#define RING_RESIZE_SPINS 100000000ul /* how long control waits for a writer to leave */

struct ring ring;

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

/* Slots followed by the per-block event numbers. Only the numbers and the last slot are
 * zeroed here: a writer zeroes each block when it first starts it (ring_reserve()), so
 * the memory of a 64 MiB buffer is not all written at boot, and a fresh buffer's last
 * slot (read as head - 1 before anything is written) is no W_ENTRY. */
static uint64_t *ring_alloc(uint32_t nslots)
{
	size_t words = ring_pages(nslots) * RING_PAGE / sizeof(uint64_t);
	uint64_t *p = page_alloc(ring_pages(nslots));

	for (size_t i = nslots - 1; p && i < words; i++)
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

