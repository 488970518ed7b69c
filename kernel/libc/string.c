/* The C library subset the freestanding kernel and lwIP need. memcpy/memset/memmove use
 * `rep movsb/stosb` rather than byte loops: gcc may turn such a loop back into a call to
 * memcpy or memset, which inside memcpy itself would recurse forever. */
#define KLIBC_IMPL	/* string.h: no builtin macros over the names defined here */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy backwards from the last byte. */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

/* Eight bytes per step, then the rest: under QEMU's TCG every step of a `rep` is one
 * instruction's worth of work (zeroing a 2 KiB struct thread took 2096 of them). */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t words = n / 8, rest = n % 8;
	uint64_t v = 0x0101010101010101ULL * (unsigned char)c;

	__asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(rest) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	return memcpy(dst, src, strlen(src) + 1);
}

char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t len = strnlen(src, n);

	memcpy(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst;
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return INT_MAX;
}

/* Parses the unsigned magnitude after any sign; *overflow is set if it exceeds ULONG_MAX. */
static unsigned long parse_magnitude(const char *s, const char **end, int base, int *overflow)
{
	unsigned long v = 0;
	int d;

	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] | 0x20) == 'x' &&
	    digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	*overflow = 0;
	*end = NULL;
	for (; (d = digit_value(*s)) < base; s++) {
		*end = s + 1;
		if (v > (ULONG_MAX - d) / base)
			*overflow = 1;
		else
			v = v * base + d;
	}
	return *overflow ? ULONG_MAX : v;
}

/* Shared by strtoul and strtol: skips space and sign; *neg tells which sign was seen. */
static unsigned long parse_number(const char *s, char **end, int base, int *neg, int *overflow)
{
	const char *start = s, *stop;
	unsigned long v;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	*neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	v = parse_magnitude(s, &stop, base, overflow);
	if (end)
		*end = (char *)(stop ? stop : start);
	return stop ? v : 0;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	int neg, overflow;
	unsigned long v = parse_number(s, end, base, &neg, &overflow);

	if (overflow)
		return ULONG_MAX;
	return neg ? -v : v;
}

long strtol(const char *s, char **end, int base)
{
	int neg, overflow;
	unsigned long v = parse_number(s, end, base, &neg, &overflow);

	if (neg)
		return overflow || v > (unsigned long)LONG_MAX + 1 ? LONG_MIN : (long)(0 - v);
	return overflow || v > LONG_MAX ? LONG_MAX : (long)v;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
