# Freestanding test guests: one binary per tests/guests/$(ARCH)/*.c, linked with
# the guest library (guest.c, plus tests/guests/lib/$(ARCH)_*.c and
# arch_$(ARCH).h, which guest.h includes), keel's printf/string code and, for
# the arches whose guests read a DTB, guest_dt.c and libfdt.
# tests/guests/$(ARCH)/guest.mk, when there is one, may replace GUEST_CFLAGS
# (guests built for another mode than keel's, e.g. 32-bit x86) and
# GUEST_BOOT_OBJS (boot information other than a DTB).

GUEST_B := $(BUILD)/guests/$(ARCH)
GUEST_DIR := tests/guests/$(ARCH)
GUEST_CFLAGS := $(KCFLAGS) -fno-stack-protector -Itests/guests/lib -I$(GUEST_DIR)
GUEST_BOOT_OBJS := $(GUEST_B)/lib/guest_dt.o $(patsubst %.c,$(GUEST_B)/libfdt/%.o,$(LIBFDT_SRCS))
# tests/guests/common/*.c are built for every arch (they use only guest.h's API),
# tests/guests/dt/*.c for the arches whose guests boot with a DTB
GUEST_SHARED_DIRS := tests/guests/common tests/guests/dt
-include $(GUEST_DIR)/guest.mk
GUEST_MAINS := $(wildcard $(GUEST_DIR)/*.c) $(foreach d,$(GUEST_SHARED_DIRS),$(wildcard $(d)/*.c))
GUEST_LIB_OBJS := $(GUEST_B)/lib/start.o $(GUEST_B)/lib/guest.o $(GUEST_B)/lib/printf.o \
	$(GUEST_B)/lib/string.o $(GUEST_BOOT_OBJS) \
	$(patsubst tests/guests/lib/%.c,$(GUEST_B)/lib/%.o,$(wildcard tests/guests/lib/$(ARCH)_*.c)) \
	$(patsubst tests/guests/lib/%.S,$(GUEST_B)/lib/%.o,$(wildcard tests/guests/lib/$(ARCH)_*.S))
GUEST_BINS := $(patsubst %.c,$(GUEST_B)/%.bin,$(notdir $(GUEST_MAINS)))
GUEST_HDRS := tests/guests/lib/guest.h $(wildcard tests/guests/lib/arch_$(ARCH).h)

.PHONY: guests
guests: $(GUEST_BINS)

$(GUEST_B)/lib/start.o: $(GUEST_DIR)/start.S
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(GUEST_B)/lib/%.o: tests/guests/lib/%.c $(LIBFDT_STAMP) $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) -c $< -o $@
$(GUEST_B)/lib/%.o: tests/guests/lib/%.S
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) -D__ASSEMBLY__ -c $< -o $@
$(GUEST_B)/lib/printf.o: src/lib/printf.c
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) $(CORE_WFLAGS) -c $< -o $@
$(GUEST_B)/lib/string.o: src/lib/string.c
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) $(CORE_WFLAGS) -c $< -o $@
$(GUEST_B)/libfdt/%.o: $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(FDT_CFLAGS) -fno-stack-protector -c $(LIBFDT_DIR)/$*.c -o $@
$(GUEST_B)/%.o: $(GUEST_DIR)/%.c $(LIBFDT_STAMP) $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) -c $< -o $@
$(GUEST_B)/%.o: tests/guests/common/%.c $(LIBFDT_STAMP) $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) -c $< -o $@
$(GUEST_B)/%.o: tests/guests/dt/%.c $(LIBFDT_STAMP) $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) -c $< -o $@
$(GUEST_B)/%.elf: $(GUEST_B)/%.o $(GUEST_LIB_OBJS) $(wildcard $(GUEST_DIR)/*.ld)
	$(Q)$(CROSS)gcc $(GUEST_CFLAGS) -nostdlib -static -Wl,--gc-sections -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -Wl,-T,$(or $(wildcard $(GUEST_DIR)/$*.ld),$(GUEST_DIR)/guest.ld) \
		-o $@ $< $(GUEST_LIB_OBJS) -lgcc
$(GUEST_B)/%.bin: $(GUEST_B)/%.elf
	$(Q)$(CROSS)objcopy -O binary $< $@

# keep the guests' objects and ELF files (debugging, objdump)
.SECONDARY: $(GUEST_BINS:.bin=.elf) $(GUEST_BINS:.bin=.o) $(GUEST_LIB_OBJS)

# the manager test guest embeds the partition DTBs of the VMs it creates at run time
# (benchmgr, make bench's manager, embeds entry.dtb)
MANAGER_DTBS := child bigchild probe
$(MANAGER_DTBS:%=$(GUEST_B)/%.dtb) $(GUEST_B)/entry.dtb: $(GUEST_B)/%.dtb: $(GUEST_DIR)/%.dts \
		$(GUEST_B)/hello.bin $(GUEST_B)/isolation.bin $(GUEST_B)/entry.bin
	$(Q)dtc -q -I dts -O dtb -i $(GUEST_B) -o $@ $<
$(GUEST_B)/manager.o: $(MANAGER_DTBS:%=$(GUEST_B)/%.dtb)
$(GUEST_B)/benchmgr.o: $(GUEST_B)/entry.dtb
$(GUEST_B)/manager.o $(GUEST_B)/benchmgr.o: GUEST_CFLAGS += -DDTB_DIR='"$(GUEST_B)"'
