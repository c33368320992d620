# x86_64 core on AMD SVM (host gcc, freestanding, no SSE/x87/red zone in keel).
CROSS :=
ARCH_CFLAGS := -m64 -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 -mcmodel=small \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-mstack-protector-guard=global
ARCH_SRCS := $(wildcard arch/x86_64/*.c arch/x86_64/vmx/*.c arch/x86_64/tdx/*.c)
ARCH_ASM := $(wildcard arch/x86_64/*.S)
