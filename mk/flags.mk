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
# FGRAPH picks how function_graph sees returns (docs/architecture.md, "Return hooks"):
#  rethook (default): a 5-byte NOP before every `ret` too, recorded in __return_loc and
#    patched into `call __fexit__` with the function's entry. Return sites must be followed
#    by `ret` (patch.c checks): no sibling calls (KERNEL_CFLAGS has
#    -fno-optimize-sibling-calls), and no cold parts split off a function
#    (-fno-reorder-blocks-and-partition), so a return site belongs to the function whose
#    entry is the nearest one below it.
#  hijack: the traced function's return address is rewritten to return_to_handler and kept
#    on a shadow return stack (the old mechanism, kept for A/B benchmarks).
FGRAPH ?= rethook
TRACE_FGRAPH_DEFS_rethook := -DCONFIG_FGRAPH_RETHOOK=1
TRACE_FGRAPH_DEFS_hijack := -DCONFIG_FGRAPH_RETHOOK=0
TRACE_FGRAPH_CFLAGS_rethook := -minstrument-return=nop5 -mrecord-return \
	-fno-reorder-blocks-and-partition
TRACE_FGRAPH_CFLAGS_hijack :=
ifeq ($(TRACE_FGRAPH_DEFS_$(FGRAPH)),)
$(error FGRAPH=$(FGRAPH) is unknown; use FGRAPH=rethook or FGRAPH=hijack)
endif
# What every object of a traced kernel gets (the tracer's own objects too, without -pg).
TRACE_DEFS := -DCONFIG_TRACE=1 $(TRACE_FGRAPH_DEFS_$(FGRAPH))
TRACE_CFLAGS_ftrace := -pg -mfentry -mrecord-mcount -mnop-mcount \
	$(TRACE_FGRAPH_CFLAGS_$(FGRAPH)) $(TRACE_DEFS)
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
KDIR := $(O)/$(TARGET)$(if $(TRACE),-$(TRACE)$(if $(filter hijack,$(FGRAPH)),-hijack))
