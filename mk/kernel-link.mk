# Compiles the kernel objects for this configuration and links glass.elf in two steps:
# link 1 without symbols, `nm` -> generated symbol table, link 2 with it; then checks that
# no function moved between the two links (the table sits after all code).
KERNEL_ELF := $(KDIR)/glass.elf
KCONFIG_DEFS := -DCONFIG_TRACE_BUF_MB=$(TRACE_BUF_MB) -DCONFIG_TRACE_ON_BOOT=$(TRACE_ON_BOOT) \
	-DCONFIG_APP_NAME='"$(TARGET)"'

kobj = $(patsubst %,$(KDIR)/%.o,$(basename $(1)))
KOBJS := $(call kobj,$(KERNEL_SRCS))
KOBJS_NOTRACE := $(call kobj,$(KERNEL_NOTRACE_SRCS))
# KERNEL_EXTRA_OBJS: objects that fragments build with their own rules (lwIP).
KALL := $(KOBJS) $(KOBJS_NOTRACE) $(KERNEL_EXTRA_OBJS)

$(KOBJS): KFLAGS_EXTRA := $(TRACE_CFLAGS)
$(KOBJS_NOTRACE): KFLAGS_EXTRA := $(if $(TRACE),$(TRACE_DEFS))

# Any change of the configuration flags rebuilds everything.
KFLAGS_ALL = $(KERNEL_CFLAGS) $(KERNEL_INCLUDES) $(KCONFIG_DEFS) $(KFLAGS_EXTRA)

$(KDIR)/%.o: %.c $(KDIR)/.flags
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(KCC) $(KFLAGS_ALL) -c $< -o $@

$(KDIR)/%.o: %.S $(KDIR)/.flags
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AS      $<")
	$(Q)$(KCC) $(KERNEL_ASFLAGS) $(KERNEL_INCLUDES) $(KCONFIG_DEFS) $(KFLAGS_EXTRA) -c $< -o $@

$(KDIR)/.flags: FORCE
	@mkdir -p $(KDIR)
	@echo '$(KERNEL_CFLAGS) $(KCONFIG_DEFS) $(TRACE_CFLAGS)' | cmp -s - $@ || \
		echo '$(KERNEL_CFLAGS) $(KCONFIG_DEFS) $(TRACE_CFLAGS)' > $@
FORCE:

KLD_SCRIPT := platform/pc/kernel.ld

$(KDIR)/ksyms0.o: scripts/gen-ksyms.sh
	@mkdir -p $(KDIR)
	$(Q)scripts/gen-ksyms.sh /dev/null > $(KDIR)/ksyms0.S
	$(Q)$(KCC) -c $(KDIR)/ksyms0.S -o $@

$(KDIR)/glass1.elf: $(KALL) $(KDIR)/ksyms0.o $(KLD_SCRIPT)
	$(Q)ld $(KERNEL_LDFLAGS) -T $(KLD_SCRIPT) -o $@ $(KALL) $(KDIR)/ksyms0.o

$(KDIR)/ksyms.o: $(KDIR)/glass1.elf scripts/gen-ksyms.sh
	$(Q)nm -n $< | scripts/gen-ksyms.sh - > $(KDIR)/ksyms.S
	$(Q)$(KCC) -c $(KDIR)/ksyms.S -o $@

$(KERNEL_ELF): $(KDIR)/glass1.elf $(KDIR)/ksyms.o
	$(if $(Q),@echo "  LD      $@")
	$(Q)ld $(KERNEL_LDFLAGS) -T $(KLD_SCRIPT) -o $@ $(KALL) $(KDIR)/ksyms.o
	$(Q)nm -n $(KDIR)/glass1.elf | grep -i ' t ' > $(KDIR)/syms1.txt
	$(Q)nm -n $@ | grep -i ' t ' > $(KDIR)/syms2.txt
	$(Q)cmp -s $(KDIR)/syms1.txt $(KDIR)/syms2.txt || \
		{ echo "glass: functions moved between link 1 and 2" >&2; rm -f $@; exit 1; }

kernel: $(KERNEL_ELF)

-include $(KALL:.o=.d)
