/* The buffer holds [start, end) of unread text; a line that straddles the end of the buffer
 * is moved to the front before the next read, so each byte is copied at most once more.
 *
 * zstd input is decompressed by a second thread into a ring of blocks, so decompression
 * and parsing overlap on two cores. Each block has room in front of its data for the
 * unfinished line carried over from the previous block, so the reader parses the blocks
 * in place: the only copy is that one partial line per block. */
#include "tools/lib/input.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "tools/lib/capture.h"
#include "tools/lib/captext.h"
#include "tools/lib/xalloc.h"

#define BUF_SIZE (4u << 20)
#define FILL (256u << 10)	/* bytes per read: the parser then reads from cache */
#define BUF_SLACK 64		/* find_nl reads up to 63 bytes past the text */

#define ZBLOCK (1u << 20)	/* decompressed bytes per block */
#define ZROOM (INPUT_MAX_LINE + 64)	/* room for the carried-over line */
#define ZNBLK 4			/* blocks in the ring */
#define ZIN (1u << 20)		/* compressed bytes per read */

struct zblock {
	char *mem;		/* ZROOM, then up to ZBLOCK bytes of text, then BUF_SLACK;
				   zeroed at first, so find_nl only over-reads initialised bytes */
	size_t len;
	bool last;		/* no block follows */
};

/* The producer fills blk[head % ZNBLK] while head - tail < ZNBLK; the reader holds
 * blk[tail % ZNBLK] (once it took the first) and releases it by tail++. */
struct zpipe {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct zblock blk[ZNBLK];
	unsigned head, tail;
	bool holding, stop;
	const char *error;	/* the producer's, published with the last block */
};

struct input {
	int fd;
	const char *name;
	char *buf;		/* plain: the buffer; zstd: the block being read */
	char *plain;		/* the buffer for plain text */
	size_t start, end;
	bool eof;
	const char *error;
	uint64_t lineno, bytes;
	/* zstd: used by the producer thread only, once it runs */
	ZSTD_DCtx *dctx;		/* NULL for plain text */
	ZSTD_inBuffer zin;
	char *zbuf;
	size_t zcap;
	size_t zlast;			/* last ZSTD_decompressStream result: 0 = frame complete */
	bool zeof;
	const char *zerror;
	struct zpipe *zp;
	struct captext *cap;		/* a capture file: its text comes from the printer */
	char prefix[64];		/* the start of an overlong line */
};

