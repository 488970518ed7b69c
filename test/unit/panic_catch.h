/* Host stand-in for the kernel's panic(): records the message and longjmps back into the
 * test, so a test can assert that a broken invariant is caught. Include once per test. */
#ifndef TEST_UNIT_PANIC_CATCH_H
#define TEST_UNIT_PANIC_CATCH_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>

#include "kernel/panic.h"

static jmp_buf panic_jmp;
static int panic_count;
static char panic_msg[256];

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	panic_count++;
	longjmp(panic_jmp, 1);
}

/* Runs stmt and checks that it panicked exactly once, with msg inside the message. */
#define CHECK_PANICS(stmt, msg) do { \
		int before_ = panic_count; \
		panic_msg[0] = '\0'; \
		if (!setjmp(panic_jmp)) { \
			stmt; \
		} \
		CHECK_EQ(panic_count, before_ + 1); \
		if (!strstr(panic_msg, (msg))) \
			CHECK_FAIL_("panic message \"%s\" lacks \"%s\"", panic_msg, (msg)); \
	} while (0)

#endif
