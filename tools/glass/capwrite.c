/* The capture writer: stdio for plain files, ZSTD_compressStream2 for .zst names. */
#include "tools/glass/capwrite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "tools/lib/capture.h"
#include "tools/lib/xalloc.h"

struct capwrite {
	FILE *f;
	const char *path;
	ZSTD_CCtx *z;		/* NULL: plain */
	unsigned char *zout;
	size_t zcap;
	uint64_t bytes;
	bool failed;
};

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void out(struct capwrite *w, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, w->f) != n)
		w->failed = true;
	w->bytes += n;
}

/* Feeds n bytes to the compressor (or the file); mode ZSTD_e_flush or ZSTD_e_end: all of
 * it leaves the compressor (end: finishing the zstd frame). */
static void put_mode(struct capwrite *w, const void *p, size_t n, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { p, n, 0 };
	size_t left;

	if (!w->z) {
		out(w, p, n);
		return;
	}
	do {
		ZSTD_outBuffer o = { w->zout, w->zcap, 0 };

		left = ZSTD_compressStream2(w->z, &o, &in, mode);
		if (ZSTD_isError(left)) {
			w->failed = true;
			return;
		}
		out(w, w->zout, o.pos);
	} while (mode != ZSTD_e_continue ? left != 0 : in.pos < in.size);
}

static void put(struct capwrite *w, const void *p, size_t n, bool end)
{
	put_mode(w, p, n, end ? ZSTD_e_end : ZSTD_e_continue);
}

int capwrite_flush(struct capwrite *w)
{
	if (w->z)
		put_mode(w, NULL, 0, ZSTD_e_flush);
	if (fflush(w->f))
		w->failed = true;
	return w->failed ? -1 : 0;
}

static void put_header_text(struct capwrite *w, uint32_t magic_or_0, const char *t, size_t len)
{
	unsigned char b[4];

	if (magic_or_0) {
		put_le32(b, magic_or_0);
		put(w, b, 4, false);
	}
	put_le32(b, (uint32_t)len);
	put(w, b, 4, false);
	put(w, t, len, false);
}

struct capwrite *capwrite_open(const char *path, const char *header, size_t len)
{
	struct capwrite *w = xcalloc(1, sizeof(*w));
	size_t n = strlen(path);
	unsigned char v[4];

	w->path = path;
	w->f = fopen(path, "wb");
	if (!w->f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		free(w);
		return NULL;
	}
	if (n > 4 && !strcmp(path + n - 4, ".zst")) {
		w->z = ZSTD_createCCtx();
		w->zcap = ZSTD_CStreamOutSize();
		w->zout = xmalloc(w->zcap);
		if (!w->z) {
			fputs("out of memory\n", stderr);
			exit(1);
		}
		ZSTD_CCtx_setParameter(w->z, ZSTD_c_compressionLevel, 3);
	}
	put(w, CAP_MAGIC, CAP_MAGIC_LEN, false);
	put_le32(v, CAP_VERSION);
	put(w, v, 4, false);
	put_header_text(w, 0, header, len);
	return w;
}

struct capwrite *capwrite_append(const char *path, uint64_t keep)
{
	struct capwrite *w = xcalloc(1, sizeof(*w));

	w->path = path;
	if (truncate(path, (off_t)keep) || !(w->f = fopen(path, "ab"))) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		free(w);
		return NULL;
	}
	w->bytes = keep;
	return w;
}

int capwrite_frame(struct capwrite *w, const unsigned char *hdr, const void *payload, size_t len)
{
	put(w, hdr, CAP_FRAME_HDR, false);
	put(w, payload, len, false);
	return w->failed ? -1 : 0;
}

int capwrite_close(struct capwrite *w, const char *header, size_t len)
{
	int r;

	if (header)
		put_header_text(w, CAP_TRAILER_MAGIC, header, len);
	if (w->z)
		put(w, NULL, 0, true);
	if (fclose(w->f))
		w->failed = true;
	r = w->failed ? -1 : 0;
	if (r)
		fprintf(stderr, "%s: write error\n", w->path);
	ZSTD_freeCCtx(w->z);
	free(w->zout);
	free(w);
	return r;
}

uint64_t capwrite_bytes(const struct capwrite *w)
{
	return w->bytes;
}
