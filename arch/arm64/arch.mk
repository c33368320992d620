# arm64 EL2 core.
CROSS := aarch64-linux-gnu-
ARCH_CFLAGS := -mgeneral-regs-only -march=armv8-a -mno-outline-atomics -mstrict-align
ARCH_SRCS := $(wildcard arch/arm64/*.c) src/dt/dt_platform.c
ARCH_ASM := $(wildcard arch/arm64/*.S)
