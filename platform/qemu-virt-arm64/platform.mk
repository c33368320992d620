# QEMU virt board, arm64 with EL2 and GICv3 (facts.md 7.1, 8).
QEMU := qemu-system-aarch64
QEMU_SMP ?= 4
QEMU_MEM ?= 1G
QEMU_ARGS := -M virt,virtualization=on,gic-version=3 -cpu max -smp $(QEMU_SMP) -m $(QEMU_MEM) \
	-nographic -no-reboot
KEEL_BOOT_IMAGE := keel.bin
GDB_ARCH := aarch64
# make run-linux: two 2-vCPU Linux VMs and a bare-metal one, each vCPU on its own CPU
QEMU_LINUX_ARGS := -M virt,virtualization=on,gic-version=3 -cpu max -smp 5 -m 1G -nographic -no-reboot
