/* The raw readers (docs/raw-transport.md): trace_pipe_raw ships each CPU's ring slots as
 * frames and frees them only once the host acknowledges them; trace_raw ships a snapshot
 * in the same framing. No decoding, no formatting: the reader only walks record headers to
 * find where committed data ends.
 *
 * Acknowledged reading. Per CPU, state that lives across requests: the frames sent but
 * not acknowledged (a window of at most RAW_WINDOW_FRAMES positions, by seq), their first
 * slot (`acked`) and the end of the newest one (`sent`). The ring's consumer position
 * (what stop-mode writers may not pass) stays at the start of the block holding `acked`,
 * so every unacknowledged frame can be sent again byte for byte. A consumer, a clear or
 * overwrite mode that takes slots from under the window loses those frames: their seq
 * numbers are skipped and the next frame has RAW_F_GAP.
 *
 * Locking: the caller serializes every call on consuming readers, and raw_reader_seq(),
 * with the ring's control calls (tracefs's lock). */
#ifndef TRACE_RAW_READER_H
#define TRACE_RAW_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "trace/config.h"
#include "trace/raw_frame.h"
#include "trace/ring.h"

#define RAW_WINDOW_FRAMES 1024 /* frames per CPU sent and not acknowledged, at most */
#define RAW_FOLLOW_MS 1000   /* a following response ends after this long, or as soon as
			      * all is shipped of a CPU whose writers wait (trace/flow.h) */
#define RAW_FRAME_MAX (sizeof(struct raw_frame_hdr) + RING_BLOCK_SLOTS * RING_SLOT_BYTES)

struct raw_reader {
	uint32_t cpus;       /* the CPUs read */
	bool consume;        /* trace_pipe_raw; else a trace_raw snapshot */
	bool bounded;        /* stop at what was committed at open (no follow) */
	bool done;           /* the response is complete (its end, a full window, the time,
			      * all shipped while writers wait for the acknowledgement) */
	unsigned turn;       /* the CPU whose frame comes next, round robin */
	uint64_t deadline;   /* a following reader ends at this clock reading */
	uint32_t end[TRACE_MAX_CPUS];    /* bounded: head at open */
	uint64_t resend[TRACE_MAX_CPUS]; /* consume: the next seq to send of each CPU */
	uint32_t snap_pos[TRACE_MAX_CPUS]; /* snapshot: the next slot of each CPU */
	uint64_t snap_seq[TRACE_MAX_CPUS]; /* snapshot: the next frame number */
	bool snap_gap[TRACE_MAX_CPUS];
	size_t stage_off, stage_len;     /* the frame being handed out */
	unsigned char stage[RAW_FRAME_MAX];
};

/* Opens a reader of one CPU (cpu >= 0) or all. consume: trace_pipe_raw (claims the ring's
 * consumer: -EBUSY if a trace_pipe is open); bounded: end at what is committed now, else
 * follow for RAW_FOLLOW_MS. Returns 0, -EINVAL (no such CPU) or -EBUSY. */
int raw_reader_open(struct raw_reader *r, int cpu, bool consume, bool bounded);

/* Applies `from=` (text of len bytes): "C:S,C:S,..." or, for a one-CPU reader, "S".
 * Acknowledges CPU C's frames below S and sends again from S. Returns 0, or -EINVAL with
 * a one-line reason in why (then nothing changed). */
int raw_reader_from(struct raw_reader *r, const char *text, size_t len, char *why,
		    size_t why_len);

/* Copies up to len bytes of frames into buf. Returns bytes, 0 when the response is
 * complete, -EAGAIN when a following reader has nothing now. */
long raw_reader_read(struct raw_reader *r, char *buf, size_t len);

void raw_reader_close(struct raw_reader *r);

/* A CPU's oldest unacknowledged frame (raw_header's `seq`). */
uint64_t raw_reader_seq(unsigned cpu);

/* Forgets every CPU's acknowledgement state (host tests: after ring_init). */
void raw_reader_reset(void);

#endif
