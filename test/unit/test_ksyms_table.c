/* kernel/ksyms.c with a table generated from test/unit/ksyms_sample.nm, a hand-written
 * `nm -n` listing with every kind of line: functions (T t W w), aliases, linker markers,
 * data, absolute and undefined symbols. Its addresses are made up, so the expectations
 * below are exact. */
#include <stdint.h>

#include "kernel/ksyms.h"
#include "test/unit/check.h"

static void check_lookup(uint64_t addr, const char *want, uint64_t want_off, uint64_t want_size)
{
	uint64_t off = 0, size = 0;

	CHECK_STR(ksym_lookup(addr, &off, &size), want);
	CHECK_EQ(off, want_off);
	CHECK_EQ(size, want_size);
}

static void test_contents(void)
{
	static const char *const names[] = { "_start32", "boot_helper", "kmain", "weak_fn",
		"static_fn.constprop.0", "aliased", "aliased_too", "weak_defined_last" };
	uint64_t addr;

	TEST_CASE("exactly the function symbols, in address order");
	CHECK_EQ(ksym_count(), 8);
	for (size_t i = 0; i < 8; i++)
		CHECK_STR(ksym_at(i, NULL), names[i]);
	CHECK_STR(ksym_at(2, &addr), "kmain");
	CHECK_EQ(addr, 0x101000);
	CHECK(ksym_at(8, &addr) == NULL);
	TEST_END();
}

static void test_sizes(void)
{
	TEST_CASE("sizes run to the next symbol of any kind");
	check_lookup(0x100000, "_start32", 0, 0x40);
	check_lookup(0x10003f, "_start32", 0x3f, 0x40);
	check_lookup(0x100040, "boot_helper", 0, 0xfc0);	/* up to the __text_start marker */
	check_lookup(0x101000, "kmain", 0, 0x10);
	check_lookup(0x101025, "weak_fn", 0x15, 0x20);
	check_lookup(0x10104f, "static_fn.constprop.0", 0x1f, 0x20);
	check_lookup(0x10107f, "aliased_too", 0x2f, 0x30);	/* the later of two aliases */
	TEST_END();
}

static void test_not_functions(void)
{
	TEST_CASE("markers, data, absolute and undefined symbols are left out");
	CHECK(ksym_lookup(0x0f, NULL, NULL) == NULL);
	CHECK(ksym_lookup(0x10, NULL, NULL) == NULL);
	CHECK(ksym_lookup(0x101080, NULL, NULL) == NULL);	/* after __text_end */
	CHECK(ksym_lookup(0x102000, NULL, NULL) == NULL);
	CHECK(ksym_lookup(0x103004, NULL, NULL) == NULL);
	CHECK(ksym_lookup(0x104000, NULL, NULL) == NULL);	/* last symbol: size unknown */
	CHECK_EQ(ksym_addr("__text_start"), 0);
	CHECK_EQ(ksym_addr("__image_start"), 0);
	CHECK_EQ(ksym_addr("__start_mcount_loc"), 0);
	CHECK_EQ(ksym_addr("some_rodata"), 0);
	CHECK_EQ(ksym_addr("abs_sym"), 0);
	CHECK_EQ(ksym_addr("undefined_fn"), 0);
	CHECK_EQ(ksym_addr("undefined_weak"), 0);
	CHECK_EQ(ksym_addr("aliased"), 0x101050);
	CHECK_EQ(ksym_addr("weak_defined_last"), 0x104000);
	TEST_END();
}

int main(void)
{
	test_contents();
	test_sizes();
	test_not_functions();
	return test_exit_status();
}
