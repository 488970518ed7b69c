/* The trace record format, version CODEC_VERSION: how records are stored in the per-CPU
 * ring buffers, and so in anything that carries the ring's blocks (raw reads, capture
 * files). Every constant of the format is here, as #defines that C and assembly share:
 * the C codec (trace/codec.h, trace/codec.c) and fentry.S's hand-written fast paths both
 * build their slots from them. Change the layout, change CODEC_VERSION.
 *
 * Writers hand over records in their decoded form (struct trace_rec, trace/codec.h: a
 * 48-bit TSC, the tid, a type and its fields); readers get that form back. In between,
 * most records take one 8-byte slot: the tid is not stored (it changes only at context
 * switches, which readers follow), the timestamp is the TSC ticks since the previous
 * record of the same CPU, and functions are stored as offsets from the start of kernel
 * text. A call that returns before anything else is recorded on its CPU is rewritten, in
 * place, from its entry into a one-slot leaf (entry and return together): a leaf call
 * costs 8 bytes, a call with children 16. What does not fit takes two slots (W_LONG, or
 * W_LONG_RET for a return), after a W_SYNC if the time since the previous record does not
 * fit either.
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
 * Every block of the buffer (CODEC_BLOCK_SLOTS slots) starts with a W_SYNC, so a reader can
 * start decoding at any block, and no record straddles two blocks.
 *
 *   W_ENTRY   delta 28 | irq 1 | depth 8 | func 22        call entry
 *   W_LEAF    delta 14 | duration 15 | depth 8 | func 22  call entry and return
 *   W_RETURN  delta 13 | duration 24 | func 22            call return, one level above
 *   W_FUNC    delta 15 | parent 22 | func 22              `function` tracer
 *   W_SWITCH  delta 27 | prev_state 8 | next_tid 12 | prev_tid 12; the tid is next_tid after
 *   W_TEXT    delta 28 | length 13 | flags 8; then ceil(length / 7) slots of 7 bytes
 *   W_EVENT   delta 28 | length 13 | event id 16; then the payload as W_TEXT's bytes
 *             (a trace event: trace/events.h lists the ids, trace/event_payloads.h the
 *             payloads)
 *   W_LONG    delta 28 | decoded type 3 | w1's bits 59..62; then w1 without them
 *   W_LONG_RET delta 28 | depth 8 | duration bits 0..22; then func 32 | duration bits
 *             23..47 (a call's duration has the TSC's 48 bits)
 *   W_SYNC    tid 12 | depth 8; then the TSC's low 48 bits: the time, tid and last
 *             leaf's or return's depth from here on
 *   W_PAD     count of slots to skip, this one included (block-end padding)
 *   W_LOST    total of the CPU's dropped events so far
 * Deltas and durations are TSC ticks; a leaf's delta and depth are its entry's. Fields are
 * listed from bit 0 up. */
#ifndef TRACE_CODEC_FORMAT_H
#define TRACE_CODEC_FORMAT_H

/* 2 added W_EVENT; a version 1 stream is a version 2 stream without events. */
#define CODEC_VERSION 2
#define CODEC_VERSION_OLDEST 1 /* the oldest version this codec decodes */

/* What a decoded record holds. */
#define CODEC_TSC_BITS 48   /* 30 hours at 2.6 GHz; also a call's longest duration */
#define CODEC_TID_BITS 12
#define CODEC_DEPTH_BITS 8
#define CODEC_BLOCK_SHIFT 10 /* 1024 slots: 8 KiB blocks */
#define CODEC_BLOCK_SLOTS (1 << CODEC_BLOCK_SHIFT)

/* Slot types (bits 59..62). */
#define W_NONE 0 /* a continuation slot, or nothing written */
#define W_ENTRY 1
#define W_LEAF 2
#define W_RETURN 3
#define W_FUNC 4
#define W_SWITCH 5
#define W_TEXT 6
#define W_LONG 7
#define W_SYNC 8
#define W_PAD 9
#define W_LOST 10
#define W_LONG_RET 11
#define W_EVENT 12

#define W_LAP_SHIFT 63
#define W_TYPE_SHIFT 59
#define W_FUNC_SHIFT 37
#define W_FUNC_BITS 22
#define W_DEPTH_SHIFT 29
#define W_ENTRY_DELTA_BITS 28
#define W_ENTRY_IRQ_SHIFT 28
#define W_LEAF_DELTA_BITS 14
#define W_LEAF_DUR_SHIFT 14
#define W_LEAF_DUR_BITS 15
#define W_RETURN_DELTA_BITS 13
#define W_RETURN_DUR_SHIFT 13
#define W_RETURN_DUR_BITS 24
#define W_FUNC_DELTA_BITS 15
#define W_PARENT_SHIFT 15
#define W_SWITCH_DELTA_BITS 27
#define W_SWITCH_STATE_SHIFT 27
#define W_SWITCH_NEXT_SHIFT 35
#define W_SWITCH_PREV_SHIFT 47
#define W_TEXT_DELTA_BITS 28
#define W_TEXT_LEN_BITS 13
#define W_EVENT_ID_SHIFT (W_TEXT_DELTA_BITS + W_TEXT_LEN_BITS)
#define W_EVENT_ID_BITS 16
#define W_LONG_DELTA_BITS 28
#define W_LONG_HIGH_SHIFT 31
#define W_LONG_RET_DEPTH_SHIFT 28
#define W_LONG_RET_DUR_SHIFT 36
#define W_LONG_RET_DUR_LOW 23 /* duration bits in the header; the rest above func */
#define W_SYNC_DEPTH_SHIFT 12
#define W_SYNC_TSC_BITS CODEC_TSC_BITS /* all a record's time has */
#define W_TEXT_SLOT 7 /* text bytes per continuation slot (the top byte stays 0) */
#define W_TEXT_MAX 4096 /* longest W_TEXT payload */

/* The bits of a W_ENTRY that must be 0 for it to become a leaf: its irq flag and the
 * delta bits a leaf has no room for. */
#define W_ENTRY_NOT_LEAF_MASK \
	(((1 << (W_ENTRY_IRQ_SHIFT + 1)) - 1) & ~((1 << W_LEAF_DELTA_BITS) - 1))

#endif
