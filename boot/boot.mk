# The firmware flows: what a user writes to flash or to a disk so that firmware boots keel
# (README "Flashing keel").
#   make flash-image [ARCH=...] [P=file.dts|file.dtb]   build it into build/<arch>/flash/
#   make run-flash   [ARCH=...] [P=...]                  boot it under QEMU as the firmware would
# The partition file in the image is platform/<platform>/demo.dts unless P names another one;
# it is checked with keel's own parser (check-partition) before it goes in.
#   arm64    pflash0.img: Debian's U-Boot (qemu_arm64), pflash1.img: U-Boot environment
#            (boot/arm64-flash.env) + keel.itb (boot/keel-arm64.its)
#   riscv64  disk.img: MBR + FAT partition with boot.scr (boot/riscv64-boot.cmd) and keel.itb
#            (boot/keel-riscv64.its), booted by OpenSBI fw_jump + U-Boot S-mode
#   x86_64   keel.img: a GRUB (i386-pc) hybrid disk image, boot/grub.cfg multiboots keel.bin
#            with partition.dtb as its module
# Each build also writes build/<arch>/flash/run-qemu, the QEMU command line run-flash and the
# flash scenarios (tests/scenarios/<arch>/flash_*.scn, "boot: flash") use.

F := $(B)/flash
FLASH_P = $(or $(P),$(DEMO_DTS))
UBOOT_DIR := /usr/lib/u-boot
UBOOT_RISCV64_SMODE := $(UBOOT_DIR)/qemu-riscv64_smode/u-boot.bin

FLASH_FILES_arm64 := $(F)/pflash0.img $(F)/pflash1.img
FLASH_FILES_riscv64 := $(F)/disk.img
FLASH_FILES_x86_64 := $(F)/keel.img

# Media are opened read-only (snapshot=on for the IDE disk, which QEMU cannot open read-only)
# so that a run never changes the built image and several runs can share it.
FLASH_QEMU_arm64 := $(QEMU) $(QEMU_ARGS) \
	-drive if=pflash,format=raw,unit=0,readonly=on,file=$(abspath $(F))/pflash0.img \
	-drive if=pflash,format=raw,unit=1,readonly=on,file=$(abspath $(F))/pflash1.img
FLASH_QEMU_riscv64 := $(QEMU) $(QEMU_ARGS) -kernel $(UBOOT_RISCV64_SMODE) \
	-drive if=virtio,format=raw,readonly=on,file=$(abspath $(F))/disk.img
FLASH_QEMU_x86_64 := $(QEMU) $(QEMU_ARGS) \
	-drive format=raw,snapshot=on,file=$(abspath $(F))/keel.img

.PHONY: flash-image run-flash FORCE
FORCE:

flash-image: $(FLASH_FILES_$(ARCH)) $(F)/run-qemu
	@echo "  FLASH   $(FLASH_FILES_$(ARCH)) (partition: $(FLASH_P)); make run-flash boots it"

run-flash: deps
	$(Q)$(MAKE) --no-print-directory all guests flash-image
	@echo "keel: booting the flash image under QEMU (Ctrl-A X quits, Ctrl-A C is QEMU's monitor)"
	$(Q)$(F)/run-qemu

$(F)/run-qemu: FORCE
	@mkdir -p $(F)
	$(Q)printf '#!/bin/sh\n# QEMU booting keel from the flash image, as firmware does (boot/boot.mk)\nexec %s "$$@"\n' \
		'$(strip $(FLASH_QEMU_$(ARCH)))' >$@.tmp && chmod +x $@.tmp
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# The partition file, checked first. Rewritten only when its bytes change, so an image built
# with P=... is rebuilt when P is dropped again, and not otherwise.
$(F)/partition.dtb: FORCE $(HOSTB)/check-partition guests
	@mkdir -p $(F)
	$(Q)case "$(FLASH_P)" in \
		*.dts) dtc -q -I dts -O dtb -i $(dir $(FLASH_P)) -i $(GUEST_B) -o $@.tmp $(FLASH_P) ;; \
		*) cp $(FLASH_P) $@.tmp ;; esac
	$(Q)$(HOSTB)/check-partition --arch $(ARCH) $@.tmp >$(F)/check-partition.log 2>&1 || \
		{ cat $(F)/check-partition.log; rm -f $@.tmp; \
		  echo "flash-image: $(FLASH_P) is refused by check-partition, not flashing it"; exit 1; }
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# FIT: keel + partition file (arm64, riscv64). mkimage resolves /incbin/ next to the .its.
$(F)/keel.itb: boot/keel-$(ARCH).its $(B)/keel.bin $(F)/partition.dtb
	$(Q)cp boot/keel-$(ARCH).its $(F)/keel.its
	$(Q)cp $(B)/keel.bin $(F)/keel.bin
	$(Q)cd $(F) && mkimage -f keel.its keel.itb >mkimage.log 2>&1 || { cat mkimage.log; exit 1; }

