/* Per-CPU ring buffers of trace records (the codec, trace/codec.h, has both the slot format
 * and the decoded form writers hand in and readers get back).
 *
 * Layout. Each CPU has a power-of-two array of 8-byte slots cut into blocks of
 * RING_BLOCK_SLOTS. A record is one slot, or a header plus continuation slots; it never
 * straddles a block: a writer that would cross a block end first fills the rest of the
 * block with a W_PAD. Every block starts with a W_SYNC (time and tid), so decoding can
 * start at any block. Positions are slot indices modulo 2^32 (a buffer has at most 2^27
 * slots, so differences between live positions are exact). Every record but the internal
 * W_PAD, W_LOST and W_SYNC is an event, a leaf is two (its entry and its return); events
 * are numbered per CPU from 0. A context switch (REC_SWITCH) is handed to readers too, but
 * is not numbered unless the sched_switch event was on when it was written (rec_numbered():
 * only then do the printers show it as a line of its own), because every count (entries,
 * overrun, read, the header's entries-in-buffer) must be of what a reader of the text
 * gets. (A refused switch still counts as dropped: what it said is lost.)
 *
 * Writers: code on the buffer's own CPU, one at a time. In the kernel every writer runs
 * with its task's `busy` set (trace_hook_begin()), so an interrupt that nests on a writer
 * records nothing (the hooks count it); ring_write() also refuses, and counts as dropped,
 * a write that nests on another one (the host tests' signal handlers). So a writer owns
 * the CPU's writer state (head, the time and tid of the last record) from reserve to
 * commit, without any atomic instruction:
 *   1. reserve: a plain store of head = slot index | event number << 32;
 *   2. fill the continuation slots;
 *   3. commit: store the header last, with release ordering. It holds the type (never 0)
 *      and, in bit 63, the lap parity of the slot index: a reader tells a committed record
 *      of this lap from a stale one of the previous lap, or from a slot still being written.
 * A call that returns while its entry is still the CPU's last record is rewritten into a
 * leaf by one 8-byte store (ring_write_return()), unless events were dropped since (a
 * refused write also sets cur_tid to W_TID_NONE, which sends the fast paths to C until a
 * record is written after the W_LOST); the destructive reader never consumes a W_ENTRY
 * that is the last record, so it never sees an entry change under it.
 * A writer must stay on its CPU from reserve to commit and must not be preempted (see
 * trace_task_in_hook()).
 *
 * Full buffer. Stop mode (default): a record that would overwrite unread ones is refused
 * and counted (dropped); the next record that fits is preceded by a W_LOST marker with
 * the drop total, so readers report the loss exactly where it happened (drops after the
 * newest event are reported when a reader reaches the end). Overwrite mode (the
 * flight recorder): writers go on over the oldest block; a reader that finds it was
 * overtaken skips to the oldest intact block and reports the exact number of events it
 * missed (from the event number stored per block).
 *
 * Readers: any CPU, concurrently with writers, through struct ring_reader. A reader copies
 * records, then re-reads head: if a writer has reserved those slots again since, the copy
 * may be torn and is thrown away. A slot not yet committed ends what is readable now.
 * So readers never return a torn or half-written record. Non-destructive readers
 * (`trace`) walk a snapshot from the oldest event to what was written when they opened;
 * the one destructive reader per CPU (`trace_pipe`) frees the slots it consumed.
 *
 * Control (ring_init, ring_resize, ring_clear, ring_set_overwrite, stats, opening a
 * reader) is for process context; the caller serializes these calls with each other
 * and with consuming reads (tracefs holds one lock for them). */
#ifndef TRACE_RING_H
#define TRACE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/config.h"
#include "trace/codec.h"

#define RING_SLOT_BYTES 8
#define RING_BLOCK_SHIFT CODEC_BLOCK_SHIFT
#define RING_BLOCK_SLOTS (1u << RING_BLOCK_SHIFT) /* 8 KiB blocks */
#define RING_TEXT_MAX W_TEXT_MAX                  /* longest W_TEXT payload */
#define RING_SYNC_SLOTS 2                         /* a W_SYNC and the TSC */
/* Two blocks: one being written while the other keeps the events before it (overwrite
 * mode moves the writer to the older one). The smallest buffer_size_kb (16). */
#define RING_MIN_BYTES (2ul * RING_BLOCK_SLOTS * RING_SLOT_BYTES)
#define RING_MAX_BYTES (1ul << 30)

