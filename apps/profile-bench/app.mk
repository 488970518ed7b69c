# The sampling profiler's cost on the compute workload (docs/benchmarks.md).
KERNEL_SRCS += apps/compute/work.c
ifneq ($(TRACE),ftrace)
$(error TARGET=profile-bench needs TRACE=ftrace)
endif