# arm64: bank 0 = U-Boot, bank 1 = U-Boot environment at 0 + keel.itb at 1 MiB. QEMU virt wants
# each pflash file exactly 64 MiB.
$(F)/pflash0.img: $(UBOOT_DIR)/qemu_arm64/u-boot.bin
	@mkdir -p $(F)
	$(Q)cp $< $@.tmp && truncate -s 64M $@.tmp && mv $@.tmp $@

$(F)/uboot-env.bin: boot/arm64-flash.env
	@mkdir -p $(F)
	$(Q)mkenvimage -s 0x40000 -o $@ $<

$(F)/pflash1.img: $(F)/uboot-env.bin $(F)/keel.itb
	$(Q)test $$(stat -c %s $(F)/keel.itb) -le $$((63 << 20)) || \
		{ echo "flash-image: keel.itb is larger than the 63 MiB left in the flash bank"; exit 1; }
	$(Q)rm -f $@.tmp && truncate -s 64M $@.tmp
	$(Q)dd if=$(F)/uboot-env.bin of=$@.tmp conv=notrunc status=none
	$(Q)dd if=$(F)/keel.itb of=$@.tmp bs=1M seek=1 conv=notrunc status=none
	$(Q)mv $@.tmp $@

# riscv64: a disk with one bootable FAT32 partition at 1 MiB holding boot.scr and keel.itb,
# what U-Boot's distro boot looks for. Built without root: sfdisk and mtools work on the file.
$(F)/boot.scr: boot/riscv64-boot.cmd
	@mkdir -p $(F)
	$(Q)mkimage -A riscv -O linux -T script -C none -n "keel boot script" -d $< $@ >/dev/null

$(F)/disk.img: $(F)/boot.scr $(F)/keel.itb
	$(Q)rm -f $@.tmp && mb=$$(( ($$(stat -c %s $(F)/keel.itb) >> 20) + 8 )) && \
		truncate -s $$(( mb < 64 ? 64 : mb ))M $@.tmp
	$(Q)echo 'start=2048, type=c, bootable' | sfdisk -q $@.tmp
	$(Q)mformat -i $@.tmp@@1M -F -c 1 -v KEEL ::
	$(Q)mcopy -i $@.tmp@@1M $(F)/boot.scr $(F)/keel.itb ::
	$(Q)mv $@.tmp $@

# x86_64: grub-mkrescue (grub-common, grub-pc-bin, xorriso) builds a BIOS-bootable hybrid image
# (MBR + ISO 9660) from a directory tree; it boots from a hard disk, a USB stick or a CD.
$(F)/keel.img: boot/grub.cfg $(B)/keel.bin $(F)/partition.dtb
	$(Q)rm -rf $(F)/iso && mkdir -p $(F)/iso/boot/grub
	$(Q)cp boot/grub.cfg $(F)/iso/boot/grub/grub.cfg
	$(Q)cp $(B)/keel.bin $(F)/partition.dtb $(F)/iso/boot/
	$(Q)grub-mkrescue -d /usr/lib/grub/i386-pc -o $@.tmp $(F)/iso >$(F)/grub-mkrescue.log 2>&1 || \
		{ cat $(F)/grub-mkrescue.log; exit 1; }
	$(Q)mv $@.tmp $@
