/* Events from a capture: each CPU's frames concatenated into its slot stream, decoded
 * with the kernel's own codec (trace/codec.h) into the printer's events (trace/output.h),
 * as struct out_source wants them. Frames are read from the file as a CPU runs out of
 * slots, so memory holds what the file interleaves between CPUs, not the whole trace. */
#ifndef TOOLS_LIB_CAPDECODE_H
#define TOOLS_LIB_CAPDECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/lib/capture.h"
#include "trace/output.h"
#include "trace/codec.h"

/* Events per run handed to the printer: 7 KB per CPU, in L1 while it is printed. */
#define CAPDEC_RUN 128

struct capdec_cpu {
	/* The stream's slots not decoded yet: [start, end) of slots, which is own (cap
	 * slots) or, when borrowed, a frame's payload in the mapped file, decoded in place. */
	const uint64_t *slots;
	uint64_t *own;
	size_t start, end, cap;
	bool borrowed;
	bool synced;		/* a W_SYNC was seen since the start or the last gap */
	unsigned half;		/* the next event of a leaf slot: 0 entry, 1 return */
	struct wire_state st;
	uint64_t drops;		/* the W_LOST total already reported */
	uint64_t lost;		/* events lost before the next event */
	bool ended;		/* the drops after the last marker were added to lost */
	bool numbered;		/* the slow path's event counts (not a switch, not only a loss) */
	size_t next_start;	/* where the slow path's event leaves the stream */
	unsigned next_half;
	uint64_t last_seq;	/* of the last frame appended, 0 before the first */
	struct wire_state next_st;
	uint64_t events;	/* numbered events handed out (switches are not numbered) */
	char text[W_TEXT_MAX];	/* a marker's text */
	struct out_event run[CAPDEC_RUN]; /* the run capdec_fill() handed out last */
};

struct capdec {
	struct capture *cap;
	uint64_t text_base;	/* the header's */
	bool eof;		/* the file has no more frames (or a bad one: failed) */
	bool failed;
	bool no_pull;		/* decode only the slots already read (capdec_count) */
	int last_cpu;		/* of the frame read last */
	uint64_t frames, bytes;
	struct capdec_cpu cpu[RAWHDR_MAX_CPUS];
};

/* Starts decoding c (which stays the caller's). */
void capdec_init(struct capdec *d, struct capture *c);
void capdec_free(struct capdec *d);
/* struct out_source's functions; ctx is the struct capdec. fill() moves past the events
 * as it hands them out (a file has no other reader), so consume() does nothing. */
unsigned capdec_fill(void *ctx, unsigned cpu, const struct out_event **evs);
void capdec_consume(void *ctx, unsigned cpu, unsigned n);
/* Decodes the whole capture without printing, frame by frame in file order (so only a
 * frame's worth of slots is held), counting each CPU's events into cpu[].events.
 * False if the capture is bad. */
bool capdec_count(struct capdec *d);
/* The same count for a writer that sees the frames go by (glass record: the trailer's
 * `events` line), frame by frame in file order: the counts come out as capdec_count()'s
 * of the file. A counter has no capture; capdec_free() it. */
void capdec_init_counter(struct capdec *d);
void capdec_count_frame(struct capdec *d, const struct cap_frame *f);

#endif
