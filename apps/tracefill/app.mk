KERNEL_SRCS += apps/compute/work.c
ifneq ($(TRACE),ftrace)
$(error TARGET=tracefill needs TRACE=ftrace)
endif