static ssize_t read_some(int fd, void *dst, size_t n, const char **error)
{
	ssize_t r;

	do
		r = read(fd, dst, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		*error = strerror(errno);
	return r;
}

/* Fills compressed input; false at end of the compressed file. */
static bool zfill(struct input *in)
{
	if (in->zin.pos < in->zin.size)
		return true;
	if (in->zeof)
		return false;
	ssize_t r = read_some(in->fd, in->zbuf, in->zcap, &in->zerror);
	if (r <= 0) {
		in->zeof = true;
		return false;
	}
	in->zin.src = in->zbuf;
	in->zin.size = (size_t)r;
	in->zin.pos = 0;
	return true;
}

/* Decompresses up to n bytes; fewer only at the end of the stream or on an error, which
 * is then in zerror (the text before it is still returned). */
static size_t zread(struct input *in, char *dst, size_t n)
{
	ZSTD_outBuffer out = { dst, n, 0 };

	while (out.pos < n && !in->zerror) {
		if (!zfill(in)) {
			if (in->zlast != 0 && !in->zerror)
				in->zerror = "truncated zstd stream";
			break;
		}
		size_t r = ZSTD_decompressStream(in->dctx, &out, &in->zin);
		if (ZSTD_isError(r))
			in->zerror = ZSTD_getErrorName(r);
		else
			in->zlast = r;
	}
	return out.pos;
}

/* The decompression thread: fills free blocks until the stream ends or fails. */
static void *zproducer(void *arg)
{
	struct input *in = arg;
	struct zpipe *z = in->zp;

	for (bool last = false; !last;) {
		pthread_mutex_lock(&z->mu);
		while (z->head - z->tail >= ZNBLK && !z->stop)
			pthread_cond_wait(&z->cv, &z->mu);
		struct zblock *b = &z->blk[z->head % ZNBLK];
		bool stop = z->stop;
		pthread_mutex_unlock(&z->mu);
		if (stop)
			break;
		b->len = zread(in, b->mem + ZROOM, ZBLOCK);
		last = b->len < ZBLOCK || in->zerror;	/* end of stream or error */
		b->last = last;
		pthread_mutex_lock(&z->mu);
		z->error = in->zerror;
		z->head++;
		pthread_cond_broadcast(&z->cv);
		pthread_mutex_unlock(&z->mu);
	}
	return NULL;
}

/* Moves to the next block, carrying the unread text (at most INPUT_MAX_LINE bytes, as
 * input_line only refills then) in front of its data. */
static void zrefill(struct input *in)
{
	struct zpipe *z = in->zp;
	size_t left = in->end - in->start;

	pthread_mutex_lock(&z->mu);
	while (z->head - z->tail < (z->holding ? 2u : 1u))
		pthread_cond_wait(&z->cv, &z->mu);
	struct zblock *b = &z->blk[(z->tail + z->holding) % ZNBLK];
	pthread_mutex_unlock(&z->mu);

	if (left > ZROOM) {	/* input_line never refills with more than a line left */
		fputs("input: internal error: carried-over text too long\n", stderr);
		abort();
	}
	memcpy(b->mem + ZROOM - left, in->buf + in->start, left);
	pthread_mutex_lock(&z->mu);
	if (z->holding)
		z->tail++;
	z->holding = true;
	if (b->last) {
		in->eof = true;
		in->error = z->error;
	}
	pthread_cond_broadcast(&z->cv);
	pthread_mutex_unlock(&z->mu);
	in->buf = b->mem;
	in->start = ZROOM - left;
	in->end = ZROOM + b->len;
}

/* The next text of a capture file, as glass report prints it. */
static ssize_t read_capture(struct input *in, char *dst, size_t n)
{
	size_t r = captext_read(in->cap, dst, n);

	if (!r && captext_failed(in->cap))
		in->error = "bad capture file";	/* the reason was printed with its offset */
	return (ssize_t)r;
}

static void refill(struct input *in)
{
	if (in->zp) {
		zrefill(in);
		return;
	}
	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->end -= in->start;
		in->start = 0;
	}
	size_t n = BUF_SIZE - in->end < FILL ? BUF_SIZE - in->end : FILL;
	ssize_t r = in->cap ? read_capture(in, in->buf + in->end, n) :
			      read_some(in->fd, in->buf + in->end, n, &in->error);
	if (r <= 0)
		in->eof = true;
	else
		in->end += (size_t)r;
}

static void zstart(struct input *in)
{
	struct zpipe *z = xcalloc(1, sizeof(*z));

	for (int i = 0; i < ZNBLK; i++)
		z->blk[i].mem = xcalloc(1, ZROOM + ZBLOCK + BUF_SLACK);
	pthread_mutex_init(&z->mu, NULL);
	pthread_cond_init(&z->cv, NULL);
	in->zp = z;
	if (pthread_create(&z->thread, NULL, zproducer, in)) {
		fputs("cannot start the decompression thread\n", stderr);
		exit(1);
	}
}

static void detect_zstd(struct input *in)
{
	static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

	while (!in->eof && in->end < 4)
		refill(in);
	if (in->end < 4 || memcmp(in->buf, magic, 4) != 0)
		return;
	in->dctx = ZSTD_createDCtx();
	/* the first read may already hold more than one zstd input block */
	in->zcap = ZIN > in->end ? ZIN : in->end;
	in->zbuf = xmalloc(in->zcap);
	if (!in->dctx) {
		fputs("out of memory\n", stderr);
		exit(1);
	}
	/* what was read so far is compressed input */
	memcpy(in->zbuf, in->buf, in->end);
	in->zin = (ZSTD_inBuffer){ in->zbuf, in->end, 0 };
	in->start = in->end = 0;
	in->eof = false;
	in->zlast = 1;
	in->zerror = in->error;
	in->error = NULL;
	zstart(in);
}

struct input *input_open(const char *path)
{
	struct input *in = xcalloc(1, sizeof(*in));

	in->name = path;
	if (capture_sniff(path)) {	/* glass record's capture file: read as its text */
		in->fd = -1;
		in->cap = captext_open(path);
		if (!in->cap) {
			free(in);
			return NULL;
		}
		in->buf = in->plain = xcalloc(1, BUF_SIZE + BUF_SLACK);
		return in;
	}
	in->fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	if (in->fd < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		free(in);
		return NULL;
	}
	if (strcmp(path, "-") == 0)
		in->name = "<stdin>";
	else
		posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	/* zeroed, slack included: find_nl's over-reads only ever see initialised bytes */
	in->buf = in->plain = xcalloc(1, BUF_SIZE + BUF_SLACK);
	detect_zstd(in);
	return in;
}

