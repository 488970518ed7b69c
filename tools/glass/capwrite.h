/* Writing capture files (docs/capture-format.md), plain or zstd-compressed (a name ending
 * in .zst), streamed: memory does not grow with the capture. */
#ifndef TOOLS_GLASS_CAPWRITE_H
#define TOOLS_GLASS_CAPWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct capwrite;

/* Creates path and writes the magic, the version and the raw header text. NULL with the
 * reason printed. */
struct capwrite *capwrite_open(const char *path, const char *header, size_t len);
/* Reopens a plain capture to add frames after its first `keep` bytes (the header and the
 * whole frames: the rest, a cut frame or a trailer, is dropped). NULL with the reason
 * printed. */
struct capwrite *capwrite_append(const char *path, uint64_t keep);
/* One frame: its 24-byte header as received, then its payload. */
int capwrite_frame(struct capwrite *w, const unsigned char *hdr, const void *payload,
		   size_t len);
/* Hands everything written so far to the file (out of the compressor and stdio): before
 * the frames are acknowledged to the guest, which then frees them. */
int capwrite_flush(struct capwrite *w);
/* The trailer (the raw header at the end of the recording), then closes the file.
 * header may be NULL (no trailer). Returns 0, or -1 with the reason printed. */
int capwrite_close(struct capwrite *w, const char *header, size_t len);
/* Bytes written to the file so far (compressed if it is). */
uint64_t capwrite_bytes(const struct capwrite *w);

#endif
