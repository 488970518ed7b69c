#include "tools/parse-trace/pbwrite.h"

#include <stdlib.h>
#include <string.h>

#include "tools/lib/xalloc.h"

static void room(struct pbuf *b, size_t n)
{
	if (b->n + n > b->cap)
		xgrow((void **)&b->p, &b->cap, b->n + n, 1);
}

void pb_reset(struct pbuf *b)
{
	b->n = 0;
}

void pb_free(struct pbuf *b)
{
	free(b->p);
	*b = (struct pbuf){ 0 };
}

void pb_raw(struct pbuf *b, const void *p, size_t n)
{
	if (!n)
		return;	/* p may be NULL then (an empty buffer) */
	room(b, n);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

unsigned pb_varint_len(uint64_t v)
{
	unsigned n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

void pb_varint(struct pbuf *b, uint64_t v)
{
	room(b, 10);
	while (v >= 0x80) {
		b->p[b->n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->p[b->n++] = (uint8_t)v;
}

void pb_uint(struct pbuf *b, unsigned field, uint64_t v)
{
	pb_varint(b, (uint64_t)field << 3);
	pb_varint(b, v);
}

void pb_bytes(struct pbuf *b, unsigned field, const void *p, size_t n)
{
	pb_varint(b, (uint64_t)field << 3 | 2);
	pb_varint(b, n);
	pb_raw(b, p, n);
}

/* One byte is reserved for the length: nearly every message is shorter than 128 bytes. */
size_t pb_open(struct pbuf *b, unsigned field)
{
	pb_varint(b, (uint64_t)field << 3 | 2);
	room(b, 1);
	b->p[b->n++] = 0;
	return b->n;
}

void pb_close(struct pbuf *b, size_t mark)
{
	size_t len = b->n - mark;
	unsigned k = pb_varint_len(len);

	if (k > 1) {
		room(b, k - 1);
		memmove(b->p + mark + k - 1, b->p + mark, len);
		b->n += k - 1;
	}
	uint8_t *q = b->p + mark - 1;
	while (len >= 0x80) {
		*q++ = (uint8_t)(len | 0x80);
		len >>= 7;
	}
	*q = (uint8_t)len;
}

void pb_double(struct pbuf *b, unsigned field, double v)
{
	uint64_t bits;

	memcpy(&bits, &v, 8);
	pb_fixed64(b, field, bits);
}

void pb_fixed64(struct pbuf *b, unsigned field, uint64_t v)
{
	uint8_t le[8];

	for (int i = 0; i < 8; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	pb_varint(b, (uint64_t)field << 3 | 1);
	pb_raw(b, le, 8);
}
