# keel top-level Makefile.
#   make [ARCH=arm64|riscv64|x86_64] [PLATFORM=...] all|run|test|bench|lint|debug|clean
#   make check-partition P=file.dts
#   make flash-image|run-flash [P=file.dts]   firmware flows (boot/boot.mk)
# See README.md.

MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

ARCH ?= arm64
PLATFORM_arm64 := qemu-virt-arm64
PLATFORM_riscv64 := qemu-virt-riscv64
PLATFORM_x86_64 := qemu-pc-x86_64
PLATFORM ?= $(PLATFORM_$(ARCH))

BUILD := build
# TEARDOWN=pagewise: the bench-only build that destroys VMs page by page (make bench compares)
TEARDOWN ?= bulk
# KEEL_TEST_HOOKS=1: the test-only build whose hypercall 0x7f breaks keel on purpose (stack
# canary, stack overflow), so the scenarios marked "image: testhooks" can show that both are caught
KEEL_TEST_HOOKS ?= 0
B := $(BUILD)/$(ARCH)$(if $(filter pagewise,$(TEARDOWN)),-pagewise)$(if $(filter 1,$(KEEL_TEST_HOOKS)),-testhooks)
HOSTB := $(BUILD)/host
LIBFDT_DIR := $(BUILD)/src/libfdt
LIBFDT_STAMP := $(LIBFDT_DIR)/.stamp
LIBFDT_SRCS := fdt.c fdt_ro.c fdt_rw.c fdt_sw.c fdt_wip.c fdt_strerror.c fdt_empty_tree.c fdt_addresses.c

V ?= 0
Q := $(if $(filter 1,$(V)),,@)

# Debian 12 packages keel needs to build, run and test (cpio and the last line: Linux guests,
# tests/linux/linux.mk).
# lib32gcc-12-dev: the 32-bit libgcc of the x86_64 test guests (gcc-multilib would remove the
# cross compilers: it conflicts with them on Debian 12).
# Flash images (boot/boot.mk): u-boot-tools (mkimage, mkenvimage), fdisk (sfdisk) and mtools for
# the riscv64 disk, grub-pc-bin and xorriso for grub-mkrescue on x86_64.
DEB_PKGS := make gcc libc6-dev lib32gcc-12-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
	gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu \
	qemu-system-arm qemu-system-misc qemu-system-x86 opensbi u-boot-qemu \
	device-tree-compiler u-boot-tools gdb-multiarch clang-format cppcheck xz-utils cpio \
	fdisk mtools grub-pc-bin xorriso clang libclang-rt-14-dev \
	flex bison bc libssl-dev libelf-dev libc6-dev-riscv64-cross

# run-linux, linux-images: tests/linux/linux.mk
.PHONY: all deps run test test-unit test-scenarios bench lint check-partition debug clean help

all: $(B)/keel.bin

help:
	@sed -n '1,7p' Makefile

include platform/$(PLATFORM)/platform.mk
include arch/$(ARCH)/arch.mk

# ---------------------------------------------------------------- deps
# Idempotent: installs only what is missing, extracts libfdt once.
deps:
	@# arm64 Linux guests come from Debian's arm64 packages (tests/linux/linux.mk)
	$(Q)if ! dpkg --print-foreign-architectures | grep -qx arm64; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		echo "deps: adding the arm64 package architecture"; \
		$$SUDO dpkg --add-architecture arm64 && $$SUDO apt-get update -qq; \
	fi
	$(Q)missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	$(Q)$(MAKE) --no-print-directory $(LIBFDT_STAMP)

