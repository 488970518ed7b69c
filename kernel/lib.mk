# The kernel's library pieces: freestanding libc shims, printf, the page allocator, the heap
# and the symbol table (its generated part is linked by mk/kernel-link.mk), with host tests.
KERNEL_SRCS += kernel/printf.c kernel/page.c kernel/heap.c kernel/ksyms.c
# memcpy and friends are called by compiler-generated code everywhere, the tracer's own
# code included, so they are never instrumented.
KERNEL_NOTRACE_SRCS += kernel/libc/string.c

LIB_HOST := $(O)/host/lib
LIB_HOST_CFLAGS = $(HOST_CFLAGS) $(HOST_SAN) -DGLASS_HOST
lib_hobj = $(patsubst %.c,$(LIB_HOST)/%.o,$(1))
LIB_HOST_SRCS := kernel/printf.c kernel/page.c kernel/heap.c kernel/ksyms.c \
	test/unit/test_printf.c test/unit/test_page.c test/unit/test_heap.c \
	test/unit/test_string.c test/unit/test_ksyms.c test/unit/test_ksyms_table.c

$(call lib_hobj,$(LIB_HOST_SRCS)): $(LIB_HOST)/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(LIB_HOST_CFLAGS) -c $< -o $@

# string.c under kl_ names, so that it links beside the host C library.
$(LIB_HOST)/kernel/libc/string.o: kernel/libc/string.c test/unit/klibc_names.h
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(LIB_HOST_CFLAGS) -fno-builtin -Ikernel/libc \
		-include test/unit/klibc_names.h -c $< -o $@

$(O)/host/test_printf: $(call lib_hobj,test/unit/test_printf.c kernel/printf.c)
$(O)/host/test_page: $(call lib_hobj,test/unit/test_page.c kernel/page.c)
$(O)/host/test_heap: $(call lib_hobj,test/unit/test_heap.c kernel/heap.c kernel/page.c)
$(O)/host/test_string: $(call lib_hobj,test/unit/test_string.c kernel/libc/string.c)
LIB_TESTS := $(addprefix $(O)/host/,test_printf test_page test_heap test_string)
$(LIB_TESTS):
	$(if $(Q),@echo "  HOSTLD  $@")
	$(Q)$(HOSTCC) $(HOST_SAN) -o $@ $^

# The symbol table test links twice like the kernel does: first with the empty table, then
# with the table gen-ksyms.sh makes from `nm -n` of the first link. No PIE, so the table's
# addresses are the run-time ones.
KSYMS_T := $(O)/host/ksyms-test
KSYMS_T_OBJS := $(call lib_hobj,test/unit/test_ksyms.c kernel/ksyms.c)
$(KSYMS_T)/empty.o: scripts/gen-ksyms.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/gen-ksyms.sh /dev/null > $(KSYMS_T)/empty.S
	$(Q)$(HOSTCC) -c $(KSYMS_T)/empty.S -o $@
$(KSYMS_T)/pass1: $(KSYMS_T_OBJS) $(KSYMS_T)/empty.o
	$(Q)$(HOSTCC) $(HOST_SAN) -no-pie -o $@ $^
$(KSYMS_T)/table.o: $(KSYMS_T)/pass1 scripts/gen-ksyms.sh
	$(Q)nm -n $< | scripts/gen-ksyms.sh - > $(KSYMS_T)/table.S
	$(Q)$(HOSTCC) -c $(KSYMS_T)/table.S -o $@
$(O)/host/test_ksyms: $(KSYMS_T_OBJS) $(KSYMS_T)/table.o
	$(if $(Q),@echo "  HOSTLD  $@")
	$(Q)$(HOSTCC) $(HOST_SAN) -no-pie -o $@ $^

# The same lookups against a table from a hand-written nm listing with exact answers.
$(KSYMS_T)/sample.o: test/unit/ksyms_sample.nm scripts/gen-ksyms.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/gen-ksyms.sh $< > $(KSYMS_T)/sample.S
	$(Q)$(HOSTCC) -c $(KSYMS_T)/sample.S -o $@
$(O)/host/test_ksyms_table: $(call lib_hobj,test/unit/test_ksyms_table.c kernel/ksyms.c) \
		$(KSYMS_T)/sample.o
	$(if $(Q),@echo "  HOSTLD  $@")
	$(Q)$(HOSTCC) $(HOST_SAN) -o $@ $^

LIB_TESTS += $(O)/host/test_ksyms $(O)/host/test_ksyms_table
TESTS += $(LIB_TESTS)
TEST_DEPS += $(LIB_TESTS)

-include $(patsubst %.o,%.d,$(call lib_hobj,$(LIB_HOST_SRCS) kernel/libc/string.c))
