# QEMU virt board, riscv64 with the H extension, OpenSBI (fw_jump) below keel.
QEMU := qemu-system-riscv64
QEMU_SMP ?= 4
QEMU_MEM ?= 1G
QEMU_ARGS := -M virt -cpu rv64 -smp $(QEMU_SMP) -m $(QEMU_MEM) -nographic -no-reboot \
	-bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
KEEL_BOOT_IMAGE := keel.elf # an OpenSBI fw_jump payload
GDB_ARCH := riscv:rv64
# make run-linux: two 2-vCPU Linux VMs and a bare-metal one, each vCPU on its own CPU
QEMU_LINUX_ARGS := -M virt -cpu rv64 -smp 5 -m 1G -nographic -no-reboot \
	-bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
