# The tracer's output side: printer, filters, tracefs control files, panic dump. Tracer
# code is never instrumented. Host tests build the same sources with -DGLASS_HOST.
TRACEFS_SRCS := trace/tracefs.c trace/tracefs_files.c trace/tracefs_trace.c \
	trace/tracefs_ctl.c trace/tracefs_lists.c trace/tracefs_options.c trace/tracefs_raw.c \
	trace/tracefs_events.c trace/tracefs_profile.c
# The printer: the merge of CPUs, value formatting, headers, the function and the
# function_graph printers. Host tools link the same sources (tools/tools.mk).
TRACE_PRINTER_SRCS := trace/output.c trace/out_format.c trace/out_header.c \
	trace/out_function.c trace/out_graph.c trace/out_event.c trace/profile_print.c
TRACE_OUT_SRCS := $(TRACE_PRINTER_SRCS) trace/filter.c trace/dump.c $(TRACEFS_SRCS) \
	trace/raw_reader.c trace/raw_header.c
ifeq ($(TRACE),ftrace)
KERNEL_NOTRACE_SRCS += $(TRACE_OUT_SRCS)
endif

TRACE_OUT_SAN := $(O)/host/trace-out
TRACE_OUT_FAST := $(O)/host/trace-out-fast
TRACE_OUT_FLAGS := $(HOST_CFLAGS) -DGLASS_HOST -DCONFIG_TRACE=1 -pthread

$(TRACE_OUT_SAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_OUT_FLAGS) $(HOST_SAN) -c $< -o $@

$(TRACE_OUT_FAST)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_OUT_FLAGS) -c $< -o $@

trace_out_san = $(patsubst %.c,$(TRACE_OUT_SAN)/%.o,$(1))

# The printer against test/golden/trace/ (run from the top directory).
TEST_OUTPUT_SRCS := test/unit/test_output.c test/unit/output_bench.c $(TRACE_PRINTER_SRCS)
$(O)/host/test_output: $(call trace_out_san,$(TEST_OUTPUT_SRCS))
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@
TESTS += $(O)/host/test_output
TEST_DEPS += $(O)/host/test_output


TEST_FILTER_SRCS := test/unit/test_filter.c trace/filter.c
$(O)/host/test_filter: $(call trace_out_san,$(TEST_FILTER_SRCS))
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@

# tracefs over the real ring, config and printer, with a fake patch layer.
TEST_TRACEFS_SRCS := test/unit/test_tracefs.c test/unit/tracefs_fixture.c $(TRACE_OUT_SRCS) $(TRACE_RING_SRCS) \
	trace/config.c trace/core.c trace/sleep_time.c trace/events.c $(TRACE_PROFILE_SRCS) \
	kernel/printf.c test/unit/trace_host_env.c
$(O)/host/test_tracefs: $(call trace_out_san,$(TEST_TRACEFS_SRCS))
	$(Q)$(HOSTCC) $(HOST_SAN) -pthread $^ -o $@

# The rest of the control files (filters, pids, numbers, stats, header counts, panic dump).
TEST_TRACEFS_CTL_SRCS := test/unit/test_tracefs_ctl.c $(filter-out test/unit/test_tracefs.c,$(TEST_TRACEFS_SRCS))
$(O)/host/test_tracefs_ctl: $(call trace_out_san,$(TEST_TRACEFS_CTL_SRCS))
	$(Q)$(HOSTCC) $(HOST_SAN) -pthread $^ -o $@

# Trace events: control files, recording, printing, the slot form.
TEST_EVENTS_SRCS := test/unit/test_events.c $(filter-out test/unit/test_tracefs.c,$(TEST_TRACEFS_SRCS))
$(O)/host/test_events: $(call trace_out_san,$(TEST_EVENTS_SRCS))
	$(Q)$(HOSTCC) $(HOST_SAN) -pthread $^ -o $@

# The profile events: printers, control files, raw_header's stack table.
TEST_PROFILE_SRCS := test/unit/test_profile.c $(filter-out test/unit/test_tracefs.c,$(TEST_TRACEFS_SRCS))
$(O)/host/test_profile: $(call trace_out_san,$(TEST_PROFILE_SRCS))
	$(Q)$(HOSTCC) $(HOST_SAN) -pthread $^ -o $@

TESTS += $(O)/host/test_filter $(O)/host/test_tracefs $(O)/host/test_tracefs_ctl $(O)/host/test_events $(O)/host/test_profile
TEST_DEPS += $(O)/host/test_filter $(O)/host/test_tracefs $(O)/host/test_tracefs_ctl $(O)/host/test_events $(O)/host/test_profile

# Printer speed, alone and through tracefs, optimised without sanitizers: `make bench`.
trace_out_fast = $(patsubst %.c,$(TRACE_OUT_FAST)/%.o,$(1))
$(O)/host/bench_output: $(call trace_out_fast,$(TEST_OUTPUT_SRCS))
	$(Q)$(HOSTCC) $^ -o $@
$(O)/host/bench_tracefs: $(call trace_out_fast,$(TEST_TRACEFS_SRCS))
	$(Q)$(HOSTCC) -pthread $^ -o $@
$(O)/host/bench-output.sh: FORCE
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\n%s --bench && exec %s --bench\n' $(O)/host/bench_output \
		$(O)/host/bench_tracefs > $@ && chmod +x $@
BENCHES += $(O)/host/bench-output.sh
TEST_DEPS += $(O)/host/bench_output $(O)/host/bench_tracefs $(O)/host/bench-output.sh

-include $(shell find $(TRACE_OUT_SAN) $(TRACE_OUT_FAST) -name '*.d' 2>/dev/null)
