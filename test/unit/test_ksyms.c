/* kernel/ksyms.c with a table that scripts/gen-ksyms.sh made from `nm -n` of this very
 * binary's first link (see kernel/lib.mk): the functions below must be found at their
 * real addresses, which also proves that linking the table in moved no function. */
#include <stdint.h>
#include <string.h>

#include "kernel/ksyms.h"
#include "test/unit/check.h"

int ksyms_test_data = 42;
int main(void);

__attribute__((noipa)) int ksyms_test_global(int x)
{
	return x * 3 + ksyms_test_data;
}

__attribute__((noipa)) static int ksyms_test_static(int x)
{
	return x ^ 0x55;
}

static void check_function(const char *name, uintptr_t addr)
{
	uint64_t off = 99, size = 0;
	const char *found;

	CHECK_EQ(ksym_addr(name), addr);
	CHECK_STR(ksym_lookup(addr, &off, &size), name);
	CHECK_EQ(off, 0);
	CHECK(size > 0 && size < 4096);
	CHECK_STR(ksym_lookup(addr + size - 1, &off, NULL), name);
	CHECK_EQ(off, size - 1);
	/* Just past the end is some other function, or nothing. */
	found = ksym_lookup(addr + size, NULL, NULL);
	CHECK(!found || strcmp(found, name));
}

static void test_known_functions(void)
{
	TEST_CASE("functions of this binary are found at their addresses");
	check_function("ksyms_test_global", (uintptr_t)ksyms_test_global);
	check_function("ksyms_test_static", (uintptr_t)ksyms_test_static);
	check_function("check_function", (uintptr_t)check_function);
	check_function("main", (uintptr_t)main);
	check_function("ksym_lookup", (uintptr_t)ksym_lookup);
	CHECK_EQ(ksyms_test_global(1) + ksyms_test_static(0), 45 + 0x55);
	TEST_END();
}

static void test_outside(void)
{
	TEST_CASE("data and unknown names are not functions");
	CHECK(ksym_lookup((uintptr_t)&ksyms_test_data, NULL, NULL) == NULL);
	CHECK(ksym_lookup((uintptr_t)ksym_names, NULL, NULL) == NULL);
	CHECK(ksym_lookup(0, NULL, NULL) == NULL);
	CHECK(ksym_lookup(UINT64_MAX, NULL, NULL) == NULL);
	CHECK_EQ(ksym_addr("ksyms_test_data"), 0);
	CHECK_EQ(ksym_addr("ksym_addrs"), 0);
	CHECK_EQ(ksym_addr("no_such_function"), 0);
	TEST_END();
}

static void test_table_order(void)
{
	uint64_t prev = 0, addr;
	size_t n = ksym_count(), unsorted = 0;

	TEST_CASE("the table is sorted and every name resolves");
	CHECK(n > 10);
	for (size_t i = 0; i < n; i++) {
		const char *name = ksym_at(i, &addr);

		unsorted += addr < prev;
		prev = addr;
		CHECK(name && *name);
		if (name && !ksym_addr(name))
			CHECK_FAIL_("%s not found by name", name);
	}
	CHECK_EQ(unsorted, 0);
	CHECK(ksym_at(n, &addr) == NULL);
	TEST_END();
}

int main(void)
{
	test_known_functions();
	test_outside();
	test_table_order();
	return test_exit_status();
}
