# httpd/: the embedded HTTP/1.1 server (kernel) and the host builds of its parser: the unit
# test, the libFuzzer target (clang) and the fuzz target's stdin-replay build (gcc).
HTTPD_HOST := $(O)/host/httpd
HTTPD_TEST := $(O)/host/test_http_parse
HTTPD_FUZZ := $(O)/host/fuzz_http_parse
HTTPD_REPLAY := $(O)/host/fuzz_http_parse_replay
FUZZ_CC ?= clang
FUZZ_TIME_LONG ?= 600

HTTPD_HOST_OBJS := $(HTTPD_HOST)/parse.o $(HTTPD_HOST)/test_http_parse.o \
	$(HTTPD_HOST)/fuzz_http_parse-replay.o $(HTTPD_HOST)/conn.o $(HTTPD_HOST)/response.o \
	$(HTTPD_HOST)/routes.o $(HTTPD_HOST)/ftrace_routes.o $(HTTPD_HOST)/raw_routes.o \
	$(HTTPD_HOST)/printf.o \
	$(HTTPD_HOST)/test_httpd.o
HTTPD_SERVER_TEST := $(O)/host/test_httpd
HTTPD_FUZZ_OBJS := $(HTTPD_HOST)/fuzz/parse.o $(HTTPD_HOST)/fuzz/fuzz_http_parse.o
HTTPD_FUZZ_FLAGS := $(HOST_CFLAGS) -O1 -fsanitize=address,undefined -fno-sanitize-recover=all

$(HTTPD_HOST)/parse.o: httpd/parse.c
$(HTTPD_HOST)/test_http_parse.o: test/unit/test_http_parse.c
$(HTTPD_HOST)/fuzz_http_parse-replay.o: test/fuzz/fuzz_http_parse.c
$(HTTPD_HOST)/conn.o: httpd/conn.c
$(HTTPD_HOST)/response.o: httpd/response.c
$(HTTPD_HOST)/routes.o: httpd/routes.c
$(HTTPD_HOST)/ftrace_routes.o: httpd/ftrace_routes.c
$(HTTPD_HOST)/raw_routes.o: httpd/raw_routes.c
$(HTTPD_HOST)/printf.o: kernel/printf.c
$(HTTPD_HOST)/test_httpd.o: test/unit/test_httpd.c
$(HTTPD_HOST_OBJS):
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  HOSTCC  $<")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -DGLASS_HOST -DFUZZ_REPLAY -c $< -o $@

$(HTTPD_HOST)/fuzz/parse.o: httpd/parse.c
$(HTTPD_HOST)/fuzz/fuzz_http_parse.o: test/fuzz/fuzz_http_parse.c
$(HTTPD_FUZZ_OBJS):
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZCC  $<")
	$(Q)$(FUZZ_CC) $(HTTPD_FUZZ_FLAGS) -fsanitize=fuzzer-no-link -DGLASS_HOST -c $< -o $@

$(HTTPD_TEST): $(HTTPD_HOST)/parse.o $(HTTPD_HOST)/test_http_parse.o
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@

# The connection logic against a fake socket, clock and tracefs (in the test file).
$(HTTPD_SERVER_TEST): $(addprefix $(HTTPD_HOST)/,parse.o conn.o response.o routes.o \
		ftrace_routes.o raw_routes.o printf.o test_httpd.o)
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@

$(HTTPD_REPLAY): $(HTTPD_HOST)/parse.o $(HTTPD_HOST)/fuzz_http_parse-replay.o
	$(Q)$(HOSTCC) $(HOST_SAN) $^ -o $@

$(HTTPD_FUZZ): $(HTTPD_FUZZ_OBJS)
	$(Q)$(FUZZ_CC) $(HTTPD_FUZZ_FLAGS) -fsanitize=fuzzer $^ -o $@

TESTS += $(HTTPD_TEST) $(HTTPD_SERVER_TEST) test/fuzz/fuzz-http.sh
TEST_DEPS += $(HTTPD_TEST) $(HTTPD_SERVER_TEST) $(HTTPD_FUZZ) $(HTTPD_REPLAY)

# `make fuzz`: every fuzz target for longer (double-colon: other fragments add their own).
.PHONY: fuzz
fuzz:: deps $(HTTPD_FUZZ) $(HTTPD_REPLAY)
	$(Q)O=$(O) FUZZ_TIME=$(FUZZ_TIME_LONG) test/fuzz/fuzz-http.sh

-include $(HTTPD_HOST_OBJS:.o=.d) $(HTTPD_FUZZ_OBJS:.o=.d)

# The server itself. Without TRACE the tracer and its tracefs are not linked:
# tracefs_off.c stands in, so /ftrace/ answers 503 with the reason.
KERNEL_SRCS += httpd/parse.c httpd/response.c httpd/conn.c httpd/routes.c httpd/server.c \
	httpd/ftrace_routes.c httpd/raw_routes.c $(if $(TRACE),,httpd/tracefs_off.c)
