# The raw transport's host test (docs/raw-transport.md): the acknowledged reader over the
# real ring, sanitized like test_ring.
$(O)/host/test_raw_reader: test/unit/test_raw_reader.c trace/raw_reader.c $(TRACE_RING_SRCS) \
		trace/config.c kernel/printf.c $(TRACE_HOST_ENV) $(TRACE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(HOST_SAN) -o $@ $(filter %.c,$^)
TESTS += $(O)/host/test_raw_reader
TEST_DEPS += $(O)/host/test_raw_reader

# Flow control's watermarks (trace/flow.h) over the same ring and raw reader.
$(O)/host/test_flow: test/unit/test_flow.c trace/raw_reader.c $(TRACE_RING_SRCS) \
		trace/config.c kernel/printf.c $(TRACE_HOST_ENV) $(TRACE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(HOST_SAN) -o $@ $(filter %.c,$^)
TESTS += $(O)/host/test_flow
TEST_DEPS += $(O)/host/test_flow
