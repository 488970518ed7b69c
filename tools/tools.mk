# Host tools: parse-trace and runtime-breakdown (issue 5). Users and benchmarks get optimised
# builds without sanitizers in $(O)/bin/; the tests run the same sources built with
# $(HOST_SAN) into $(O)/host-san/.
TOOLS_LIB_SRCS := $(wildcard tools/lib/*.c)
PARSE_TRACE_SRCS := $(wildcard tools/parse-trace/*.c)
RB_SRCS := $(wildcard tools/runtime-breakdown/*.c)
TOOLS_OBJ := $(O)/tools-obj
TOOLS_SAN_OBJ := $(O)/host-san/obj
TOOLS_LDLIBS := -lzstd -lm
RB_LDLIBS := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd) -lpthread

tools_objs = $(patsubst %.c,$(1)/%.o,$(2))

$(TOOLS_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(TOOLS_SAN_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -c $< -o $@

$(O)/bin/parse-trace: $(call tools_objs,$(TOOLS_OBJ),$(PARSE_TRACE_SRCS) $(TOOLS_LIB_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $^ -o $@ $(TOOLS_LDLIBS)

$(O)/host-san/bin/parse-trace: $(call tools_objs,$(TOOLS_SAN_OBJ),$(PARSE_TRACE_SRCS) $(TOOLS_LIB_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@ $(TOOLS_LDLIBS)

HOST_BINS += $(O)/bin/parse-trace

-include $(shell find $(TOOLS_OBJ) $(TOOLS_SAN_OBJ) -name '*.d' 2>/dev/null)