# libfdt comes from the linux-source-6.1 Debian package, compiled by us with
# keel's own freestanding flags (Debian's libfdt.a is host userland code).
$(LIBFDT_STAMP):
	$(Q)rm -rf $(BUILD)/src/dl && mkdir -p $(BUILD)/src/dl $(LIBFDT_DIR)
	$(Q)cd $(BUILD)/src/dl && apt-get download linux-source-6.1 >/dev/null 2>&1 || \
		{ echo "deps: apt-get download linux-source-6.1 failed (run apt-get update?)"; exit 1; }
	$(Q)dpkg-deb --fsys-tarfile $(BUILD)/src/dl/linux-source-6.1_*.deb | \
		tar -xO ./usr/src/linux-source-6.1.tar.xz | \
		tar -xJ -C $(BUILD)/src/dl --wildcards 'linux-source-6.1/scripts/dtc/libfdt/*'
	$(Q)cp $(BUILD)/src/dl/linux-source-6.1/scripts/dtc/libfdt/*.[ch] $(LIBFDT_DIR)/
	$(Q)rm -rf $(BUILD)/src/dl
	$(Q)touch $@
	@echo "deps: libfdt extracted to $(LIBFDT_DIR)"

# ---------------------------------------------------------------- keel image
# libfdt's headers come in with -isystem: warnings in its inline functions are not keel's.
COMMON_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-builtin \
	-fno-common -fstack-protector-strong -fno-pie -fno-pic -nostdinc \
	-isystem $(shell $(CROSS)gcc -print-file-name=include) \
	-Iinclude -Iinclude/lib -Iarch/$(ARCH)/include -Iplatform/$(PLATFORM) -isystem $(LIBFDT_DIR) \
	-ffunction-sections -fdata-sections -fno-tree-loop-distribute-patterns -fno-omit-frame-pointer
KCFLAGS := $(COMMON_CFLAGS) $(ARCH_CFLAGS) $(if $(filter pagewise,$(TEARDOWN)),-DKEEL_PAGEWISE_TEARDOWN=1) \
	$(if $(filter 1,$(KEEL_TEST_HOOKS)),-DKEEL_TEST_HOOKS=1)
# keel's own core (src/) is -Wconversion clean and stays so: every object compiled from src/ gets
# these (keel images, the guests' printf/string, host unit and fuzz builds); arch/ and libfdt not.
CORE_WFLAGS := -Wconversion -Wsign-conversion
# in a recipe: CORE_WFLAGS when the source ($<) is under src/
src_wflags = $(if $(filter src/%,$<),$(CORE_WFLAGS))
# libfdt: same flags, minus the warnings its upstream code trips over.
FDT_CFLAGS := $(KCFLAGS) -Wno-sign-compare -Wno-unused-parameter

CORE_SRCS := $(wildcard src/*.c src/lib/*.c src/mm/*.c src/dev/*.c)
KEEL_OBJS := $(patsubst %.c,$(B)/%.o,$(CORE_SRCS) $(ARCH_SRCS)) \
	$(patsubst %.S,$(B)/%.o,$(ARCH_ASM)) \
	$(patsubst %.c,$(B)/libfdt/%.o,$(LIBFDT_SRCS))

$(B)/%.o: %.c $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(KCFLAGS) $(src_wflags) -MMD -MP -c $< -o $@

$(B)/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(KCFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

$(B)/libfdt/%.o: $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(FDT_CFLAGS) -c $(LIBFDT_DIR)/$*.c -o $@

$(B)/keel.elf: $(KEEL_OBJS) linker/$(ARCH).ld
	$(Q)$(CROSS)gcc $(KCFLAGS) -nostdlib -static -Wl,--gc-sections -Wl,-T,linker/$(ARCH).ld \
		-Wl,-Map,$(B)/keel.map -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $(KEEL_OBJS) -lgcc
	@echo "  LD      $@"

$(B)/keel.bin: $(B)/keel.elf
	$(Q)$(CROSS)objcopy -O binary $< $@
	@echo "  IMAGE   $@ ($$(stat -c %s $@) bytes)"

-include $(filter-out $(B)/libfdt/%,$(KEEL_OBJS:.o=.d))

# ---------------------------------------------------------------- host tools and tests
include tests/unit/unit.mk
include tests/fuzz/fuzz.mk
include tests/guests/guests.mk
include tests/linux/linux.mk

check-partition: $(HOSTB)/check-partition guests
	@test -n "$(P)" || { echo "usage: make check-partition P=file.dts|file.dtb"; exit 2; }
	$(Q)case "$(P)" in *.dts) mkdir -p $(BUILD)/tmp && \
		dtc -q -I dts -O dtb -i $(dir $(P)) -i $(GUEST_B) -o $(BUILD)/tmp/check.dtb $(P) && \
		$(HOSTB)/check-partition --arch $(ARCH) $(BUILD)/tmp/check.dtb ;; \
		*) $(HOSTB)/check-partition --arch $(ARCH) $(P) ;; esac

# ---------------------------------------------------------------- run, debug, test, bench
DEMO_DTS ?= platform/$(PLATFORM)/demo.dts

run: deps
	$(Q)$(MAKE) --no-print-directory all guests
	$(Q)$(MAKE) --no-print-directory $(B)/demo.dtb
	@echo "keel: booting the demo under QEMU (Ctrl-A X quits, Ctrl-A C is QEMU's monitor)"
	$(Q)$(QEMU) $(QEMU_ARGS) -kernel $(B)/$(KEEL_BOOT_IMAGE) -initrd $(B)/demo.dtb

$(B)/demo.dtb: $(DEMO_DTS) guests
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -i $(GUEST_B) -o $@ $<

debug: deps
	$(Q)$(MAKE) --no-print-directory all guests $(B)/demo.dtb
	$(Q)printf 'set architecture $(GDB_ARCH)\nfile %s\ntarget remote :1234\nbreak hyp_panic_exception\n' $(abspath $(B)/keel.elf) > $(B)/gdbinit
	@echo "keel: QEMU is paused with a gdb stub on :1234; in another shell: gdb-multiarch -x $(B)/gdbinit"
	$(Q)$(QEMU) $(QEMU_ARGS) -kernel $(B)/$(KEEL_BOOT_IMAGE) -initrd $(B)/demo.dtb -S -s

include boot/boot.mk

# every arch that has QEMU scenarios (or benchmarks) is built and run
TEST_ARCHES := $(notdir $(wildcard tests/scenarios/arm64 tests/scenarios/riscv64 tests/scenarios/x86_64))
BENCH_ARCHES := $(notdir $(wildcard tests/bench/arm64 tests/bench/riscv64 tests/bench/x86_64))

test: deps
	$(Q)for a in $(TEST_ARCHES); do $(MAKE) --no-print-directory ARCH=$$a all guests flash-image P= && \
		$(MAKE) --no-print-directory ARCH=$$a KEEL_TEST_HOOKS=1 all || exit 1; done
	@# the Linux scenarios (tests/scenarios/<arch>/linux.scn) boot kernels fetched or built once
	$(Q)for a in $(TEST_ARCHES); do [ ! -f tests/scenarios/$$a/linux.scn ] || \
		$(MAKE) --no-print-directory ARCH=$$a linux-images || exit 1; done
	$(Q)$(MAKE) --no-print-directory host-tools
	$(Q)bash tests/run.sh

bench: deps
	$(Q)for a in $(BENCH_ARCHES); do $(MAKE) --no-print-directory ARCH=$$a all guests || exit 1; \
		$(MAKE) --no-print-directory ARCH=$$a TEARDOWN=pagewise all || exit 1; \
		bash tests/bench/run.sh $$a || exit 1; done

# ---------------------------------------------------------------- lint
LINT_FILES := $(shell git ls-files '*.c' '*.h' 2>/dev/null)
lint:
	$(Q)clang-format --dry-run --Werror $(LINT_FILES)
	$(Q)cppcheck -q --error-exitcode=1 --enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Iinclude -Iinclude/lib $(filter %.c,$(LINT_FILES))
	@echo "lint: clean"

clean:
	rm -rf $(BUILD)/arm64 $(BUILD)/riscv64 $(BUILD)/x86_64 $(BUILD)/*-pagewise $(BUILD)/*-testhooks $(BUILD)/host $(BUILD)/guests \
		$(BUILD)/tmp
