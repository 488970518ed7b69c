# TARGET=<name> links apps/<name>/*.c into the kernel; an unknown name stops at once.
APPS := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard apps/*/main.c)))))
ifeq ($(filter $(TARGET),$(APPS)),)
$(error unknown TARGET=$(TARGET); available apps: $(APPS))
endif
KERNEL_SRCS += $(wildcard apps/$(TARGET)/*.c)
# An app may add sources or conditions of its own.
-include apps/$(TARGET)/app.mk
