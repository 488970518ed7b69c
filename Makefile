# glass: one non-recursive Makefile; per-directory *.mk fragments only append to the lists
# below. `make help` lists the targets.
O ?= build
TARGET ?= hello
SMP ?= 2
MEM ?= 512M
TRACE ?=
TRACE_BUF_MB ?= 64
TRACE_ON_BOOT ?= 1
KVM ?= auto
HTTP_PORT ?= 9090
APP_PORT ?= 8080
EXIT ?= 0
MODE ?= raw
DURATION ?=
V ?= 0

export SMP MEM KVM HTTP_PORT APP_PORT EXIT

ifeq ($(V),0)
Q := @
else
Q :=
endif

# Lists the fragments append to.
KERNEL_SRCS :=          # kernel C/asm, instrumented when TRACE=ftrace
KERNEL_NOTRACE_SRCS :=  # kernel C/asm never instrumented (tracer, early boot)
KERNEL_INCLUDES := -I. -Ikernel/libc
HOST_BINS :=            # host programs built by `make tools`/`make test`
TESTS :=                # test commands run by `make test` (see scripts/run-tests.sh)
TEST_DEPS :=            # files `make test` needs built first
BENCHES :=              # commands run by `make bench`

.PHONY: all kernel run capture test bench tools clean help deps test-deps-install
all: kernel tools

include mk/flags.mk
include platform/pc/pc.mk
include kernel/kernel.mk
-include kernel/lib.mk
-include trace/trace.mk
-include trace/output.mk
-include trace/raw.mk
-include net/net.mk
-include httpd/httpd.mk
include apps/apps.mk
-include tools/tools.mk
include test/test.mk
-include bench/bench.mk
include mk/kernel-link.mk

deps:
	$(Q)scripts/install-deps.sh

# The test suite also drives a headless browser.
test-deps-install:
	$(Q)scripts/install-deps.sh --with-browser

run: deps kernel tools
	$(Q)scripts/run-qemu.sh $(KERNEL_ELF)

# [WORKLOAD=command] make TRACE=ftrace TARGET=app capture [MODE=raw|trace|pipe] [DURATION=10s]
# (WORKLOAD in the environment: on the command line make would expand its $)
capture: deps kernel tools
	$(Q)TARGET=$(TARGET) MODE=$(MODE) DURATION=$(DURATION) BIN=$(O)/bin scripts/capture.sh $(KERNEL_ELF)

test: test-deps-install $(TEST_DEPS)
	$(Q)O=$(O) scripts/run-tests.sh $(TESTS)

bench: deps $(TEST_DEPS)
	$(Q)set -e; for b in $(BENCHES); do echo "== $$b"; O=$(O) $$b; done

tools: $(HOST_BINS)

clean:
	rm -rf $(O)

help:
	@echo "make [TARGET=app] [TRACE=ftrace] [SMP=n] [MEM=512M] [KVM=auto|0|1] run"
	@echo "  kernel   build $(O)/$(TARGET)$(if $(TRACE),-$(TRACE))/glass.elf"
	@echo "  run      build and boot under QEMU (serial on this terminal; quit: Ctrl-A X)"
	@echo "  capture  boot, run the workload, fetch the trace, analyse it into out/ (TRACE=ftrace)"
	@echo "  tools    build the host tools into $(O)/bin/"
	@echo "  test     the whole test suite (prints 'N passed, N failed, N skipped')"
	@echo "  bench    benchmarks (figures go to docs/benchmarks.md by hand)"
	@echo "  install  install the host tools and man pages (PREFIX=/usr/local, DESTDIR=)"
	@echo "  fuzz     run the fuzz targets for longer than make test does"
	@echo "  clean    remove $(O)/"
	@echo "apps: $(APPS)"
fuzz:: fuzz-tools
