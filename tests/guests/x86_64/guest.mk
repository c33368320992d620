# x86_64 test guests run in 32-bit protected mode (keel's x86 guest contract), so they are not
# built with keel's 64-bit flags: -m32 -march=i686, linked as elf_i386 at 0x100000 (guest.ld) with
# the 32-bit libgcc (lib32gcc-12-dev; not gcc-multilib, which conflicts with the cross compilers).
# They boot with multiboot information instead of a DTB: no libfdt, no guest_dt.c.
GUEST_CFLAGS := $(filter-out -m64 -mcmodel=small -mno-red-zone,$(KCFLAGS)) -m32 -march=i686 \
	-fno-pic -mgeneral-regs-only -fno-stack-protector -Itests/guests/lib -I$(GUEST_DIR)
GUEST_BOOT_OBJS :=
GUEST_SHARED_DIRS := tests/guests/common # its own canary and spin: no DTB
