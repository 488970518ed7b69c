/* Reading capture files: a small buffered byte source over a file descriptor, through
 * zstd when the file starts with its frame magic, and the record loop on top of it. */
#include "tools/lib/capture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "tools/lib/xalloc.h"

#define CAP_BUF (1u << 20)

struct capture {
	const char *name;
	int fd;
	ZSTD_DCtx *z;		/* NULL: plain */
	unsigned char *in;	/* compressed input */
	ZSTD_inBuffer zin;
	bool in_eof;
	unsigned char *buf;	/* decoded bytes [pos, len) */
	bool mapped;		/* buf is the whole (plain) file, mapped: no read, no copy */
	size_t pos, len;
	uint64_t offset;	/* of buf[pos] in the (decompressed) file */
	bool failed;
	struct rawhdr hdr, end;
	bool has_end;
	uint64_t *payload;
	size_t payload_cap;
	uint64_t last_seq[RAWHDR_MAX_CPUS];
	uint64_t good_end;	/* offset after the header or the last whole frame */
	uint64_t frames_at;	/* offset after the header */
	bool cut;		/* the file ends inside a record (nothing else is wrong) */
};

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

void cap_frame_put(unsigned char *h, unsigned cpu, uint64_t seq, uint32_t len, uint32_t flags)
{
	put32(h, CAP_FRAME_MAGIC);
	h[4] = CAP_FRAME_VERSION;
	h[5] = 0;
	h[6] = (unsigned char)cpu;
	h[7] = (unsigned char)(cpu >> 8);
	put32(h + 8, (uint32_t)seq);
	put32(h + 12, (uint32_t)(seq >> 32));
	put32(h + 16, len);
	put32(h + 20, flags);
}

const char *cap_frame_get(const unsigned char *h, struct cap_frame *f)
{
	if (get32(h) != CAP_FRAME_MAGIC)
		return "bad frame magic";
	if ((h[4] | h[5] << 8) != CAP_FRAME_VERSION)
		return "unknown frame version";
	f->cpu = (unsigned)(h[6] | h[7] << 8);
	f->seq = get64(h + 8);
	f->len = get32(h + 16);
	f->flags = get32(h + 20);
	if (f->len % 8)
		return "frame length not a multiple of 8";
	if (f->len > CAP_FRAME_MAX)
		return "frame too long";
	if (f->seq == 0)
		return "frame sequence number 0";
	return NULL;
}

static int bad(struct capture *c, const char *why);

/* The file ends inside a record: what a killed writer leaves. */
static int cut(struct capture *c, const char *why)
{
	if (!c->failed)
		c->cut = true;
	return bad(c, why);
}

static int bad(struct capture *c, const char *why)
{
	if (!c->failed)
		fprintf(stderr, "%s: offset %llu: %s\n", c->name, (unsigned long long)c->offset, why);
	c->failed = true;
	return -1;
}

/* Refills buf after moving its unread bytes to the front; false at the end or error. */
static bool refill(struct capture *c)
{
	ssize_t r;

	if (c->mapped)
		return false; /* all of it is there */
	memmove(c->buf, c->buf + c->pos, c->len - c->pos);
	c->len -= c->pos;
	c->pos = 0;
	if (!c->z) {
		do
			r = read(c->fd, c->buf + c->len, CAP_BUF - c->len);
		while (r < 0 && errno == EINTR);
		if (r <= 0)
			return false;
		c->len += (size_t)r;
		return true;
	}
	for (;;) {
		ZSTD_outBuffer out = { c->buf + c->len, CAP_BUF - c->len, 0 };
		size_t zr;

		if (c->zin.pos == c->zin.size && !c->in_eof) {
			do
				r = read(c->fd, c->in, CAP_BUF);
			while (r < 0 && errno == EINTR);
			c->in_eof = r <= 0;
			c->zin = (ZSTD_inBuffer){ c->in, r > 0 ? (size_t)r : 0, 0 };
		}
		if (c->zin.pos == c->zin.size && c->in_eof)
			return false;
		zr = ZSTD_decompressStream(c->z, &out, &c->zin);
		if (ZSTD_isError(zr)) {
			bad(c, ZSTD_getErrorName(zr));
			return false;
		}
		c->len += out.pos;
		if (out.pos)
			return true;
	}
}

/* Makes n (<= CAP_BUF) bytes available at buf + pos; false if the file ends before. */
static bool need(struct capture *c, size_t n)
{
	while (c->len - c->pos < n)
		if (!refill(c))
			return false;
	return true;
}

static void take(struct capture *c, size_t n)
{
	c->pos += n;
	c->offset += n;
}

