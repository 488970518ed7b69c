#include "tools/parse-trace/tdat_pages.h"

#include <stdbool.h>
#include <string.h>

#define HEADER 16
#define TYPE_TIME_EXTEND 30
#define MAX_TYPE_LEN 28		/* data records up to 28 words say their length in type_len */
#define DELTA_BITS 27
#define MISSED_EVENTS (1u << 31)
#define MISSED_STORED (1u << 30)

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* trace.dat says little-endian; so is every host we build on */
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* The commit word: bytes of records, and whether events were lost before this page. */
static int write_page(struct tdat_cpu *c)
{
	uint64_t commit = c->used;

	if (c->lost_pending) {
		commit |= MISSED_EVENTS;
		if (c->lost >= 0) {
			commit |= MISSED_STORED;
			put64(c->page + HEADER + c->used, (uint64_t)c->lost);
		}
		c->lost_pending = false;
		c->lost = 0;
	}
	put64(c->page + 8, commit);
	if (!c->tmp)
		c->tmp = tmpfile();
	if (!c->tmp || fwrite(c->page, TDAT_PAGE, 1, c->tmp) != 1) {
		perror("trace.dat: temporary file");
		return -1;
	}
	c->pages++;
	c->used = 0;
	return 0;
}

static void header(uint8_t *p, unsigned type_len, uint64_t delta)
{
	put32(p, (uint32_t)type_len | (uint32_t)(delta << 5));
}

int tdat_record(struct tdat_cpu *c, int64_t ts, const void *payload, size_t n)
{
	bool big = n > 4 * MAX_TYPE_LEN;	/* the length goes in a word of its own */
	size_t need = 4 + (big ? 4 : 0) + n + 8;	/* the record, perhaps a time extend */

	if (ts < c->last_ts)
		ts = c->last_ts;
	if (c->used && HEADER + c->used + need + 8 > TDAT_PAGE && write_page(c))
		return -1;
	if (!c->used) {	/* a page starts at its first record's time */
		memset(c->page, 0, TDAT_PAGE);
		put64(c->page, (uint64_t)ts);
		c->last_ts = ts;
	}
	uint64_t delta = (uint64_t)(ts - c->last_ts);
	uint8_t *p = c->page + HEADER + c->used;
	if (delta >> DELTA_BITS) {
		header(p, TYPE_TIME_EXTEND, delta & ((1u << DELTA_BITS) - 1));
		put32(p + 4, (uint32_t)(delta >> DELTA_BITS));
		p += 8;
		c->used += 8;
		delta = 0;
	}
	if (big) {
		header(p, 0, delta);
		put32(p + 4, (uint32_t)n + 4);
		p += 4;
		c->used += 4;
	} else {
		header(p, (unsigned)(n / 4), delta);
	}
	memcpy(p + 4, payload, n);
	c->used += 4 + n;
	c->last_ts = ts;
	return 0;
}

int tdat_lost(struct tdat_cpu *c, int64_t count)
{
	if (c->used && write_page(c))
		return -1;
	if (count < 0 || c->lost < 0)
		c->lost = -1;
	else
		c->lost += count;
	c->lost_pending = true;
	return 0;
}

int tdat_finish(struct tdat_cpu *c)
{
	if (!c->used && c->lost_pending) {	/* an empty page that says so */
		memset(c->page, 0, TDAT_PAGE);
		put64(c->page, (uint64_t)c->last_ts);
	}
	if (c->used || c->lost_pending)
		return write_page(c);
	return 0;
}