/* A read position: next slot, which event of it (a leaf holds two), the decoding state
 * there, the number of the event there, events lost just before it, and the CPU's drop
 * total already accounted for (W_LOST markers carry totals). */
struct ring_pos {
	volatile uint32_t pos;
	uint32_t half;
	struct wire_state st;
	uint64_t seq;
	uint64_t lost;
	uint64_t drops;
};

struct ring_cpu {
	/* The writer state: this CPU's writers only. fentry.S's fast paths use the fields
	 * down to `last_depth` (trace/hook.h has their offsets). */
	volatile uint64_t head;          /* next slot (low 32) | next event number (high 32) */
	volatile uint32_t room_end;      /* the fast paths take slots up to, not including,
					  * this one: the end of the block or of the free room
					  * (stop mode), or head when the slow path must run */
	uint32_t cur_tid;                /* tid of the last record (W_TID_NONE: sync first) */
	uint64_t last_tsc;               /* 48-bit TSC of the last record: deltas count from it */
	uintptr_t blk_base;              /* slot i of the current block is at blk_base + 8 * i */
	uint64_t blk_lap;                /* the current block's lap bit */
	volatile uint32_t writing;       /* writers between reserve and commit */
	volatile uint32_t enabled;       /* 0 while the buffer is absent or being resized */
	uint32_t last_depth;             /* depth of the last leaf or return: a W_RETURN is
					  * one level above it (trace/codec_format.h) */
	volatile uint64_t seq_base;      /* full number of a recent block's first event: the
					  * reference that widens 32-bit event numbers */
	volatile uint64_t dropped;       /* all refused events */
	volatile uint64_t dropped_noted; /* `dropped` when the last W_LOST was written */
	volatile uint32_t wrapped;       /* the writer went round the buffer at least once */
	uint32_t mask;                   /* slots - 1 */
	uint32_t lap_shift;              /* log2(slots) */
	uint64_t *slots;
	uint32_t *blk_seq;               /* per block: low 32 bits of its first event number */
	/* The destructive reader (stop-mode writers read rd.pos: they may not pass it). */
	struct ring_pos rd __attribute__((aligned(64)));
	uint64_t overrun;                /* events the consumer found overwritten */
	uint64_t consumed;               /* events consumed */
	int consumer;                    /* a consuming reader is open */
	uint64_t base_written, base_dropped, base_overrun, base_consumed; /* at last clear */
};

struct ring {
	unsigned ncpus;
	uint32_t nslots;
	volatile bool overwrite;
	uint32_t text_base; /* functions are stored as offsets from here (start of text) */
	struct ring_cpu cpu[TRACE_MAX_CPUS];
};

extern struct ring ring;

/* ---- writer side: hook path, this CPU only ---- */

static inline uint64_t ring_lap(const struct ring_cpu *rc, uint32_t pos)
{
	return (uint64_t)((pos >> rc->lap_shift) & 1) << 63;
}

/* Whether w, read at pos, is a header committed in pos's lap (not a stale or unwritten slot). */
static inline bool ring_committed(const struct ring_cpu *rc, uint64_t w, uint32_t pos)
{
	return w_type(w) != W_NONE && (w & W_LAP_BIT) == ring_lap(rc, pos);
}

static inline uint64_t *ring_slot(const struct ring_cpu *rc, uint32_t pos)
{
	return &rc->slots[pos & rc->mask];
}

/* Writes one event (decoded form: trace/codec.h) on this CPU's buffer. Returns false if it
 * was not recorded (buffer full in stop mode, no buffer, or nested on another writer). *at,
 * if given, gets the slot of the record: ring_write_return() may merge a call's return into
 * it. */
bool ring_write_rec(unsigned cpu, const struct trace_rec *r, uint32_t *at);
/* The same for the records without a word2 (all but REC_RETURN). */
static inline bool ring_write_at(unsigned cpu, uint64_t w0, uint64_t w1, uint32_t *at)
{
	const struct trace_rec r = { w0, w1, 0 };

	return ring_write_rec(cpu, &r, at);
}
static inline bool ring_write(unsigned cpu, uint64_t w0, uint64_t w1)
{
	return ring_write_at(cpu, w0, w1, 0);
}
/* Writes a REC_RETURN event: into its REC_ENTRY's slot `entry` (making a leaf) if that is
 * still the CPU's last record, no event was dropped since, and both fit one slot; else as
 * a record of its own. */
