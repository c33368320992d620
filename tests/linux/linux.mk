# Linux guests (README "Linux guests"): a kernel and an initramfs per arch under build/linux/$(ARCH),
# embedded by the partition files tests/scenarios/$(ARCH)/linux*.dts and platform/*/linux.dts.
#   arm64: Debian's linux-image-*-arm64 (its vmlinuz is a plain Image) and busybox-static:arm64,
#          fetched with apt-get download (needs dpkg --add-architecture arm64: make deps does it)
#   riscv64: Debian 12 has no riscv64 kernel: one is built from linux-source-6.1 with
#          allnoconfig + tests/linux/riscv64/kernel.config (a few minutes with -j2, then cached),
#          and /init is tests/linux/riscv64/init.c, static, with Debian's riscv64 cross toolchain
#   make linux-images   builds them;  make run-linux   boots two Linux VMs and a bare-metal one
#   make test-linux     runs only the Linux scenarios (tests/scenarios/<arch>/linux*.scn) of every
#                       arch that has them; make test runs them too

LINUX_B := $(BUILD)/linux/$(ARCH)
LINUX_DIR := tests/linux
LINUX_INITRAMFS_arm64 := initramfs.cpio.gz
LINUX_INITRAMFS_riscv64 := initramfs.cpio
LINUX_IMAGES := $(LINUX_B)/Image $(LINUX_B)/$(LINUX_INITRAMFS_$(ARCH))
LINUX_JOBS ?= 2
LINUX_DTS ?= platform/$(PLATFORM)/linux.dts

.PHONY: linux-images run-linux test-linux

ifneq ($(filter arm64 riscv64,$(ARCH)),)
linux-images: $(LINUX_IMAGES)
else
linux-images:
	@echo "linux: no Linux guest images for $(ARCH) yet (arm64 and riscv64 have them)"; exit 1
endif

ifeq ($(ARCH),arm64)
# the kernel package behind the linux-image-arm64 metapackage (6.1.0-N-arm64 on Debian 12)
$(LINUX_B)/dl/.stamp:
	$(Q)rm -rf $(dir $@) && mkdir -p $(dir $@)
	$(Q)pkg=$$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | \
		awk '/Depends: linux-image-[0-9]/ { sub(":arm64", "", $$2); print $$2; exit }'); \
	test -n "$$pkg" || { echo "linux: no linux-image-arm64:arm64 in apt's lists (make deps adds arm64)"; exit 1; }; \
	cd $(dir $@) && apt-get download "$$pkg:arm64" busybox-static:arm64 >/dev/null 2>&1 || \
		{ echo "linux: apt-get download $$pkg:arm64 busybox-static:arm64 failed"; exit 1; }
	$(Q)touch $@

$(LINUX_B)/Image: $(LINUX_B)/dl/.stamp
	$(Q)dpkg-deb --fsys-tarfile $(LINUX_B)/dl/linux-image-*.deb | \
		tar -xO --wildcards './boot/vmlinuz-*' >$@.tmp
	@# Debian 12's arm64 vmlinuz is the plain Image (magic ARM\x64 at 56); older ones were gzipped
	$(Q)if [ "$$(od -A n -t x1 -j 0 -N 2 $@.tmp | tr -d ' ')" = "1f8b" ]; then \
		gunzip -c <$@.tmp >$@.img && mv $@.img $@.tmp; fi
	$(Q)[ "$$(dd if=$@.tmp bs=1 skip=56 count=4 2>/dev/null | od -A n -c | tr -d ' ')" = 'ARMd' ] || \
		{ echo "linux: $@ has no arm64 Image header"; exit 1; }
	$(Q)mv $@.tmp $@
	@echo "  LINUX   $@ ($$(stat -c %s $@) bytes)"

$(LINUX_B)/busybox: $(LINUX_B)/dl/.stamp
	$(Q)dpkg-deb --fsys-tarfile $(LINUX_B)/dl/busybox-static_*.deb | tar -xO ./bin/busybox >$@
	$(Q)chmod +x $@

$(LINUX_B)/initramfs.cpio.gz: $(LINUX_B)/busybox $(LINUX_DIR)/arm64/init
	$(Q)rm -rf $(LINUX_B)/root && mkdir -p $(LINUX_B)/root/bin $(LINUX_B)/root/dev
	$(Q)cp $(LINUX_B)/busybox $(LINUX_B)/root/bin/busybox
	$(Q)ln -s busybox $(LINUX_B)/root/bin/sh
	$(Q)cp $(LINUX_DIR)/arm64/init $(LINUX_B)/root/init
	$(Q)cd $(LINUX_B)/root && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9 >../initramfs.cpio.gz
	@echo "  INITRD  $@ ($$(stat -c %s $@) bytes)"
