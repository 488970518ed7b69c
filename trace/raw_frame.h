/* The framing of the raw trace transport (docs/raw-transport.md): trace_pipe_raw and
 * trace_raw bodies are frames, each this 24-byte little-endian header and then `len` bytes
 * of one CPU's ring slots exactly as the ring holds them (trace/codec.h). Shared by the
 * guest and host readers. */
#ifndef TRACE_RAW_FRAME_H
#define TRACE_RAW_FRAME_H

#include <stdint.h>

#define RAW_MAGIC 0x57524c47u /* "GLRW" in memory order */
#define RAW_VERSION 1
#define RAW_HEADER_VERSION 1  /* raw_header's first line: "glass-raw 1" */

/* flags */
#define RAW_F_GAP 1u         /* slots were lost since this CPU's previous frame: decode
			      * from this payload's first W_SYNC */
#define RAW_F_BLOCK_START 2u /* the payload starts at a block start (a W_SYNC) */
#define RAW_F_SNAPSHOT 4u    /* trace_raw: seq numbers this response's frames only */

struct raw_frame_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t cpu;
	uint64_t seq;
	uint32_t len;   /* payload bytes, a multiple of 8, at most one block */
	uint32_t flags;
};

_Static_assert(sizeof(struct raw_frame_hdr) == 24, "the frame header is 24 bytes");

#endif
