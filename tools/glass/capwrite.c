/* The capture writer: stdio for plain files, ZSTD_compressStream2 for .zst names. It
 * counts each CPU's events as the frames go by (capdecode's counter) and ends the trailer
 * with them (docs/capture-format.md): a reader then needs no counting pass for the text
 * header's entries line. */
#include "tools/glass/capwrite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "tools/lib/capdecode.h"
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
	struct capdec *count;	/* every frame's events; NULL if some were not seen */
	unsigned cpus;		/* the header's */
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

/* The header text, padded with newlines (blank lines, which readers skip) so that the
 * frames that follow start 8-byte aligned in the file: a reader that maps the file then
 * decodes their slots where they are (tools/lib/capdecode.c). */
static void put_aligned_header(struct capwrite *w, const char *header, size_t len)
{
	size_t pad = (8 - (CAP_MAGIC_LEN + 8 + len) % 8) % 8;
	char *t = xmalloc(len + pad);

	memcpy(t, header, len);
	memset(t + len, '\n', pad);
	put_header_text(w, 0, t, len + pad);
	free(t);
}

/* The CPU count of a raw header's text, 0 if it cannot be parsed. */
static unsigned header_cpus(const char *header, size_t len)
{
	struct rawhdr h;
	char err[128];
	unsigned cpus = 0;

	if (!rawhdr_parse(&h, header, len, err, sizeof(err)))
		cpus = h.cpus;
	rawhdr_free(&h);
	return cpus;
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
	put_aligned_header(w, header, len);
	w->cpus = header_cpus(header, len);
	if (w->cpus) {
		w->count = xmalloc(sizeof(*w->count));
		capdec_init_counter(w->count);
	}
	return w;
}

/* A resumed capture's counts start with those of the frames it keeps (read from the file
 * before it is cut); none if they cannot all be read. */
static void count_kept(struct capwrite *w, const char *path, uint64_t keep)
{
	struct capture *c = capture_open(path);
	struct cap_frame f;

	if (!c)
		return;
	w->cpus = capture_header(c)->cpus;
	w->count = xmalloc(sizeof(*w->count));
	capdec_init_counter(w->count);
	while (capture_good_end(c) < keep && capture_next(c, &f) > 0)
		capdec_count_frame(w->count, &f);
	if (capture_good_end(c) != keep) {
		capdec_free(w->count);
		free(w->count);
		w->count = NULL;
	}
	capture_close(c);
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
	count_kept(w, path, keep);
	return w;
}

int capwrite_frame(struct capwrite *w, const unsigned char *hdr, const void *payload, size_t len)
{
	struct cap_frame f;

	if (w->count) {
		if (!cap_frame_get(hdr, &f) && f.len == len && f.cpu < w->cpus) {
			f.payload = payload;
			capdec_count_frame(w->count, &f);
		} else {	/* a frame the counter cannot take: no counts at the end */
			capdec_free(w->count);
			free(w->count);
			w->count = NULL;
		}
	}
	put(w, hdr, CAP_FRAME_HDR, false);
	put(w, payload, len, false);
	return w->failed ? -1 : 0;
}

/* The trailer: the header text, then (if every frame was counted) the `events` line and
 * the `trailer_bytes` line that lets a reader find the trailer from the end of the file. */
static void put_trailer(struct capwrite *w, const char *header, size_t len)
{
	char *t = xmalloc(len + 32 + 24 * RAWHDR_MAX_CPUS);
	size_t n = len;

	memcpy(t, header, len);
	if (w->count) {
		if (n && t[n - 1] != '\n')
			t[n++] = '\n';
		n += (size_t)sprintf(t + n, "events");
		for (unsigned c = 0; c < w->cpus; c++)
			n += (size_t)sprintf(t + n, " %llu",
					     (unsigned long long)w->count->cpu[c].events);
		/* the whole trailer: magic, length, text, this line (fixed width) included */
		t[n++] = '\n';
		n += (size_t)sprintf(t + n, "%s %010llu\n", CAP_TRAILER_BYTES_KEY,
				     (unsigned long long)(8 + n + CAP_TRAILER_BYTES_LINE));
	}
	put_header_text(w, CAP_TRAILER_MAGIC, t, n);
	free(t);
}

int capwrite_close(struct capwrite *w, const char *header, size_t len)
{
	int r;

	if (header)
		put_trailer(w, header, len);
	if (w->z)
		put(w, NULL, 0, true);
	if (fclose(w->f))
		w->failed = true;
	r = w->failed ? -1 : 0;
	if (r)
		fprintf(stderr, "%s: write error\n", w->path);
	ZSTD_freeCCtx(w->z);
	free(w->zout);
	if (w->count)
		capdec_free(w->count);
	free(w->count);
	free(w);
	return r;
}

uint64_t capwrite_bytes(const struct capwrite *w)
{
	return w->bytes;
}