bool ring_write_return(unsigned cpu, const struct trace_rec *r, uint32_t entry);

/* Writes a REC_TEXT event (trace_marker) of len bytes (cut to RING_TEXT_MAX). */
bool ring_write_text(unsigned cpu, uint64_t tsc, unsigned tid, const char *s, size_t len);
/* Writes a REC_EVENT: event id with len bytes of payload (at most RING_TEXT_MAX). */
bool ring_write_event(unsigned cpu, uint64_t tsc, unsigned tid, unsigned id, const void *payload,
		      size_t len);

/* ---- reader side ---- */

/* One event as a reader returns it. */
struct ring_event {
	struct trace_rec rec; /* REC_NONE: no event, only `lost` */
	uint64_t ts;          /* rec's timestamp as the full TSC */
	uint64_t lost;        /* events this CPU lost just before this one */
	unsigned text_len;    /* REC_TEXT, REC_EVENT: bytes in text (not NUL-terminated) */
	char text[RING_TEXT_MAX];
};

#define RING_BATCH 256 /* slots a reader copies and checks at once */

struct ring_reader {
	unsigned cpu;
	bool consume;
	bool bounded;        /* stops at end: snapshots always, consumers if ring_reader_bound() */
	bool peeked;
	bool lost_only;      /* the peeked event is only a loss count */
	bool unnumbered;     /* the peeked event is a switch: advancing does not count it */
	struct ring_pos own; /* a snapshot's position (a consumer uses the CPU's rd) */
	uint32_t end;        /* head when the reader was opened (or bounded) */
	uint64_t end_seq;    /* a snapshot: the number of the first event after it */
	uint64_t end_drops;  /* a snapshot: the CPU's drop total when it was taken */
	/* Where the peeked event leaves the position. */
	uint32_t next, next_half;
	struct wire_state next_st;
	/* A batch: the one-slot records at [bpos, bpos + bn), copied in one pass and checked
	 * against overtaking writers once. */
	uint32_t bpos;
	uint32_t bi, bn;     /* batch[bi] is the slot at the read position */
	uint64_t batch[RING_BATCH];
};

/* Opens a reader of one CPU. consume: the destructive reader (-EBUSY if one is open);
 * otherwise a snapshot from the oldest event to the newest one committed now.
 * Returns 0, -EINVAL (no such CPU) or -EBUSY. */
int ring_reader_open(struct ring_reader *r, unsigned cpu, bool consume);
/* The events a snapshot reader holds from where it is to its end (those a writer
 * overwrites before it gets there, in overwrite mode, it reports as lost); 0 for a
 * consumer. */
uint64_t ring_reader_entries(const struct ring_reader *r);
/* Whether a W_ENTRY that is the CPU's last record may still become a leaf: consumers hold it
 * back meanwhile (trace/ring_read.c says when it is final). */
bool ring_entry_may_become_leaf(const struct ring_cpu *rc);
/* Makes a consumer stop where the buffer ends now, like a snapshot: what writers add
 * later is left for the next reader (trace_pipe without follow, which must end even while
 * the system, or the act of sending the trace, keeps writing). */
void ring_reader_bound(struct ring_reader *r);
/* The slow paths of ring_reader_peek() and ring_reader_advance() (trace/ring_read.c). */
bool ring_reader_peek_slow(struct ring_reader *r, struct ring_event *ev);
void ring_reader_advance_slow(struct ring_reader *r);

static inline struct ring_pos *ring_reader_pos(struct ring_reader *r)
{
	return r->consume ? &ring.cpu[r->cpu].rd : &r->own;
}

/* Hands out event p->half of the batch's slot at p->pos (batches hold only one-slot
 * records with events). */
static inline void ring_batch_event(struct ring_reader *r, const struct ring_pos *p,
				    struct ring_event *ev)
{
	struct wire_state st = p->st;
	unsigned n = wire_decode1(r->batch[r->bi], p->half, &st, &ev->rec, &ev->ts, ring.text_base);

	ev->lost = p->lost;
	ev->text_len = 0;
	r->lost_only = false;
	if (p->half + 1 < n) {
		r->next = p->pos;
		r->next_half = p->half + 1;
		r->next_st = p->st;
	} else {
		r->next = p->pos + 1;
		r->next_half = 0;
		r->next_st = st;
	}
	r->peeked = true;
}

