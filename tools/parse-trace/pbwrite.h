/* A small streaming protobuf writer: varints, tags and length-delimited fields appended to
 * a growable byte buffer. Nested messages are written in place and their length patched
 * when they close, so no message tree is ever built (Perfetto's protozero works the same
 * way). Only what the Perfetto exporter needs: wire types 0 (varint), 1 (double) and 2
 * (bytes). */
#ifndef TOOLS_PARSE_TRACE_PBWRITE_H
#define TOOLS_PARSE_TRACE_PBWRITE_H

#include <stddef.h>
#include <stdint.h>

struct pbuf {
	uint8_t *p;
	size_t n, cap;
};

void pb_reset(struct pbuf *b);
void pb_free(struct pbuf *b);
void pb_raw(struct pbuf *b, const void *p, size_t n);
void pb_varint(struct pbuf *b, uint64_t v);
/* field = v as a varint (uint32/64, int64 >= 0, bool, enum) */
void pb_uint(struct pbuf *b, unsigned field, uint64_t v);
/* field = n bytes (string, bytes) */
void pb_bytes(struct pbuf *b, unsigned field, const void *p, size_t n);
/* field = v as a little-endian fixed64 or double (wire type 1) */
void pb_fixed64(struct pbuf *b, unsigned field, uint64_t v);
void pb_double(struct pbuf *b, unsigned field, double v);
/* Opens a nested message in field; returns the mark pb_close needs. */
size_t pb_open(struct pbuf *b, unsigned field);
void pb_close(struct pbuf *b, size_t mark);
/* Bytes of v as a varint. */
unsigned pb_varint_len(uint64_t v);

#endif