endif

ifeq ($(ARCH),riscv64)
LINUX_SRC := $(LINUX_B)/linux-source-6.1
LINUX_OBJ := $(LINUX_B)/obj
LINUX_FRAGMENT := $(LINUX_DIR)/riscv64/kernel.config
LINUX_KMAKE := $(MAKE) -s -C $(LINUX_SRC) O=$(abspath $(LINUX_OBJ)) ARCH=riscv \
	CROSS_COMPILE=riscv64-linux-gnu- KBUILD_BUILD_USER=keel KBUILD_BUILD_HOST=keel

$(LINUX_SRC)/.stamp:
	$(Q)rm -rf $(LINUX_SRC) $(LINUX_B)/dl && mkdir -p $(LINUX_B)/dl
	$(Q)cd $(LINUX_B)/dl && apt-get download linux-source-6.1 >/dev/null 2>&1 || \
		{ echo "linux: apt-get download linux-source-6.1 failed (run apt-get update?)"; exit 1; }
	$(Q)dpkg-deb --fsys-tarfile $(LINUX_B)/dl/linux-source-6.1_*.deb | \
		tar -xO ./usr/src/linux-source-6.1.tar.xz | tar -xJ -C $(LINUX_B)
	$(Q)rm -rf $(LINUX_B)/dl
	$(Q)touch $@

# allnoconfig with the fragment forced on; every line of the fragment must survive
$(LINUX_OBJ)/.config: $(LINUX_FRAGMENT) $(LINUX_SRC)/.stamp
	$(Q)mkdir -p $(LINUX_OBJ)
	$(Q)$(LINUX_KMAKE) KCONFIG_ALLCONFIG=$(abspath $(LINUX_FRAGMENT)) allnoconfig
	$(Q)grep '^CONFIG_' $(LINUX_FRAGMENT) | while read -r l; do grep -qx "$$l" $@ || \
		{ echo "linux: $$l of $(LINUX_FRAGMENT) did not make it into .config"; rm -f $@; exit 1; }; done

$(LINUX_B)/Image: $(LINUX_OBJ)/.config
	@echo "  KERNEL  $@ (linux-source-6.1, -j$(LINUX_JOBS); a few minutes the first time)"
	$(Q)$(LINUX_KMAKE) -j$(LINUX_JOBS) Image
	$(Q)cp $(LINUX_OBJ)/arch/riscv/boot/Image $@
	@echo "  LINUX   $@ ($$(stat -c %s $@) bytes)"

$(LINUX_B)/init: $(LINUX_DIR)/riscv64/init.c
	@mkdir -p $(dir $@)
	$(Q)riscv64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o $@ $<
	$(Q)riscv64-linux-gnu-strip $@

$(LINUX_B)/initramfs.cpio: $(LINUX_B)/init
	$(Q)rm -rf $(LINUX_B)/root && mkdir -p $(LINUX_B)/root/proc $(LINUX_B)/root/sys $(LINUX_B)/root/dev
	$(Q)cp $(LINUX_B)/init $(LINUX_B)/root/init
	$(Q)cd $(LINUX_B)/root && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >../initramfs.cpio
	@echo "  INITRD  $@ ($$(stat -c %s $@) bytes)"
endif

run-linux: deps
	$(Q)$(MAKE) --no-print-directory all guests linux-images
	$(Q)mkdir -p $(B) && dtc -q -I dts -O dtb -i $(GUEST_B) -i $(LINUX_B) -o $(B)/linux.dtb $(LINUX_DTS)
	@echo "keel: booting Linux VMs under QEMU (Ctrl-] moves keyboard input to the next VM, Ctrl-A X quits)"
	$(Q)$(QEMU) $(QEMU_LINUX_ARGS) -kernel $(B)/$(KEEL_BOOT_IMAGE) -initrd $(B)/linux.dtb

LINUX_TEST_ARCHES := $(patsubst tests/scenarios/%/linux.scn,%,$(wildcard tests/scenarios/*/linux.scn))

test-linux: deps
	$(Q)for a in $(LINUX_TEST_ARCHES); do \
		$(MAKE) --no-print-directory ARCH=$$a all guests linux-images || exit 1; done
	$(Q)fails=0; for a in $(LINUX_TEST_ARCHES); do for s in tests/scenarios/$$a/linux*.scn; do \
		bash tests/scenarios/run_scenario.sh $$a $$(basename $$s .scn) || fails=$$((fails + 1)); \
		done; done; \
	echo "Linux scenarios: $$fails failed"; [ $$fails -eq 0 ]
