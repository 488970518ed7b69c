KERNEL_SRCS += apps/compute/work.c
ifneq ($(TRACE),ftrace)
$(error TARGET=tracetoggle needs TRACE=ftrace)
endif
