#include "tools/parse-trace/pfstream.h"

#include <stdio.h>
#include <stdlib.h>
#include <zstd.h>

#include "tools/lib/xalloc.h"

/* Perfetto asks for compressed packets below 512 KB, tag and length included: a chunk of
 * 448 KiB stays below that even if zstd cannot shrink it (ZSTD_compressBound). */
#define CHUNK (448u << 10)
#define TRACE_PACKET 1
#define ZSTD_COMPRESSED_PACKETS 133
#define ZSTD_LEVEL 3

struct pf_stream {
	struct output *out;
	struct pbuf chunk;	/* framed packets not written yet */
	struct pbuf frame;	/* the compressed packet being written */
	ZSTD_CCtx *zctx;	/* NULL: packets are written uncompressed */
	void *zbuf;
	size_t zcap;
};

struct pf_stream *pf_stream_new(struct output *out, bool zstd)
{
	struct pf_stream *s = xcalloc(1, sizeof(*s));

	s->out = out;
	if (zstd) {
		s->zctx = ZSTD_createCCtx();
		if (!s->zctx) {
			fputs("out of memory\n", stderr);
			exit(1);
		}
		ZSTD_CCtx_setParameter(s->zctx, ZSTD_c_compressionLevel, ZSTD_LEVEL);
		s->zcap = ZSTD_compressBound(CHUNK + 64);
		s->zbuf = xmalloc(s->zcap);
	}
	return s;
}

static void flush_chunk(struct pf_stream *s)
{
	if (!s->chunk.n)
		return;
	if (!s->zctx) {
		output_write(s->out, (const char *)s->chunk.p, s->chunk.n);
		pb_reset(&s->chunk);
		return;
	}
	size_t z = ZSTD_compress2(s->zctx, s->zbuf, s->zcap, s->chunk.p, s->chunk.n);
	if (ZSTD_isError(z)) {
		fprintf(stderr, "%s: zstd: %s\n", s->out->name, ZSTD_getErrorName(z));
		s->out->failed = true;
		pb_reset(&s->chunk);
		return;
	}
	pb_reset(&s->frame);
	size_t m = pb_open(&s->frame, TRACE_PACKET);
	pb_bytes(&s->frame, ZSTD_COMPRESSED_PACKETS, s->zbuf, z);
	pb_close(&s->frame, m);
	output_write(s->out, (const char *)s->frame.p, s->frame.n);
	pb_reset(&s->chunk);
}

void pf_stream_packet(struct pf_stream *s, const struct pbuf *packet)
{
	if (s->chunk.n + packet->n + 16 > CHUNK)
		flush_chunk(s);
	pb_bytes(&s->chunk, TRACE_PACKET, packet->p, packet->n);
}

void pf_stream_close(struct pf_stream *s)
{
	flush_chunk(s);
	ZSTD_freeCCtx(s->zctx);
	free(s->zbuf);
	pb_free(&s->chunk);
	pb_free(&s->frame);
	free(s);
}