/* Skips the rest of an overlong line. */
static void skip_line(struct input *in)
{
	for (;;) {
		char *nl = memchr(in->buf + in->start, '\n', in->end - in->start);
		if (nl) {
			in->bytes += (uint64_t)(nl + 1 - (in->buf + in->start));
			in->start = (size_t)(nl + 1 - in->buf);
			return;
		}
		in->bytes += in->end - in->start;
		in->start = in->end = 0;
		if (in->eof)
			return;
		refill(in);
	}
}

/* memchr(p, '\n', n), inline for the usual short lines: a call per 45-byte line cost more
 * than the search. 64 bytes per step, so most lines take one. May read up to 63 bytes
 * past p + n (BUF_SLACK). */
static inline char *find_nl(char *p, size_t n)
{
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');
	size_t i = 0;

	for (; i < n && i < 256; i += 64) {
		const __m128i *v = (const __m128i *)(const void *)(p + i);
		uint64_t m = (uint64_t)(unsigned)_mm_movemask_epi8(
				     _mm_cmpeq_epi8(_mm_loadu_si128(v), nl)) |
			     (uint64_t)(unsigned)_mm_movemask_epi8(
				     _mm_cmpeq_epi8(_mm_loadu_si128(v + 1), nl)) << 16 |
			     (uint64_t)(unsigned)_mm_movemask_epi8(
				     _mm_cmpeq_epi8(_mm_loadu_si128(v + 2), nl)) << 32 |
			     (uint64_t)(unsigned)_mm_movemask_epi8(
				     _mm_cmpeq_epi8(_mm_loadu_si128(v + 3), nl)) << 48;
		if (m) {
			size_t k = i + (size_t)__builtin_ctzll(m);
			return k < n ? p + k : NULL;
		}
	}
	return i < n ? memchr(p + i, '\n', n - i) : NULL;
#else
	return memchr(p, '\n', n);
#endif
}

const char *input_line(struct input *in, size_t *len, bool *too_long)
{
	size_t scanned = 0;

	*too_long = false;
	for (;;) {
		char *p = in->buf + in->start;
		size_t avail = in->end - in->start;
		char *nl = find_nl(p + scanned, avail - scanned);
		if (nl && (size_t)(nl - p) <= INPUT_MAX_LINE) {
			*len = (size_t)(nl - p);
			in->start += *len + 1;
			in->bytes += *len + 1;
			in->lineno++;
			return p;
		}
		if (nl || avail > INPUT_MAX_LINE) {
			/* return a short prefix as the line, drop the rest */
			size_t n = avail < sizeof(in->prefix) ? avail : sizeof(in->prefix);
			memcpy(in->prefix, p, n);
			skip_line(in);
			in->lineno++;
			*len = n;
			*too_long = true;
			return in->prefix;
		}
		if (in->eof) {
			if (avail == 0 || in->error)
				return NULL;
			in->start = in->end;
			in->bytes += avail;
			in->lineno++;
			*len = avail;
			return p;
		}
		scanned = avail;
		refill(in);
		scanned = in->end - in->start < scanned ? 0 : scanned;
	}
}

uint64_t input_lineno(const struct input *in)
{
	return in->lineno;
}

uint64_t input_bytes(const struct input *in)
{
	return in->bytes;
}

const char *input_name(const struct input *in)
{
	return in->name;
}

bool input_is_zstd(const struct input *in)
{
	return in->dctx != NULL;
}

bool input_is_capture(const struct input *in)
{
	return in->cap != NULL;
}

const char *input_error(const struct input *in)
{
	return in->error;
}

void input_close(struct input *in)
{
	if (!in)
		return;
	struct zpipe *z = in->zp;
	if (z) {	/* stop the producer, which may be waiting for a free block */
		pthread_mutex_lock(&z->mu);
		z->stop = true;
		pthread_cond_broadcast(&z->cv);
		pthread_mutex_unlock(&z->mu);
		pthread_join(z->thread, NULL);
		pthread_mutex_destroy(&z->mu);
		pthread_cond_destroy(&z->cv);
		for (int i = 0; i < ZNBLK; i++)
			free(z->blk[i].mem);
		free(z);
	}
	if (in->fd > 0)
		close(in->fd);
	captext_close(in->cap);
	ZSTD_freeDCtx(in->dctx);
	free(in->zbuf);
	free(in->plain);
	free(in);
}
