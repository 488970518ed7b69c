# Guest (kernel) and host flag sets.
KCC := gcc
KERNEL_CFLAGS := -O2 -g -std=gnu11 -ffreestanding -fno-pie -fno-pic -mno-red-zone \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fcf-protection=none -nostdinc -isystem $(shell $(KCC) -print-file-name=include) \
	-mgeneral-regs-only -mno-sse -fno-strict-aliasing \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
	-Wall -Wextra -Werror -MMD -MP
KERNEL_ASFLAGS := -MMD -MP
KERNEL_LDFLAGS := -m elf_x86_64 -nostdlib -static -no-pie -z max-page-size=0x1000 \
	--no-warn-rwx-segments
# TRACE=ftrace: every instrumented function starts with a 5-byte NOP recorded in
# __mcount_loc, which the tracer patches into `call __fentry__` when tracing.
TRACE_CFLAGS_ftrace := -pg -mfentry -mrecord-mcount -mnop-mcount -DCONFIG_TRACE=1
TRACE_CFLAGS := $(TRACE_CFLAGS_$(TRACE))
ifneq ($(TRACE),)
ifeq ($(TRACE_CFLAGS),)
$(error TRACE=$(TRACE) is unknown; use TRACE=ftrace or leave it empty)
endif
endif

HOSTCC ?= gcc
HOST_CFLAGS := -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP -I.
HOST_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Each configuration builds into its own directory.
KDIR := $(O)/$(TARGET)$(if $(TRACE),-$(TRACE))
