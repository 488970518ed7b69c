# The tracer core (write side). Compiled into the kernel only with TRACE=ftrace, and never
# with -pg: it is what -pg calls.
TRACE_CORE_SRCS := trace/config.c trace/ring.c trace/fgraph.c trace/function.c trace/patch.c \
	trace/core.c trace/fentry.S
ifeq ($(TRACE),ftrace)
KERNEL_NOTRACE_SRCS += $(TRACE_CORE_SRCS)
endif

# Host builds of the same sources: sanitized unit tests and the (unsanitized) benchmark.
# -no-pie keeps text below 4 GiB as in the kernel (records hold 32-bit addresses) and lets
# the -mfentry objects use absolute relocations.
TRACE_HOST_FLAGS := $(HOST_CFLAGS) -DGLASS_HOST -DCONFIG_TRACE=1 -mgeneral-regs-only -pthread
TRACE_HOST_ENV := test/unit/trace_host_env.c
TRACE_HOST_HDRS := $(wildcard trace/*.h) test/unit/trace_host_env.h test/unit/check.h

$(O)/host/test_ring: test/unit/test_ring.c trace/ring.c trace/config.c $(TRACE_HOST_ENV) \
		$(TRACE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(HOST_SAN) -o $@ $(filter %.c,$^)
TESTS += $(O)/host/test_ring
TEST_DEPS += $(O)/host/test_ring

# test_fgraph drives the real trampolines: its traced functions are compiled as the kernel
# compiles every function with TRACE=ftrace (without -pg at link time: no gprof runtime).
TRACE_PG_FLAGS := -fno-pie -fcf-protection=none -pg -mfentry -mrecord-mcount -mnop-mcount
TRACE_HOST_CORE := trace/config.c trace/ring.c trace/fgraph.c trace/function.c \
	trace/patch.c trace/core.c trace/fentry.S $(TRACE_HOST_ENV)

$(O)/host/trace/test_fgraph_funcs.o: test/unit/test_fgraph_funcs.c test/unit/test_fgraph_funcs.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(HOST_SAN) $(TRACE_PG_FLAGS) -c -o $@ $<

$(O)/host/test_fgraph: test/unit/test_fgraph.c $(O)/host/trace/test_fgraph_funcs.o \
		$(TRACE_HOST_CORE) $(TRACE_HOST_HDRS) test/unit/test_fgraph_funcs.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(HOST_SAN) -fno-pie -no-pie -o $@ \
		$(filter %.c %.S %.o,$^)
TESTS += $(O)/host/test_fgraph
TEST_DEPS += $(O)/host/test_fgraph
