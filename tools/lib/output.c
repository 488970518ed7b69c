#include "tools/lib/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "tools/lib/numfmt.h"
#include "tools/lib/xalloc.h"

#define OUT_BUF (1u << 20)

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void write_all(struct output *o, const char *p, size_t n)
{
	while (n && !o->failed) {
		ssize_t r = write(o->fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "%s: %s\n", o->name, strerror(errno));
			o->failed = true;
			return;
		}
		p += r;
		n -= (size_t)r;
	}
}

static void zpush(struct output *o, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { o->buf, o->len, 0 };
	size_t left;

	do {
		ZSTD_outBuffer out = { o->zbuf, o->zcap, 0 };
		left = ZSTD_compressStream2(o->zctx, &out, &in, mode);
		if (ZSTD_isError(left)) {
			fprintf(stderr, "%s: zstd: %s\n", o->name, ZSTD_getErrorName(left));
			o->failed = true;
			return;
		}
		write_all(o, o->zbuf, out.pos);
	} while (mode == ZSTD_e_end ? left != 0 : in.pos < in.size);
}

void output_flush(struct output *o)
{
	if (o->fd < 0)
		return;
	if (o->zctx)
		zpush(o, ZSTD_e_continue);
	else
		write_all(o, o->buf, o->len);
	o->len = 0;
}

struct output *output_open(const char *path)
{
	struct output *o = xcalloc(1, sizeof(*o));

	o->fd = 1;
	o->name = "<stdout>";
	if (path && strcmp(path, "-") != 0) {
		o->name = path;
		o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (o->fd < 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			free(o);
			return NULL;
		}
		if (ends_with(path, ".zst")) {
			o->zctx = ZSTD_createCCtx();
			ZSTD_CCtx_setParameter(o->zctx, ZSTD_c_compressionLevel, 3);
			o->zcap = ZSTD_CStreamOutSize();
			o->zbuf = xmalloc(o->zcap);
		}
	}
	o->cap = OUT_BUF;
	o->buf = xmalloc(o->cap);
	return o;
}

void output_make_room(struct output *o, size_t n)
{
	if (o->fd >= 0) {
		output_flush(o);
		if (n <= o->cap)
			return;
	}
	size_t cap = o->cap;
	while (o->len + n > cap)
		cap *= 2;
	o->buf = xrealloc(o->buf, cap);
	o->cap = cap;
}

struct output *output_open_mem(void)
{
	struct output *o = xcalloc(1, sizeof(*o));

	o->fd = -1;
	o->name = "<memory>";
	o->cap = 4096;
	o->buf = xmalloc(o->cap);
	return o;
}

char *output_take(struct output *o, size_t *len)
{
	char *s;

	output_reserve(o, 1);
	o->buf[o->len] = '\0';
	s = o->buf;
	*len = o->len;
	free(o);
	return s;
}

int output_close(struct output *o)
{
	int ret;

	if (o->zctx)
		zpush(o, ZSTD_e_end);
	else
		output_flush(o);
	ret = o->failed ? -1 : 0;
	if (o->fd > 1 && close(o->fd) < 0 && !o->failed) {
		fprintf(stderr, "%s: %s\n", o->name, strerror(errno));
		ret = -1;
	}
	ZSTD_freeCCtx(o->zctx);
	free(o->zbuf);
	free(o->buf);
	free(o);
	return ret;
}

void output_write(struct output *o, const char *s, size_t n)
{
	if (n > o->cap / 2 && o->fd >= 0) {
		output_flush(o);
		while (n) {
			size_t k = n < o->cap ? n : o->cap;
			memcpy(o->buf, s, k);
			o->len = k;
			output_flush(o);
			s += k;
			n -= k;
		}
		return;
	}
	output_reserve(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void output_str(struct output *o, const char *s)
{
	output_write(o, s, strlen(s));
}

void output_char(struct output *o, char c)
{
	output_reserve(o, 1);
	o->buf[o->len++] = c;
}

const char numfmt_pairs[200] = "00010203040506070809101112131415161718192021222324"
				"25262728293031323334353637383940414243444546474849"
				"50515253545556575859606162636465666768697071727374"
				"75767778798081828384858687888990919293949596979899";

/* Numbers are written straight into the buffer (tools/lib/numfmt.h): no temporary, no
 * memcpy call (a call per field was a tenth of parse-trace's time). */
void output_i64(struct output *o, int64_t v)
{
	output_reserve(o, 21);
	o->len = (size_t)(numfmt_i64(o->buf + o->len, v) - o->buf);
}

void output_us(struct output *o, int64_t ns)
{
	output_reserve(o, 24);
	o->len = (size_t)(numfmt_us(o->buf + o->len, ns) - o->buf);
}

void output_csv_field(struct output *o, const char *s, size_t n)
{
	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
	    !memchr(s, '\r', n)) {
		output_write(o, s, n);
		return;
	}
	output_char(o, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			output_char(o, '"');
		output_char(o, s[i]);
	}
	output_char(o, '"');
}

void output_json_str(struct output *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	output_char(o, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			output_char(o, '\\');
			output_char(o, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			output_write(o, esc, 6);
		} else {
			output_char(o, (char)c);
		}
	}
	output_char(o, '"');
}
