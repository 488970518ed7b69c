# net/: lwIP (Debian's lwip 2.1.3 source package, fetched into $(O)/lwip/src by
# scripts/fetch-lwip.sh, or LWIP_SRC=dir) and our glue. lwIP is compiled with the kernel
# flags plus the trace flags, so the network path shows up in traces. Its objects depend
# only on TRACE, not on the app, so they live in $(O)/lwip/obj[-ftrace]/ and reach the
# link through KERNEL_EXTRA_OBJS.
LWIP_SRC ?=
LWIP_DIR := $(O)/lwip/src
LWIP_STAMP := $(O)/lwip/.fetched$(if $(LWIP_SRC),-local)
LWIP_ODIR := $(O)/lwip/obj$(if $(TRACE),-$(TRACE)$(if $(filter hijack,$(FGRAPH)),-hijack))
LWIP_CORE := core/init.c core/def.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c \
	core/netif.c core/pbuf.c core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c \
	core/stats.c core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c core/ipv4/ip4_addr.c \
	netif/ethernet.c
LWIP_C := $(addprefix $(LWIP_DIR)/src/,$(LWIP_CORE))
LWIP_OBJS := $(patsubst %.c,$(LWIP_ODIR)/%.o,$(LWIP_CORE))
NET_INCLUDES := -Inet -I$(LWIP_DIR)/src/include
LWIP_CFLAGS = $(KERNEL_CFLAGS) $(TRACE_CFLAGS) -I. -Ikernel/libc $(NET_INCLUDES)

KERNEL_SRCS += net/net.c net/netif.c net/port.c net/socket.c net/serves_trace.c net/tcp_frame.c \
	net/timewait.c
KERNEL_INCLUDES += $(NET_INCLUDES)
KERNEL_EXTRA_OBJS += $(LWIP_OBJS)

$(LWIP_STAMP): scripts/fetch-lwip.sh
	$(Q)O=$(O) LWIP_SRC=$(LWIP_SRC) scripts/fetch-lwip.sh
	@touch $@

# The sources appear with the stamp; order-only, so re-fetching rebuilds nothing.
$(LWIP_C): | $(LWIP_STAMP) ;

$(LWIP_ODIR)/%.o: $(LWIP_DIR)/src/%.c $(LWIP_ODIR)/.flags
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      lwip/$*.c")
	$(Q)$(KCC) $(LWIP_CFLAGS) -c $< -o $@

$(LWIP_ODIR)/.flags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(LWIP_CFLAGS)' | cmp -s - $@ || echo '$(LWIP_CFLAGS)' > $@

# Our net/ objects include lwIP's headers: fetch first.
$(patsubst %.c,$(KDIR)/%.o,$(filter net/%.c,$(KERNEL_SRCS))): | $(LWIP_STAMP)

.PHONY: lwip
lwip: $(LWIP_STAMP)

-include $(LWIP_OBJS:.o=.d)

# Boot tests of the network and the HTTP server (need QEMU; see the script).
TESTS += test/boot/net-tests.sh