/* Fills ev with the reader's next event without consuming it; false if there is none now
 * (a bounded reader: none left before its end). An event with rec type REC_NONE carries
 * only a loss count (events lost after the last event in the buffer). Repeating peek
 * returns the same event unless a writer overtook it (overwrite mode), then the oldest
 * intact one. Inline for the common case, an event of the current batch: the printer
 * calls this for every event, and under QEMU TCG every call and return costs. The batch
 * is valid while the position is inside it: ring_clear() and ring_set_overwrite() may
 * move a consumer's position under it, and then it is inside no batch. */
static inline bool ring_reader_peek(struct ring_reader *r, struct ring_event *ev)
{
	struct ring_pos *p = ring_reader_pos(r);

	if (__builtin_expect(r->bi < r->bn && r->bpos + r->bi == p->pos, 1)) {
		ring_batch_event(r, p, ev);
		return true;
	}
	return ring_reader_peek_slow(r, ev);
}

/* Moves past the event peek returned; a consumer frees its slots for writers. */
static inline void ring_reader_advance(struct ring_reader *r)
{
	struct ring_pos *p = ring_reader_pos(r);

	if (__builtin_expect(!r->peeked || r->lost_only || r->bi >= r->bn, 0)) {
		ring_reader_advance_slow(r);
		return;
	}
	r->peeked = false;
	p->lost = 0;
	p->seq++;
	if (r->next != p->pos)
		r->bi++;
	p->half = r->next_half;
	p->st = r->next_st;
	if (r->consume)
		ring.cpu[r->cpu].consumed++;
	/* Release: the event was copied out before writers may reuse its slots. */
	__atomic_store_n(&p->pos, r->next, __ATOMIC_RELEASE);
}

void ring_reader_close(struct ring_reader *r);

/* What Linux shows in per_cpu/cpuN/stats, since the last clear. */
struct ring_stats {
	uint64_t entries;        /* events in the buffer, not consumed */
	uint64_t overrun;        /* events overwritten before being read (overwrite mode) */
	uint64_t commit_overrun; /* always 0 here */
	uint64_t bytes;          /* bytes of buffer those events use */
	uint64_t oldest_ts;      /* TSC of the oldest event in the buffer, 0 if none */
	uint64_t now_ts;         /* TSC now */
	uint64_t dropped;        /* events refused because the buffer was full (stop mode) */
	uint64_t read;           /* events consumed by the destructive reader */
	uint64_t written;        /* events recorded: entries + overrun + read */
};
void ring_get_stats(unsigned cpu, struct ring_stats *st);

/* ---- control ---- */

/* Allocates ncpus buffers of bytes each (rounded down to a power of two, at least
 * RING_MIN_BYTES). Returns 0 or -ENOMEM / -EINVAL. */
int ring_init(unsigned ncpus, size_t bytes);
/* buffer_size_kb: new empty buffers of bytes each (rounded as by ring_init). Clears all
 * events. On -ENOMEM the old buffers stay; -EBUSY if a writer did not leave in time. */
int ring_resize(size_t bytes);
/* Bytes per CPU buffer. */
size_t ring_size(void);
unsigned ring_ncpus(void);
/* Drops all events of every CPU and resets the statistics (`echo > trace`). -EBUSY if a
 * writer did not leave in time. */
int ring_clear(void);
/* The same for one CPU (`echo > per_cpu/cpuN/trace`), or for all if cpu < 0; the other
 * CPUs keep their events and statistics. -EINVAL if there is no such CPU. */
int ring_clear_cpu(int cpu);
/* The overwrite option. */
void ring_set_overwrite(bool on);

/* ---- for the raw reader (trace/raw_reader.c), which keeps its own positions ---- */

/* Whether a writer reserved slot pos of cpu again since it was written: a copy of it made
 * before may be torn. */
bool ring_pos_overtaken(unsigned cpu, uint32_t pos);
/* The oldest block of cpu no writer has started to overwrite; false if that cannot be told
 * right now. */
bool ring_oldest_intact(unsigned cpu, uint32_t *pos);
/* Takes (true) or gives back the CPU's one consuming reader. */
bool ring_consumer_claim(unsigned cpu);
void ring_consumer_release(unsigned cpu);
/* Frees cpu's slots before `block`, the start of a block written in this lap at or after
 * the consumer's position (its W_SYNC committed): the consumer moves there. */
void ring_consumer_free(unsigned cpu, uint32_t block);

#endif
