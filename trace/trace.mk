# The tracer core (write side). Compiled into the kernel only with TRACE=ftrace, and never
# with -pg: it is what -pg calls.
# The ring buffer and the record codec it stores records with.
TRACE_RING_SRCS := trace/ring.c trace/ring_write.c trace/ring_read.c trace/ring_consumer.c \
	trace/codec.c trace/flow.c
# The sampling profiler: its events, the checked stack walk, the stack id table.
TRACE_PROFILE_SRCS := trace/profile.c trace/profile_alloc.c trace/profile_net.c trace/stackwalk.c trace/stackid.c
TRACE_CORE_SRCS := trace/config.c $(TRACE_RING_SRCS) trace/fgraph.c trace/function.c \
	trace/patch.c trace/core.c trace/fentry.S trace/unwind.c trace/sleep_time.c trace/events.c \
	$(TRACE_PROFILE_SRCS)
ifeq ($(TRACE),ftrace)
KERNEL_NOTRACE_SRCS += $(TRACE_CORE_SRCS)
endif

# Host builds of the same sources: sanitized unit tests and the (unsanitized) benchmark.
# -no-pie keeps text below 4 GiB as in the kernel (records hold 32-bit addresses) and lets
# the -mfentry objects use absolute relocations.
TRACE_HOST_FLAGS := $(HOST_CFLAGS) -DGLASS_HOST -DCONFIG_TRACE=1 -mgeneral-regs-only -pthread
TRACE_HOST_ENV := test/unit/trace_host_env.c
TRACE_HOST_HDRS := $(wildcard trace/*.h) test/unit/trace_host_env.h test/unit/check.h

$(O)/host/test_ring: test/unit/test_ring.c test/unit/test_ring_format.c test/unit/test_ring_conc.c \
		test/unit/ring_fixture.c test/unit/ring_fixture.h $(TRACE_RING_SRCS) trace/config.c \
		$(TRACE_HOST_ENV) $(TRACE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(HOST_SAN) -o $@ $(filter %.c,$^)
TESTS += $(O)/host/test_ring
TEST_DEPS += $(O)/host/test_ring

# test_fgraph drives the real trampolines: its traced functions are compiled as the kernel
# compiles every function with TRACE=ftrace (without -pg at link time: no gprof runtime).
# Each FGRAPH mechanism (mk/flags.mk) gets its own build of the tests and the benchmark:
# test_fgraph, host-trace-bench (rethook) and test_fgraph-hijack, host-trace-bench-hijack.
TRACE_PG_FLAGS := -fno-pie -fcf-protection=none -pg -mfentry -mrecord-mcount -mnop-mcount
TRACE_HOST_CORE := trace/config.c $(TRACE_RING_SRCS) trace/fgraph.c trace/function.c \
	trace/patch.c trace/core.c trace/fentry.S trace/unwind.c trace/sleep_time.c trace/events.c \
	$(TRACE_PROFILE_SRCS) $(TRACE_HOST_ENV)
# As the kernel: no sibling calls (KERNEL_CFLAGS) with rethook.
TRACE_HOST_PG_rethook := -fno-optimize-sibling-calls $(TRACE_FGRAPH_CFLAGS_rethook)
TRACE_HOST_PG_hijack :=
FGRAPH_SUFFIX_rethook :=
FGRAPH_SUFFIX_hijack := -hijack

# $(1): rethook or hijack; $(2): the file name suffix.
define trace_host_variant
$(O)/host/trace$(2)/test_fgraph_funcs.o: test/unit/test_fgraph_funcs.c test/unit/test_fgraph_funcs.h
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(TRACE_FGRAPH_DEFS_$(1)) $(HOST_SAN) $(TRACE_PG_FLAGS) \
		$(TRACE_HOST_PG_$(1)) -c -o $$@ $$<

$(O)/host/test_fgraph$(2): test/unit/test_fgraph.c test/unit/test_fgraph_tasks.c \
		test/unit/test_fgraph_far.c test/unit/fgraph_harness.c $(O)/host/trace$(2)/test_fgraph_funcs.o \
		$(TRACE_HOST_CORE) $(TRACE_HOST_HDRS) test/unit/test_fgraph_funcs.h \
		test/unit/fgraph_harness.h
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(TRACE_FGRAPH_DEFS_$(1)) $(HOST_SAN) -fno-pie -no-pie \
		-o $$@ $$(filter %.c %.S %.o,$$^)
TESTS += $(O)/host/test_fgraph$(2)
TEST_DEPS += $(O)/host/test_fgraph$(2)

# fentry.S's hand-built slots against the codec (trace/codec.h), through the same core.
$(O)/host/test_fentry_codec$(2): test/unit/test_fentry_codec.c \
		$(O)/host/trace$(2)/test_fgraph_funcs.o $(TRACE_HOST_CORE) $(TRACE_HOST_HDRS) \
		test/unit/test_fgraph_funcs.h
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(TRACE_FGRAPH_DEFS_$(1)) $(HOST_SAN) -fno-pie -no-pie \
		-o $$@ $$(filter %.c %.S %.o,$$^)
TESTS += $(O)/host/test_fentry_codec$(2)
TEST_DEPS += $(O)/host/test_fentry_codec$(2)

# make bench: ns per traced call on the real CPU (docs/benchmarks-trace.md). Optimized and
# unsanitized; the same trace/ sources as the kernel.
$(O)/host/trace$(2)/bench_fn_plain.o: bench/trace_bench_fn.c
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $(TRACE_BENCH_FLAGS) -fcf-protection=none -DBENCH_FN=bench_fn_plain \
		-DBENCH_FN_TSC=bench_fn_plain_tsc \
		-c -o $$@ $$<
$(O)/host/trace$(2)/bench_fn_pg.o: bench/trace_bench_fn.c
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $(TRACE_BENCH_FLAGS) $(TRACE_PG_FLAGS) $(TRACE_HOST_PG_$(1)) \
		-DBENCH_FN=bench_fn_pg -c -o $$@ $$<
# -flto lets the host shim's per-CPU queries inline into the hooks, as the kernel's GS loads
# do (kernel/trace_env.h); the benchmarked function's objects stay out of LTO, which would
# drop their __mcount_loc.
$(O)/host/trace$(2)/host-trace-bench.o: bench/host-trace-bench.c $(TRACE_HOST_HDRS)
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $(filter-out -mgeneral-regs-only,$(TRACE_BENCH_FLAGS)) \
		$(TRACE_FGRAPH_DEFS_$(1)) -flto -c -o $$@ $$<
$(O)/host/host-trace-bench$(2): $(O)/host/trace$(2)/host-trace-bench.o \
		$(O)/host/trace$(2)/bench_fn_plain.o $(O)/host/trace$(2)/bench_fn_pg.o \
		$(TRACE_HOST_CORE) $(TRACE_HOST_HDRS)
	@mkdir -p $$(dir $$@)
	$(Q)$(HOSTCC) $(TRACE_BENCH_FLAGS) $(TRACE_FGRAPH_DEFS_$(1)) -flto -no-pie -o $$@ \
		$$(filter %.c %.S %.o,$$^)
TEST_DEPS += $(O)/host/host-trace-bench$(2)
endef

TRACE_BENCH_FLAGS := $(filter-out -MMD -MP,$(TRACE_HOST_FLAGS)) -fno-pie
$(eval $(call trace_host_variant,rethook,$(FGRAPH_SUFFIX_rethook)))
$(eval $(call trace_host_variant,hijack,$(FGRAPH_SUFFIX_hijack)))
BENCHES += $(O)/host/host-trace-bench
# The profiler's stack walk and stack table: pure C, tested on fabricated stacks.
$(O)/host/test_stackwalk: test/unit/test_stackwalk.c trace/stackwalk.c trace/stackid.c \
		trace/stackwalk.h trace/stackid.h test/unit/check.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -DGLASS_HOST -fno-pie -no-pie -o $@ \
		$(filter %.c,$^)
TESTS += $(O)/host/test_stackwalk
TEST_DEPS += $(O)/host/test_stackwalk
