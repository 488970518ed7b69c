# Host tools: parse-trace and runtime-breakdown (issue 5). Users and benchmarks get optimised
# builds without sanitizers in $(O)/bin/; the tests run the same sources built with
# $(HOST_SAN) into $(O)/host-san/.
# tools/lib reads capture files with the kernel's own codec and printer (trace/codec.c,
# $(TRACE_PRINTER_SRCS) from trace/output.mk), built as the host tests build them
# (GLASS_HOST: trace/env.h's host declarations).
TOOLS_LIB_SRCS := $(wildcard tools/lib/*.c) $(TRACE_PRINTER_SRCS) trace/codec.c
TOOLS_HOSTDEFS := -DGLASS_HOST -DCONFIG_TRACE=1
GLASS_SRCS := $(wildcard tools/glass/*.c)
# pprof's messages: C generated from tools/parse-trace/profile.proto by protoc-c, never committed
TOOLS_GEN := $(O)/tools-gen
PARSE_TRACE_SRCS := $(wildcard tools/parse-trace/*.c) $(TOOLS_GEN)/profile.pb-c.c \
	$(TOOLS_GEN)/sqlite_schema_sql.c $(TOOLS_GEN)/sqlite_indexes_sql.c
PT_LDLIBS := -lprotobuf-c -lz -lsqlite3
RB_SRCS := $(wildcard tools/runtime-breakdown/*.c)
TOOLS_OBJ := $(O)/tools-obj
TOOLS_SAN_OBJ := $(O)/host-san/obj
TOOLS_LDLIBS := -lzstd -lm -lpthread
RB_LDLIBS := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) -lpthread

# Release builds: -O3 and link-time optimisation let the line scanner inline across files.
TOOLS_CFLAGS := $(HOST_CFLAGS) -O3 -flto -I$(TOOLS_GEN)
TOOLS_LDFLAGS := -O3 -flto

# The printer at -O2 without LTO, as the kernel and its host tests build it: at -O3 GCC's
# -Wstringop-overflow misreads its overlapping short moves (put_mem).
$(patsubst %.c,$(TOOLS_OBJ)/%.o,$(TRACE_PRINTER_SRCS)): TOOLS_CFLAGS := $(HOST_CFLAGS)

tools_objs = $(patsubst %.c,$(1)/%.o,$(2))

$(TOOLS_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TOOLS_CFLAGS) $(TOOLS_HOSTDEFS) -c $< -o $@

$(TOOLS_SAN_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -I$(TOOLS_GEN) $(TOOLS_HOSTDEFS) $(HOST_SAN) -c $< -o $@

$(TOOLS_GEN)/%.pb-c.c $(TOOLS_GEN)/%.pb-c.h: tools/parse-trace/%.proto
	@mkdir -p $(dir $@)
	$(Q)protoc-c --proto_path=tools/parse-trace --c_out=$(TOOLS_GEN) $<

# $< as the C string $(1) in $@: files the binaries need at run time are built in
embed_c_string = { echo '/* generated from $< */'; echo 'const char $(1)[] ='; \
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; echo ';'; } > $@

# the database schema (docs/sqlite.md)
$(TOOLS_GEN)/%_sql.c: tools/parse-trace/%.sql
	@mkdir -p $(dir $@)
	$(Q)$(call embed_c_string,$*_sql)
.SECONDARY: $(filter $(TOOLS_GEN)/%,$(PARSE_TRACE_SRCS))

$(TOOLS_OBJ)/tools/parse-trace/pprof.o $(TOOLS_SAN_OBJ)/tools/parse-trace/pprof.o: \
	$(TOOLS_GEN)/profile.pb-c.h

$(O)/bin/parse-trace: $(call tools_objs,$(TOOLS_OBJ),$(PARSE_TRACE_SRCS) $(TOOLS_LIB_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TOOLS_LDFLAGS) $^ -o $@ $(TOOLS_LDLIBS) $(PT_LDLIBS)

$(O)/host-san/bin/parse-trace: $(call tools_objs,$(TOOLS_SAN_OBJ),$(PARSE_TRACE_SRCS) $(TOOLS_LIB_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@ $(TOOLS_LDLIBS) $(PT_LDLIBS)

# report.html becomes a C string so the binary needs no data files at run time
$(O)/tools-gen/report_html.c: tools/runtime-breakdown/report.html
	@mkdir -p $(dir $@)
	$(Q)$(call embed_c_string,report_html)

$(TOOLS_OBJ)/report_html.o: $(O)/tools-gen/report_html.c
	$(Q)$(HOSTCC) $(TOOLS_CFLAGS) -c $< -o $@

$(TOOLS_SAN_OBJ)/report_html.o: $(O)/tools-gen/report_html.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -c $< -o $@

RB_OBJS = $(call tools_objs,$(1),$(RB_SRCS) $(TOOLS_LIB_SRCS)) $(1)/report_html.o

$(O)/bin/runtime-breakdown: $(call RB_OBJS,$(TOOLS_OBJ))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TOOLS_LDFLAGS) $^ -o $@ $(TOOLS_LDLIBS) $(RB_LDLIBS)

$(O)/host-san/bin/runtime-breakdown: $(call RB_OBJS,$(TOOLS_SAN_OBJ))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@ $(TOOLS_LDLIBS) $(RB_LDLIBS)

$(O)/bin/glass: $(call tools_objs,$(TOOLS_OBJ),$(GLASS_SRCS) $(TOOLS_LIB_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TOOLS_LDFLAGS) $^ -o $@ $(TOOLS_LDLIBS)

$(O)/host-san/bin/glass: $(call tools_objs,$(TOOLS_SAN_OBJ),$(GLASS_SRCS) $(TOOLS_LIB_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@ $(TOOLS_LDLIBS)

HOST_BINS += $(O)/bin/parse-trace $(O)/bin/runtime-breakdown $(O)/bin/glass

# The trace record codec, the kernel's own source (trace/codec.c), for tools that decode
# ring blocks: link $(call tools_objs,$(TOOLS_OBJ),$(TOOLS_CODEC_SRCS)) (or the
# $(TOOLS_SAN_OBJ) build) and include "trace/codec.h". It needs nothing but libc headers.
TOOLS_CODEC_SRCS := trace/codec.c
TOOLS_CODEC_OBJS := $(call tools_objs,$(TOOLS_OBJ),$(TOOLS_CODEC_SRCS)) \
	$(call tools_objs,$(TOOLS_SAN_OBJ),$(TOOLS_CODEC_SRCS))


# --- tests -------------------------------------------------------------------------------
TOOLS_SAN_LIB_OBJS := $(call tools_objs,$(TOOLS_SAN_OBJ),$(TOOLS_LIB_SRCS))

$(O)/host-san/test_tools_lib: $(TOOLS_SAN_OBJ)/test/tools/test_tools_lib.o $(TOOLS_SAN_LIB_OBJS) \
		$(TOOLS_SAN_OBJ)/tools/runtime-breakdown/hist.o
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@ $(TOOLS_LDLIBS)

# the scanners of the function tracer, trace-cmd report and other tools' numbers
$(O)/host-san/test_tools_formats: $(TOOLS_SAN_OBJ)/test/tools/test_formats.o $(TOOLS_SAN_LIB_OBJS)
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@ $(TOOLS_LDLIBS)

# Round trip through the kernel's printer ($(TRACE_PRINTER_SRCS), part of the tools' objects)
$(O)/host-san/test_tools_roundtrip: $(TOOLS_SAN_OBJ)/test/tools/roundtrip.o $(TOOLS_SAN_LIB_OBJS)
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@ $(TOOLS_LDLIBS)

# the trace generator: sanitized for the property tests, optimised for the benchmark
$(O)/host-san/gen-trace: $(TOOLS_SAN_OBJ)/test/tools/gen-trace.o
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@

$(O)/host/gen-trace: test/tools/gen-trace.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $< -o $@

# Capture files of a ring filled natively by the kernel's writer, with the printer's text of
# the same ring (glass report's byte-identity test, test/tools/glass.sh)
GEN_CAPTURE_SRCS := test/tools/gen-capture.c $(TRACE_RING_SRCS) trace/config.c \
	$(TRACE_PRINTER_SRCS) \
	test/unit/trace_host_env.c tools/lib/capture.c tools/lib/rawhdr.c tools/lib/xalloc.c
$(O)/host-san/gen-capture: $(GEN_CAPTURE_SRCS) $(wildcard trace/*.h tools/lib/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(HOST_SAN) $(filter %.c,$^) -o $@ -lzstd

$(O)/host/gen-capture: $(GEN_CAPTURE_SRCS) $(wildcard trace/*.h tools/lib/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TRACE_HOST_FLAGS) $(filter %.c,$^) -o $@ -lzstd

# the checker of Perfetto exports (test/tools/perfetto.sh)
$(O)/host-san/pftrace-check: $(TOOLS_SAN_OBJ)/test/tools/pftrace-check.o \
		$(TOOLS_SAN_OBJ)/test/tools/pftrace-profile.o
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@ -lzstd

# libFuzzer targets (clang), with the same sources as the tools
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I. $(TOOLS_HOSTDEFS) \
	-fsanitize=fuzzer,address,undefined
$(O)/host-san/fuzz/tparse: test/tools/fuzz_tparse.c $(TOOLS_LIB_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $^ -o $@ -lzstd -lpthread

$(O)/host-san/fuzz/capture: test/tools/fuzz_capture.c $(TOOLS_LIB_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $^ -o $@ -lzstd -lpthread

$(O)/host-san/fuzz/csv: test/tools/fuzz_csv.c $(TOOLS_LIB_SRCS) \
		$(addprefix tools/runtime-breakdown/,agg.c hist.c load.c)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $^ -o $@ -lzstd -lpthread

# the timeline exporters behind the parser
TIMELINE_SRCS := $(addprefix tools/parse-trace/,emit_perfetto.c pf_tracks.c pf_sched.c pf_util.c pf_events.c pf_samples.c \
	pfstream.c pbwrite.c cpurun.c emit_tracedat.c tdat_file.c tdat_pages.c lifecycle.c \
	emit_lifecycle.c emit_mermaid.c)
$(O)/host-san/fuzz/timeline: test/tools/fuzz_timeline.c $(TOOLS_LIB_SRCS) $(TIMELINE_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $^ -o $@ -lzstd -lpthread

TESTS += $(O)/host-san/test_tools_lib $(O)/host-san/test_tools_formats \
	$(O)/host-san/test_tools_roundtrip test/tools/golden.sh test/tools/cases.sh \
	test/tools/props.sh test/tools/badinput.sh test/tools/rb.sh test/tools/formats.sh \
	test/tools/serve-browser.sh test/tools/fuzz-run.sh
# on-CPU versus waiting time, and durations of hours (issue 12)
TESTS += test/tools/offcpu.sh test/tools/hours.sh test/tools/overhead.sh
TESTS += test/tools/pprof.sh test/tools/sqlite.sh test/tools/profile.sh
# glass record/report and capture files (issue 13)
TESTS += test/tools/glass.sh
TEST_DEPS += $(O)/host-san/bin/glass $(O)/host-san/gen-capture
# timeline exports (issue 14)
TESTS += test/tools/perfetto.sh test/tools/tracedat.sh test/tools/lifecycle.sh
TEST_DEPS += $(O)/host-san/bin/parse-trace $(O)/host-san/bin/runtime-breakdown \
	$(O)/host-san/test_tools_lib $(O)/host-san/test_tools_formats \
	$(O)/host-san/test_tools_roundtrip $(O)/host-san/gen-trace $(O)/host-san/pftrace-check \
	$(O)/host-san/fuzz/tparse $(O)/host-san/fuzz/csv $(O)/host-san/fuzz/capture \
	$(O)/host-san/fuzz/timeline \
	$(O)/bin/parse-trace $(O)/bin/runtime-breakdown $(O)/host/gen-trace \
	$(TOOLS_CODEC_OBJS)
BENCHES += test/tools/bench.sh test/tools/bench-exports.sh test/tools/bench-glass.sh \
	test/tools/bench-timeline.sh
TEST_DEPS += $(O)/host/gen-capture

.PHONY: fuzz-tools install
# longer fuzzing runs than `make test` does: FUZZ_SECONDS per target
fuzz-tools: $(O)/host-san/fuzz/tparse $(O)/host-san/fuzz/csv $(O)/host-san/fuzz/capture \
		$(O)/host-san/fuzz/timeline $(O)/host-san/gen-capture
	$(Q)O=$(O) FUZZ_SECONDS=$${FUZZ_SECONDS:-300} test/tools/fuzz-run.sh

# --- install -----------------------------------------------------------------------------
PREFIX ?= /usr/local
DESTDIR ?=
install: $(O)/bin/parse-trace $(O)/bin/runtime-breakdown $(O)/bin/glass
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $^ $(DESTDIR)$(PREFIX)/bin/
	install -m 644 docs/parse-trace.1 docs/runtime-breakdown.1 docs/glass.1 \
		$(DESTDIR)$(PREFIX)/share/man/man1/

-include $(shell find $(TOOLS_OBJ) $(TOOLS_SAN_OBJ) -name '*.d' 2>/dev/null)
