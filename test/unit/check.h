/* Tiny host test helper. Each CHECK prints nothing on success and
 * "not ok - file:line: expr (got X, want Y)" on failure; TEST_CASE/TEST_END print one
 * "ok - name" line per case that passed. main() returns test_exit_status(). */
#ifndef TEST_UNIT_CHECK_H
#define TEST_UNIT_CHECK_H

#include <stdio.h>
#include <string.h>
#include <inttypes.h>

/* One state for the whole test program, whichever of its files a CHECK is in: weak
 * definitions, merged by the linker (a test may be split into several files that share a
 * fixture). */
__attribute__((weak)) int check_case_failed;
__attribute__((weak)) int check_any_failed;
__attribute__((weak)) const char *check_case_name;

#define TEST_CASE(name) do { check_case_name = (name); check_case_failed = 0; } while (0)
#define TEST_END() do { \
		if (!check_case_failed) printf("ok - %s\n", check_case_name); \
		else check_any_failed = 1; \
	} while (0)

#define CHECK_FAIL_(fmt, ...) do { \
		printf("not ok - %s: %s:%d: " fmt "\n", check_case_name, __FILE__, __LINE__, __VA_ARGS__); \
		check_case_failed = 1; \
	} while (0)

#define CHECK(expr) do { if (!(expr)) CHECK_FAIL_("%s", #expr); } while (0)
#define CHECK_EQ(a, b) do { \
		long long a_ = (long long)(a), b_ = (long long)(b); \
		if (a_ != b_) CHECK_FAIL_("%s == %s (got %lld, want %lld)", #a, #b, a_, b_); \
	} while (0)
#define CHECK_STR(a, b) do { \
		const char *a_ = (a), *b_ = (b); \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) \
			CHECK_FAIL_("%s == %s (got \"%s\", want \"%s\")", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)

static inline int test_exit_status(void) { return check_any_failed ? 1 : 0; }

#endif
