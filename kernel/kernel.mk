# The kernel core (kernel/lib.mk adds the library pieces: printf, libc, pages, heap, ksyms).
KERNEL_SRCS += kernel/main.c kernel/sched.c kernel/sched_flow.c kernel/runq.c kernel/waitq.c kernel/mutex.c \
	kernel/panic.c kernel/api.c kernel/cmdline.c kernel/init_weak.c kernel/trace_env.c \
	kernel/thread_past.c \
	kernel/profile.c
ifeq ($(TRACE),ftrace)
KERNEL_SRCS += kernel/trace_console.c
endif
# switch.S has no fentry site; the asm is listed here to keep it out of -pg anyway.
KERNEL_NOTRACE_SRCS += kernel/switch.S

# Host unit test of the run queue.
$(O)/host/test_runq: test/unit/test_runq.c kernel/runq.c kernel/runq.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(HOST_SAN) -DGLASS_HOST -o $@ test/unit/test_runq.c kernel/runq.c
TESTS += $(O)/host/test_runq
TEST_DEPS += $(O)/host/test_runq
