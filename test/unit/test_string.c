/* kernel/libc/string.c, built under kl_ names (test/unit/klibc_names.h): memory and string
 * functions at all small offsets and lengths against a byte-by-byte reference, then exact
 * cases for the string searches and the number parsers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "test/unit/check.h"
/* From here on the C library's names mean the kernel's functions. */
#include "test/unit/klibc_names.h"
#include "kernel/libc/limits.h"
#include "kernel/libc/stdlib.h"
#include "kernel/libc/string.h"

#define BUF 96

static void pattern(unsigned char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(seed + i * 7);
}

static int same(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static void test_memory(void)
{
	unsigned char buf[BUF], ref[BUF];
	int bad = 0;

	TEST_CASE("memcpy memmove memset at every offset and length");
	for (size_t d = 0; d < 24; d++)
	for (size_t s = 0; s < 24; s++)
	for (size_t n = 0; n < 48; n++) {
		pattern(buf, BUF, 1);
		pattern(ref, BUF, 1);
		/* reference overlapping move through a temporary */
		unsigned char tmp[BUF];
		for (size_t i = 0; i < n; i++)
			tmp[i] = ref[s + i];
		for (size_t i = 0; i < n; i++)
			ref[d + i] = tmp[i];
		bad += memmove(buf + d, buf + s, n) != buf + d || !same(buf, ref, BUF);
		if (d + n <= s || s + n <= d) {
			pattern(buf, BUF, 1);
			bad += memcpy(buf + d, buf + s, n) != buf + d || !same(buf, ref, BUF);
		}
		pattern(buf, BUF, 1);
		pattern(ref, BUF, 1);
		for (size_t i = 0; i < n; i++)
			ref[d + i] = 0xc3;
		bad += memset(buf + d, 0x1c3, n) != buf + d || !same(buf, ref, BUF);
	}
	CHECK_EQ(bad, 0);
	TEST_END();
}

static void test_compare(void)
{
	TEST_CASE("memcmp strcmp strncmp signs and limits");
	CHECK_EQ(memcmp("abc", "abd", 2), 0);
	CHECK(memcmp("abc", "abd", 3) < 0);
	CHECK(memcmp("\xff", "\x01", 1) > 0);	/* bytes compare as unsigned */
	CHECK_EQ(memcmp("x", "y", 0), 0);
	CHECK_EQ(strcmp("", ""), 0);
	CHECK(strcmp("abc", "abcd") < 0);
	CHECK(strcmp("b", "abc") > 0);
	CHECK(strcmp("\xe9", "e") > 0);
	CHECK_EQ(strncmp("abcx", "abcy", 3), 0);
	CHECK(strncmp("abcx", "abcy", 4) < 0);
	CHECK(strncmp("ab", "abc", 5) < 0);
	CHECK_EQ(strncmp("ab\0x", "ab\0y", 4), 0);	/* stops at the terminator */
	CHECK_EQ(strlen(""), 0);
	CHECK_EQ(strlen("hello"), 5);
	CHECK_EQ(strnlen("hello", 3), 3);
	CHECK_EQ(strnlen("hi", 9), 2);
	TEST_END();
}

static void test_search(void)
{
	const char *s = "path/to/file.txt";

	TEST_CASE("strchr strrchr strstr memchr");
	CHECK(strchr(s, '/') == s + 4);
	CHECK(strrchr(s, '/') == s + 7);
	CHECK(strchr(s, '\0') == s + 16);
	CHECK(strrchr(s, '\0') == s + 16);
	CHECK(strchr(s, 'z') == NULL);
	CHECK(strrchr(s, 'z') == NULL);
	CHECK(strstr(s, "file") == s + 8);
	CHECK(strstr(s, "") == s);
	CHECK(strstr(s, "txtx") == NULL);
	CHECK(strstr(s + 9, "file") == NULL);
	CHECK(strstr("aaab" + 0, "aab") != NULL && *strstr("aaab", "aab") == 'a' &&
	      strstr("aaab", "aab")[2] == 'b');	/* found after a false start */
	CHECK(memchr(s, '.', 16) == s + 12);
	CHECK(memchr(s, '.', 12) == NULL);
	TEST_END();
}

static void test_copy(void)
{
	char b[8];

	TEST_CASE("strcpy strncpy strlcpy");
	CHECK(strcpy(b, "abc") == b);
	CHECK_STR(b, "abc");
	memset(b, 'x', sizeof(b));
	CHECK(strncpy(b, "ab", 6) == b);
	CHECK(!memcmp(b, "ab\0\0\0\0xx", 8));	/* padded with NULs up to n */
	memset(b, 'x', sizeof(b));
	strncpy(b, "abcdefgh", 4);
	CHECK(!memcmp(b, "abcdxxxx", 8));		/* not terminated when src is longer */
	CHECK_EQ(strlcpy(b, "0123456789", sizeof(b)), 10);
	CHECK_STR(b, "0123456");
	CHECK_EQ(strlcpy(b, "hi", sizeof(b)), 2);
	CHECK_STR(b, "hi");
	b[0] = 'q';
	CHECK_EQ(strlcpy(b, "zz", 0), 2);
	CHECK_EQ(b[0], 'q');
	TEST_END();
}

static void check_ul(const char *s, int base, unsigned long want, size_t want_end)
{
	char *end;

	CHECK_EQ(strtoul(s, &end, base), want);
	CHECK_EQ(end - s, want_end);
}

static void check_l(const char *s, int base, long want, size_t want_end)
{
	char *end;

	CHECK_EQ(strtol(s, &end, base), want);
	CHECK_EQ(end - s, want_end);
}

static void test_numbers(void)
{
	TEST_CASE("strtoul strtol atoi");
	check_ul("42", 10, 42, 2);
	check_ul("  \t+42xyz", 10, 42, 6);
	check_ul("0x1fZ", 0, 0x1f, 4);
	check_ul("0X1F", 16, 0x1f, 4);
	check_ul("1f", 16, 0x1f, 2);
	check_ul("0755", 0, 0755, 4);
	check_ul("0", 0, 0, 1);
	check_ul("0x", 0, 0, 1);	/* "0" parsed, the x left over */
	check_ul("0xg", 16, 0, 1);
	check_ul("zz", 36, 35 * 36 + 35, 2);
	check_ul("101", 2, 5, 3);
	check_ul("", 10, 0, 0);
	check_ul("  -", 10, 0, 0);	/* no digits: end is the start */
	check_ul("abc", 10, 0, 0);
	check_ul("18446744073709551615", 10, ULONG_MAX, 20);
	check_ul("18446744073709551616", 10, ULONG_MAX, 20);	/* saturates */
	check_ul("-1", 10, ULONG_MAX, 2);			/* C: negated in unsigned */
	check_l("-42", 10, -42, 3);
	check_l("9223372036854775807", 10, LONG_MAX, 19);
	check_l("9223372036854775808", 10, LONG_MAX, 19);
	check_l("-9223372036854775808", 10, LONG_MIN, 20);
	check_l("-9223372036854775809", 10, LONG_MIN, 20);
	check_l("-0x10", 0, -16, 5);
	CHECK_EQ(strtoul("77", NULL, 8), 077);
	CHECK_EQ(atoi("  -123abc"), -123);
	CHECK_EQ(atoi("2147483647"), 2147483647);
	CHECK_EQ(atoi("x"), 0);
	CHECK_EQ(abs(-5) + labs(-6L), 11);
	TEST_END();
}

int main(void)
{
	test_memory();
	test_compare();
	test_search();
	test_copy();
	test_numbers();
	return test_exit_status();
}
