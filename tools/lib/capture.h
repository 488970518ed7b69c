/* Capture files written by `glass record` (docs/capture-format.md): "GLASSCAP", a version,
 * the guest's raw_header text, then the guest's frames as received (each CPU's in
 * sequence order, no duplicates), and optionally a trailer with the raw_header as it was
 * when the recording ended. The whole file may be zstd-compressed. Reading checks every
 * length and field: a bad file gives "FILE: offset N: reason", never a crash. */
#ifndef TOOLS_LIB_CAPTURE_H
#define TOOLS_LIB_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/lib/rawhdr.h"

#define CAP_MAGIC "GLASSCAP"
#define CAP_MAGIC_LEN 8
#define CAP_VERSION 1
#define CAP_HEADER_MAX (64u << 20)	/* raw_header text: symbol tables are large */

/* A frame as the guest sends it (/ftrace/trace_pipe_raw): little-endian. */
#define CAP_FRAME_MAGIC 0x57524c47u	/* "GLRW" */
#define CAP_FRAME_VERSION 1
#define CAP_FRAME_HDR 24
#define CAP_FRAME_GAP 1u		/* slots were lost before this frame */
#define CAP_FRAME_BLOCK_START 2u	/* the payload starts at a block start (a W_SYNC) */
#define CAP_FRAME_MAX (16u << 20)	/* longest payload accepted */
/* The trailer: "GEND", a u32 length, the final raw_header text. glass record ends the
 * text with two lines of its own: "events N0 N1 ..." (each CPU's events, as the text
 * header counts them) and, last, "trailer_bytes NNNNNNNNNN" (ten digits: the trailer's
 * bytes from its magic to the end of the file), so a reader finds the counts from the end
 * of the file without reading the frames. */
#define CAP_TRAILER_MAGIC 0x444e4547u
#define CAP_TRAILER_BYTES_KEY "trailer_bytes"
#define CAP_TRAILER_BYTES_LINE 25	/* "trailer_bytes %010llu\n" */

struct cap_frame {
	unsigned cpu;
	uint64_t seq;
	uint32_t len;		/* payload bytes, a multiple of 8 */
	uint32_t flags;
	/* len bytes: len / 8 little-endian slots, valid until the next capture_next(); not
	 * aligned (it may point into the mapped file): copy them out */
	const unsigned char *payload;
};

struct capture;

/* Opens path ("-": stdin), plain or zstd, and reads up to the frames. NULL with the
 * reason printed on stderr if it cannot be read or is not a capture. */
struct capture *capture_open(const char *path);
const struct rawhdr *capture_header(const struct capture *c);
/* The trailer's header (the counts at the end of the recording), NULL if none was read. */
const struct rawhdr *capture_trailer(const struct capture *c);
/* The trailer's per-CPU event counts (its "events" line), found from the end of a plain
 * file before any frame is read: true if there are counts for each of the header's CPUs,
 * false if not (a zstd capture or stdin, no trailer, an older capture: count the frames). */
bool capture_end_counts(const struct capture *c, uint64_t events[RAWHDR_MAX_CPUS]);
/* The next frame: 1, 0 at the end of the file, -1 on bad input (reason printed). */
int capture_next(struct capture *c, struct cap_frame *f);
const char *capture_name(const struct capture *c);
/* Whether frame payloads stay valid until capture_close() (a mapped plain file), not only
 * until the next capture_next(). */
bool capture_payloads_stay(const struct capture *c);
/* The offset (in the decompressed file) just after the header or the last whole frame
 * read: where a writer that resumes the capture cuts it. */
uint64_t capture_good_end(const struct capture *c);
bool capture_is_zstd(const struct capture *c);
/* After capture_next() returned -1: true if only the file's end cut a frame. */
bool capture_is_cut(const struct capture *c);
void capture_close(struct capture *c);

/* Whether the file starts with the capture magic, plain or zstd (reads its first bytes). */
bool capture_sniff(const char *path);

/* Little-endian frame header fields: encode for writers, decode for readers. */
void cap_frame_put(unsigned char *h, unsigned cpu, uint64_t seq, uint32_t len, uint32_t flags);
/* Decodes and checks a frame header (magic, version, length); NULL or the reason. */
const char *cap_frame_get(const unsigned char *h, struct cap_frame *f);

#endif