/* Copies n bytes (any length) into dst; false if the file ends before. */
static bool read_into(struct capture *c, void *dst, size_t n)
{
	unsigned char *d = dst;

	while (n) {
		size_t k;

		if (c->pos == c->len && !refill(c))
			return false;
		k = c->len - c->pos < n ? c->len - c->pos : n;
		memcpy(d, c->buf + c->pos, k);
		take(c, k);
		d += k;
		n -= k;
	}
	return true;
}

/* A u32 length, then that much raw_header text, parsed into h. */
static int read_header_text(struct capture *c, struct rawhdr *h)
{
	char err[160], msg[200];
	uint64_t start;
	uint32_t n;
	char *text;

	if (!need(c, 4))
		return bad(c, "truncated header length");
	n = get32(c->buf + c->pos);
	if (n > CAP_HEADER_MAX)
		return bad(c, "header length too large");
	take(c, 4);
	text = xmalloc(n ? n : 1);
	start = c->offset;
	if (!read_into(c, text, n)) {
		free(text);
		return bad(c, "truncated header");
	}
	if (rawhdr_parse(h, text, n, err, sizeof(err))) {
		free(text);
		c->offset = start;	/* the message names the header's line from its start */
		snprintf(msg, sizeof(msg), "raw header %s", err);
		return bad(c, msg);
	}
	free(text);
	return 0;
}

static int open_fd(struct capture *c, const char *path)
{
	static const unsigned char zmagic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

	struct stat st;

	c->fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;
	if (c->fd < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	/* A plain regular file is mapped whole: frames are handed out in place, without the
	 * copies of read() (a tenth of glass report's time). zstd files are read. */
	if (c->fd > 0 && !fstat(c->fd, &st) && S_ISREG(st.st_mode) && st.st_size >= 4 &&
	    (uint64_t)st.st_size == (size_t)st.st_size) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, c->fd, 0);

		if (m != MAP_FAILED) {
			if (memcmp(m, zmagic, 4)) {
				madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
				c->buf = m;
				c->len = (size_t)st.st_size;
				c->mapped = true;
				return 0;
			}
			munmap(m, (size_t)st.st_size);
		}
	}
	c->buf = xmalloc(CAP_BUF);
	while (c->len < 4 && refill(c))
		;
	if (c->len >= 4 && !memcmp(c->buf, zmagic, 4)) {
		/* what was read is compressed input */
		c->z = ZSTD_createDCtx();
		c->in = xmalloc(CAP_BUF);
		memcpy(c->in, c->buf, c->len);
		c->zin = (ZSTD_inBuffer){ c->in, c->len, 0 };
		c->len = 0;
		if (!c->z) {
			fputs("out of memory\n", stderr);
			exit(1);
		}
	}
	return 0;
}

struct capture *capture_open(const char *path)
{
	struct capture *c = xcalloc(1, sizeof(*c));

	c->name = strcmp(path, "-") ? path : "<stdin>";
	if (open_fd(c, path)) {
		free(c);
		return NULL;
	}
	if (!need(c, CAP_MAGIC_LEN + 4) || memcmp(c->buf + c->pos, CAP_MAGIC, CAP_MAGIC_LEN)) {
		bad(c, "not a glass capture file (no GLASSCAP magic)");
		goto fail;
	}
	if (get32(c->buf + c->pos + CAP_MAGIC_LEN) != CAP_VERSION) {
		take(c, CAP_MAGIC_LEN);
		bad(c, "unknown capture version");
		goto fail;
	}
	take(c, CAP_MAGIC_LEN + 4);
	if (read_header_text(c, &c->hdr))
		goto fail;
	c->good_end = c->frames_at = c->offset;
	return c;
fail:
	capture_close(c);
	return NULL;
}

const struct rawhdr *capture_header(const struct capture *c)
{
	return &c->hdr;
}

const struct rawhdr *capture_trailer(const struct capture *c)
{
	return c->has_end ? &c->end : NULL;
}

uint64_t capture_good_end(const struct capture *c)
{
	return c->good_end;
}

bool capture_is_cut(const struct capture *c)
{
	return c->cut;
}

bool capture_is_zstd(const struct capture *c)
{
	return c->z != NULL;
}

bool capture_payloads_stay(const struct capture *c)
{
	return c->mapped;
}

const char *capture_name(const struct capture *c)
{
	return c->name;
}

/* The unsigned decimal number of the n bytes at s (all digits, n <= 19); false if not. */
static bool parse_dec(const unsigned char *s, size_t n, uint64_t *v)
{
	*v = 0;
	if (!n || n > 19)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return true;
}

