/* The printer's value formatting (private to trace/output*.c and trace/out_*.c): numbers
 * and text written straight into the output, with no printf and no library call. Inline:
 * the printer builds every line from these, and under QEMU TCG each call and return costs
 * a jump-cache lookup. Each helper writes at p and returns the end; no terminating NUL. */
#ifndef TRACE_OUT_FORMAT_H
#define TRACE_OUT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define OUT_HOT static inline __attribute__((always_inline))

/* "00" "01" ... "99" (trace/out_format.c): two digits per division. */
extern const char out_digit_pairs[201];

/* Short copies without a memcpy call: the kernel's memcpy is `rep movsb`, which costs a
 * trip through the emulator per byte under QEMU TCG. 8-byte moves, the last one
 * overlapping, never touch a byte outside [p, p + n). */
OUT_HOT void move8(char *d, const char *s)
{
	uint64_t w;

	__builtin_memcpy(&w, s, 8);
	__builtin_memcpy(d, &w, 8);
}

/* The same with 4 and 2 bytes, for copies shorter than 8 bytes. */
OUT_HOT void move4(char *d, const char *s)
{
	uint32_t w;

	__builtin_memcpy(&w, s, 4);
	__builtin_memcpy(d, &w, 4);
}

OUT_HOT void move2(char *d, const char *s)
{
	uint16_t w;

	__builtin_memcpy(&w, s, 2);
	__builtin_memcpy(d, &w, 2);
}

OUT_HOT char *put_mem(char *p, const char *s, size_t n)
{
	size_t i;

	if (__builtin_constant_p(n) && n <= 16) {
		__builtin_memcpy(p, s, n); /* a few plain moves */
		return p + n;
	}
	if (n < 8) {
		/* Two overlapping moves instead of a loop per byte (short names, numbers). */
		if (n >= 4) {
			move4(p, s);
			move4(p + n - 4, s + n - 4);
		} else if (n >= 2) {
			move2(p, s);
			move2(p + n - 2, s + n - 2);
		} else if (n) {
			p[0] = s[0];
		}
		return p + n;
	}
	for (i = 0; i + 8 < n; i += 8)
		move8(p + i, s + i);
	move8(p + n - 8, s + n - 8);
	return p + n;
}

/* n spaces. May write up to 7 spaces past p + n: every caller writes on from there, and
 * every buffer the printer writes into has OUT_EMIT_MAX bytes of room per event (the
 * cached proc field of struct out_cpu_state too). The first 32 are plain stores (most
 * indents are shorter); the loop for the rest has a compiler barrier so that GCC does not
 * make it a memset (`rep stos`, whose start-up alone cost a quarter of glass report's
 * formatting). */
OUT_HOT char *put_spaces(char *p, int n)
{
	static const char spaces[8] = "        ";

	if (n <= 0)
		return p;
	move8(p, spaces);
	if (n > 8)
		move8(p + 8, spaces);
	if (n > 16)
		move8(p + 16, spaces);
	if (n > 24)
		move8(p + 24, spaces);
	for (int i = 32; i < n; i += 8) {
		__asm__("" : : "r"(p) : "memory");
		move8(p + i, spaces);
	}
	return p + n;
}


/* Writes the decimal digits of v backwards ending at end; returns the first digit. */
OUT_HOT char *digits_back(char *end, uint64_t v)
{
	while (v >= 10) {
		end -= 2;
		__builtin_memcpy(end, &out_digit_pairs[v % 100 * 2], 2);
		if (v < 100)
			return end;
		v /= 100;
	}
	*--end = (char)('0' + v);
	return end;
}

/* Decimal digits of v: a few compares for the small numbers of a trace line. */
OUT_HOT int ndigits(uint64_t v)
{
	int n = 1;
	uint64_t t = 10;

	while (v >= t) {
		if (++n == 20) /* 10^20 does not fit */
			break;
		t *= 10;
	}
	return n;
}

/* Digits written in place, not through a buffer and a second copy. */
OUT_HOT char *put_u64(char *p, uint64_t v)
{
	int n = ndigits(v);

	digits_back(p + n, v);
	return p + n;
}

/* v right-aligned in width columns (printf "%*llu"). */
OUT_HOT char *put_u64_right(char *p, uint64_t v, int width)
{
	int n = ndigits(v);

	p = put_spaces(p, width - n);
	digits_back(p + n, v);
	return p + n;
}

/* v left-aligned in width columns (printf "%-*llu"). */
static inline char *put_u64_left(char *p, uint64_t v, int width)
{
	int n = ndigits(v);

	digits_back(p + n, v);
	return put_spaces(p + n, width - n);
}

/* The low `width` digits of v with leading zeros (printf "%0*llu" for v < 10^width). */
OUT_HOT char *put_u64_zero(char *p, uint64_t v, int width)
{
	int i = width;

	for (; i >= 2; i -= 2, v /= 100)
		__builtin_memcpy(p + i - 2, &out_digit_pairs[v % 100 * 2], 2);
	if (i)
		p[0] = (char)('0' + v % 10);
	return p + width;
}

#endif
