/* Number formatting into a caller's buffer with room to spare, for the writers' hot paths:
 * no printf, no bounds checks (the caller reserved enough), returns the end of the text. */
#ifndef TOOLS_LIB_NUMFMT_H
#define TOOLS_LIB_NUMFMT_H

#include <stdint.h>
#include <string.h>

extern const char numfmt_pairs[200];	/* "00" "01" ... "99" */

/* Decimal digits of v; at most 20. */
static inline unsigned numfmt_digits(uint64_t v)
{
	unsigned n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* The n = numfmt_digits(v) digits of v, right to left, two at a time, ending at end. */
static inline void numfmt_rev(uint64_t v, char *end)
{
	char *p = end;

	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, numfmt_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, numfmt_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
}

/* v in decimal (at most 20 bytes); values below 1000, the usual ones, take no loop. */
static inline char *numfmt_u64(char *p, uint64_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	if (v < 100) {
		memcpy(p, numfmt_pairs + 2 * v, 2);
		return p + 2;
	}
	if (v < 1000) {
		*p = (char)('0' + v / 100);
		memcpy(p + 1, numfmt_pairs + 2 * (v % 100), 2);
		return p + 3;
	}
	unsigned n = numfmt_digits(v);
	numfmt_rev(v, p + n);
	return p + n;
}

/* v in decimal with a '-' when negative (at most 20 bytes). */
static inline char *numfmt_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return numfmt_u64(p, -(uint64_t)v);
	}
	return numfmt_u64(p, (uint64_t)v);
}

/* ns as microseconds with exactly 3 decimals: 1234 -> "1.234", -5 -> "-0.005" (at most
 * 22 bytes). */
static inline char *numfmt_us(char *p, int64_t ns)
{
	uint64_t u = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	unsigned frac = (unsigned)(u % 1000);

	if (ns < 0)
		*p++ = '-';
	p = numfmt_u64(p, u / 1000);
	p[0] = '.';
	p[1] = (char)('0' + frac / 100);
	memcpy(p + 2, numfmt_pairs + 2 * (frac % 100), 2);
	return p + 4;
}

#endif
