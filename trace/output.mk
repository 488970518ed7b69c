# The tracer's output side: printer, filters, tracefs control files, panic dump. Tracer
# code is never instrumented. Host tests build the same sources with -DGLASS_HOST.
ifeq ($(TRACE),ftrace)
KERNEL_NOTRACE_SRCS += trace/output.c
endif

TRACE_OUT_SAN := $(O)/host/trace-out
TRACE_OUT_FAST := $(O)/host/trace-out-fast

$(TRACE_OUT_SAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -DGLASS_HOST -c $< -o $@

$(TRACE_OUT_FAST)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DGLASS_HOST -c $< -o $@

# The printer against test/golden/trace/ (run from the top directory).
TEST_OUTPUT_SRCS := test/unit/test_output.c trace/output.c
$(O)/host/test_output: $(patsubst %.c,$(TRACE_OUT_SAN)/%.o,$(TEST_OUTPUT_SRCS))
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@
TESTS += $(O)/host/test_output
TEST_DEPS += $(O)/host/test_output

# Printer speed, optimised without sanitizers: `make bench`.
$(O)/host/bench_output: $(patsubst %.c,$(TRACE_OUT_FAST)/%.o,$(TEST_OUTPUT_SRCS))
	$(Q)$(HOSTCC) $^ -o $@
$(O)/host/bench-output.sh: FORCE
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\nexec %s --bench\n' $(O)/host/bench_output > $@ && chmod +x $@
BENCHES += $(O)/host/bench-output.sh
TEST_DEPS += $(O)/host/bench_output $(O)/host/bench-output.sh

-include $(shell find $(TRACE_OUT_SAN) $(TRACE_OUT_FAST) -name '*.d' 2>/dev/null)
