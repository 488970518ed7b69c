KERNEL_NOTRACE_SRCS += apps/ftrace-bench/plain/bench_plain.c
ifneq ($(TRACE),ftrace)
$(error TARGET=ftrace-bench needs TRACE=ftrace)
endif
