# make bench: each command prints its figures; they are copied into docs/benchmarks.md.
BENCHES += bench/boot-time.sh
BENCHES += bench/guest-trace.sh
BENCHES += bench/tracing-off-icount.sh
BENCHES += bench/trace-download.sh
BENCHES += bench/capture-time.sh
BENCHES += bench/webg-rps.sh
BENCHES += bench/raw-download.sh
BENCHES += bench/guest-events.sh
BENCHES += bench/profile-bench.sh
BENCHES += bench/profile-accuracy.sh

# ns per trace event on the real CPU (docs/benchmarks.md, "Trace events"); the same
# trace/ sources as the kernel, optimized and unsanitized like host-trace-bench.
$(O)/host/trace/host-event-bench.o: bench/host-event-bench.c $(TRACE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(filter-out -mgeneral-regs-only,$(TRACE_BENCH_FLAGS)) -flto -c -o $@ $<
$(O)/host/host-event-bench: $(O)/host/trace/host-event-bench.o $(TRACE_HOST_CORE) $(TRACE_HOST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_BENCH_FLAGS) -flto -no-pie -o $@ $(filter %.c %.S %.o,$^)
BENCHES += $(O)/host/host-event-bench
TEST_DEPS += $(O)/host/host-event-bench
BENCHES += bench/glass-stream.sh
