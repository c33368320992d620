# QEMU PC (i440fx), x86_64 with SVM and NPT under TCG (facts.md 7.3, 8). keel boots as a multiboot
# image; the partition DTB is the first multiboot module (-initrd).
QEMU := qemu-system-x86_64
QEMU_SMP ?= 4
QEMU_MEM ?= 2G
QEMU_ARGS := -M pc -cpu max -smp $(QEMU_SMP) -m $(QEMU_MEM) -nographic -no-reboot -net none
KEEL_BOOT_IMAGE := keel.bin
GDB_ARCH := i386:x86-64
