# riscv64 HS-mode core.
CROSS := riscv64-linux-gnu-
ARCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax
ARCH_SRCS := $(wildcard arch/riscv64/*.c) src/dt/dt_platform.c
ARCH_ASM := $(wildcard arch/riscv64/*.S)
