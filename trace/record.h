/* A trace record as writers hand it to the ring buffer and readers get it back: three
 * u64 words, the third used by returns only. (In the buffer most records take 8 bytes:
 * trace/wire.h.) Shared by the hooks, the readers (printer, tracefs) and host tests.
 *
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
 * Kernel text lives below 4 GiB (identity map, small code model), so 32-bit addresses
 * suffice. Type 0 (REC_NONE) is no record. */
#ifndef TRACE_RECORD_H
#define TRACE_RECORD_H

#include <stdint.h>

enum rec_type {
	REC_NONE = 0,
	REC_ENTRY = 1,
	REC_RETURN = 2,
	REC_FUNC = 3,
	REC_SWITCH = 4,
	REC_TEXT = 5,
};

/* REC_ENTRY flags */
#define REC_F_IRQ 0x01 /* first function entered from an interrupt (irq entry marker) */

struct trace_rec {
	uint64_t w0;
	uint64_t w1;
	uint64_t w2; /* REC_RETURN: the duration; 0 for other types */
};

#define REC_TSC_BITS 48
#define REC_TSC_MASK ((1ull << REC_TSC_BITS) - 1)
#define REC_TID_MASK 0xfffu

static inline uint64_t rec_w0(uint64_t tsc, unsigned tid, enum rec_type type)
{
	return (tsc & REC_TSC_MASK) | ((uint64_t)(tid & REC_TID_MASK) << 48) | ((uint64_t)type << 60);
}
static inline uint64_t rec_tsc(const struct trace_rec *r) { return r->w0 & REC_TSC_MASK; }
static inline unsigned rec_tid(const struct trace_rec *r) { return (r->w0 >> 48) & REC_TID_MASK; }
static inline enum rec_type rec_type(const struct trace_rec *r) { return (enum rec_type)((r->w0 >> 60) & 7); }
static inline uint32_t rec_func(const struct trace_rec *r) { return (uint32_t)r->w1; }
static inline unsigned rec_depth(const struct trace_rec *r) { return (r->w1 >> 32) & 0xff; }
static inline unsigned rec_flags(const struct trace_rec *r) { return (r->w1 >> 40) & 0xff; }
static inline uint64_t rec_duration(const struct trace_rec *r) { return r->w2; }
static inline uint32_t rec_parent(const struct trace_rec *r) { return (uint32_t)(r->w1 >> 32); }

/* REC_ENTRY's and REC_RETURN's word1: the function and the call depth. */
static inline uint64_t rec_call_w1(uint32_t func, unsigned depth)
{
	return func | (uint64_t)(depth & 0xff) << 32;
}

#endif
