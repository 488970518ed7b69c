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
/* One frame: its 24-byte header as received, then its payload. */
int capwrite_frame(struct capwrite *w, const unsigned char *hdr, const void *payload,
		   size_t len);
/* The trailer (the raw header at the end of the recording), then closes the file.
 * header may be NULL (no trailer). Returns 0, or -1 with the reason printed. */
int capwrite_close(struct capwrite *w, const char *header, size_t len);
/* Bytes written to the file so far (compressed if it is). */
uint64_t capwrite_bytes(const struct capwrite *w);

#endif