/* The "events N0 N1 ..." line [s, e) into events: one number per CPU. */
static bool parse_events_line(const unsigned char *s, const unsigned char *e, unsigned cpus,
			      uint64_t events[RAWHDR_MAX_CPUS])
{
	unsigned n = 0;

	if (e - s < 7 || memcmp(s, "events ", 7))
		return false;
	for (s += 6; s < e && n < RAWHDR_MAX_CPUS; n++) {
		const unsigned char *w;

		if (*s++ != ' ')
			return false;
		for (w = s; w < e && *w != ' '; w++)
			;
		if (!parse_dec(s, (size_t)(w - s), &events[n]))
			return false;
		s = w;
	}
	return s == e && n == cpus;
}

bool capture_end_counts(const struct capture *c, uint64_t events[RAWHDR_MAX_CPUS])
{
	const size_t kl = sizeof(CAP_TRAILER_BYTES_KEY) - 1, line = CAP_TRAILER_BYTES_LINE;
	const unsigned char *b = c->buf, *end, *e;
	uint64_t t;

	/* only a mapped file can be read from its end */
	if (!c->mapped || c->len < c->frames_at + 8 + line)
		return false;
	end = b + c->len - line;	/* the trailer_bytes line */
	if (memcmp(end, CAP_TRAILER_BYTES_KEY " ", kl + 1) || end[line - 1] != '\n' ||
	    !parse_dec(end + kl + 1, line - kl - 2, &t))
		return false;
	if (t < 8 + line || t > c->len - c->frames_at ||
	    get32(b + c->len - t) != CAP_TRAILER_MAGIC || get32(b + c->len - t + 4) != t - 8)
		return false;
	/* the events line is the one before */
	if (end[-1] != '\n')
		return false;
	for (e = end - 1; e > b + c->len - t + 8 && e[-1] != '\n'; e--)
		;
	return end > e && parse_events_line(e, end - 1, c->hdr.cpus, events);
}

/* The trailer: its header text, then nothing may follow. */
static int read_trailer(struct capture *c)
{
	take(c, 4);
	if (read_header_text(c, &c->end))
		return -1;
	c->has_end = true;
	if (need(c, 1))
		return bad(c, "data after the trailer");
	return c->failed ? -1 : 0;
}

int capture_next(struct capture *c, struct cap_frame *f)
{
	const char *why;

	if (c->failed)
		return -1;
	if (!need(c, 4))
		return c->failed ? -1 : c->len > c->pos ? cut(c, "truncated frame header") : 0;
	if (get32(c->buf + c->pos) == CAP_TRAILER_MAGIC)
		return read_trailer(c) ? -1 : 0;
	if (!need(c, CAP_FRAME_HDR))
		return c->failed ? -1 : cut(c, "truncated frame header");
	if ((why = cap_frame_get(c->buf + c->pos, f)))
		return bad(c, why);
	if (f->cpu >= c->hdr.cpus)
		return bad(c, "frame of a CPU the header does not have");
	if (f->seq <= c->last_seq[f->cpu])
		return bad(c, "frame sequence number not increasing");
	take(c, CAP_FRAME_HDR);
	if (c->mapped) {
		if (c->len - c->pos < f->len)
			return cut(c, "truncated frame");
		f->payload = c->buf + c->pos;
		take(c, f->len);
	} else {
		xgrow((void **)&c->payload, &c->payload_cap, f->len / 8 + 1, sizeof(uint64_t));
		if (!read_into(c, c->payload, f->len))
			return c->failed ? -1 : cut(c, "truncated frame");
		f->payload = (const unsigned char *)c->payload;
	}
	c->last_seq[f->cpu] = f->seq;
	c->good_end = c->offset;
	return 1;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->fd > 0)
		close(c->fd);
	ZSTD_freeDCtx(c->z);
	rawhdr_free(&c->hdr);
	rawhdr_free(&c->end);
	free(c->in);
	if (c->mapped)
		munmap(c->buf, c->len);
	else
		free(c->buf);
	free(c->payload);
	free(c);
}

bool capture_sniff(const char *path)
{
	struct capture c = { .name = path };
	bool yes;
	int fd;

	/* A file that cannot be opened is not a capture: its reader says why, once. */
	if (!strcmp(path, "-") || (fd = open(path, O_RDONLY)) < 0)
		return false;
	close(fd);
	if (open_fd(&c, path))
		return false;
	yes = need(&c, CAP_MAGIC_LEN) && !memcmp(c.buf + c.pos, CAP_MAGIC, CAP_MAGIC_LEN);
	close(c.fd);
	ZSTD_freeDCtx(c.z);
	free(c.in);
	if (c.mapped)
		munmap(c.buf, c.len);
	else
		free(c.buf);
	return yes;
}
