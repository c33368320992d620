# Fuzz harnesses (included from the top-level Makefile after tests/unit/unit.mk); README "Fuzzing".
#   make fuzz            every harness under clang libFuzzer + ASan/UBSan, FUZZ_TIME seconds each,
#                        then a summary (executions, coverage) in build/host/fuzz/summary.txt
#   make fuzz-NAME       one harness (e.g. make fuzz-hypercall FUZZ_TIME=30)
#   make fuzz-smoke      every gcc smoke binary (ASan/UBSan, deterministic mutations; make test)
# A crash input replays without clang: build/host/fuzz/fuzz_NAME_smoke crash-<id>

CLANG ?= clang
FUZZ_TIME ?= 60
FUZZ_B := $(HOSTB)/fuzz
# The parser alone: do not pull other host core files into the clang build.
FUZZ_CORE_SRCS := src/partition.c src/image.c src/lib/printf.c
FUZZ_CLANG_FLAGS := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(HOST_CFLAGS)) \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_CLANG_OBJS := $(patsubst %.c,$(FUZZ_B)/clang/%.o,$(FUZZ_CORE_SRCS)) \
	$(patsubst %.c,$(FUZZ_B)/clang/libfdt/%.o,$(LIBFDT_SRCS))

.PHONY: fuzz fuzz-smoke fuzz-partition

$(FUZZ_B)/fuzz_partition_smoke: tests/fuzz/fuzz_partition.c $(HOST_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DFUZZ_SMOKE -o $@ $< $(HOST_CORE_OBJS)

$(FUZZ_B)/clang/libfdt/%.o: $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(filter-out -Werror,$(FUZZ_CLANG_FLAGS)) -Wno-sign-compare -Wno-unused-parameter \
		-c $(LIBFDT_DIR)/$*.c -o $@

$(FUZZ_B)/clang/%.o: %.c $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CLANG_FLAGS) $(src_wflags) -c $< -o $@

$(FUZZ_B)/fuzz_partition: tests/fuzz/fuzz_partition.c $(FUZZ_CLANG_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CLANG_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CLANG_OBJS)

ifneq ($(shell command -v $(CLANG) 2>/dev/null),)
fuzz-partition: $(FUZZ_B)/fuzz_partition
	$(Q)FUZZ_TIME=$(FUZZ_TIME) bash tests/fuzz/run_fuzz.sh partition
else
fuzz-partition:
	@echo "fuzz-partition: $(CLANG) not found, skipped (make fuzz-smoke runs without it)"
endif

# ---- the other harnesses: tests/fuzz/fuzz_NAME.c + fake_env.c + the core/arch files below,
# FZ_NAME_N: the smoke run's mutations (default 20000, about a second under ASan).
# each harness compiled on its own (its arch's <asm/...> headers give struct vm its layout).
# Seeds: tests/fuzz/corpus/NAME/. The smoke binary links smoke_main.c instead of libFuzzer.
FUZZ_HARNESSES := guest_fdt guest_fdt_riscv hypercall arm64_mmio arm64_trap sbi riscv_mmio x86 multiboot \
	x86_exit
# keel's VM core: every harness builds its VMs through vm_create() (fake_env.c's fake_boot_vm)
FZ_KEEL_VM := src/mm/range_alloc.c src/vm.c src/vm_create.c src/partition.c src/image.c \
	src/console.c src/log.c src/lib/printf.c src/vcpu_stats.c
FZ_guest_fdt_SRCS := src/guest_fdt.c arch/arm64/board.c $(FZ_KEEL_VM)
FZ_guest_fdt_INC := -Iarch/arm64/include
FZ_guest_fdt_N := 10000
FZ_guest_fdt_riscv_SRCS := src/guest_fdt.c arch/riscv64/board.c $(FZ_KEEL_VM)
FZ_guest_fdt_riscv_INC := -Iarch/riscv64/include -Iplatform/qemu-virt-riscv64
FZ_guest_fdt_riscv_N := 10000
FZ_hypercall_SRCS := src/hypercall.c src/guest_fdt.c $(FZ_KEEL_VM)
FZ_hypercall_INC := -Iarch/arm64/include
FZ_hypercall_N := 10000
FZ_arm64_mmio_SRCS := arch/arm64/vgic.c arch/arm64/trap.c src/dev/pl011.c $(FZ_KEEL_VM)
FZ_arm64_mmio_INC := -Iarch/arm64/include
FZ_arm64_trap_SRCS := tests/fuzz/arm64_env.c tests/fuzz/arm64_promises.c arch/arm64/trap.c arch/arm64/psci.c \
	arch/arm64/idregs.c arch/arm64/fpstate.c arch/arm64/fp_layout.c arch/arm64/vcpu.c \
	arch/arm64/vgic.c src/hypercall.c $(FZ_KEEL_VM)
FZ_arm64_trap_INC := -Iarch/arm64/include
FZ_RISCV := tests/fuzz/riscv_env.c arch/riscv64/sbi.c arch/riscv64/fwft.c arch/riscv64/trap.c \
	arch/riscv64/vplic.c src/dev/ns16550.c src/hypercall.c $(FZ_KEEL_VM)
FZ_sbi_SRCS := $(FZ_RISCV)
FZ_sbi_INC := -Iarch/riscv64/include
FZ_riscv_mmio_SRCS := $(FZ_RISCV)
FZ_riscv_mmio_INC := -Iarch/riscv64/include
FZ_x86_SRCS := arch/x86_64/irq.c arch/x86_64/vlapic.c arch/x86_64/savic.c src/dev/ns16550.c \
	$(FZ_KEEL_VM)
FZ_x86_INC := -Iarch/x86_64/include
FZ_x86_exit_SRCS := arch/x86_64/svm_fault.c $(FZ_x86_SRCS)
FZ_x86_exit_INC := -Iarch/x86_64/include
FZ_multiboot_SRCS := arch/x86_64/mb_parse.c $(FZ_KEEL_VM)
FZ_multiboot_INC := -Iarch/x86_64/include

FUZZ_SMOKE_BINS := $(FUZZ_B)/fuzz_partition_smoke $(patsubst %,$(FUZZ_B)/fuzz_%_smoke,$(FUZZ_HARNESSES))
FUZZ_BINS := $(FUZZ_B)/fuzz_partition $(patsubst %,$(FUZZ_B)/fuzz_%,$(FUZZ_HARNESSES))
FUZZ_HOST_FDT := $(patsubst %.c,$(HOSTB)/libfdt/%.o,$(LIBFDT_SRCS))
FUZZ_CLANG_FDT := $(patsubst %.c,$(FUZZ_B)/clang/libfdt/%.o,$(LIBFDT_SRCS))

define FUZZ_HARNESS
FZ_$(1)_ALL := tests/fuzz/fuzz_$(1).c tests/fuzz/fake_env.c $$(FZ_$(1)_SRCS)
FZ_$(1)_DEFS := $$(FZ_$(1)_INC) -Itests/fuzz -DFUZZ_NAME='"fuzz_$(1)_smoke"' \
	-DFUZZ_SEED_DIR='"tests/fuzz/corpus/$(1)"' -DFUZZ_SMOKE_N=$$(or $$(FZ_$(1)_N),20000)
$(FUZZ_B)/$(1)/gcc/%.o: %.c $(LIBFDT_STAMP)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(HOSTCC) $$(HOST_CFLAGS) $$(src_wflags) $$(FZ_$(1)_DEFS) -MMD -MP -c $$< -o $$@
$(FUZZ_B)/$(1)/clang/%.o: %.c $(LIBFDT_STAMP)
	@mkdir -p $$(dir $$@)
	$$(Q)$$(CLANG) $$(FUZZ_CLANG_FLAGS) $$(src_wflags) $$(FZ_$(1)_DEFS) -MMD -MP -c $$< -o $$@
$(FUZZ_B)/fuzz_$(1)_smoke: $$(patsubst %.c,$(FUZZ_B)/$(1)/gcc/%.o,$$(FZ_$(1)_ALL) tests/fuzz/smoke_main.c) \
		$$(FUZZ_HOST_FDT)
	$$(Q)$$(HOSTCC) $$(HOST_CFLAGS) -o $$@ $$^
$(FUZZ_B)/fuzz_$(1): $$(patsubst %.c,$(FUZZ_B)/$(1)/clang/%.o,$$(FZ_$(1)_ALL)) $$(FUZZ_CLANG_FDT)
	$$(Q)$$(CLANG) $$(FUZZ_CLANG_FLAGS) -fsanitize=fuzzer -o $$@ $$^
-include $$(patsubst %.c,$(FUZZ_B)/$(1)/gcc/%.d,$$(FZ_$(1)_ALL))
-include $$(patsubst %.c,$(FUZZ_B)/$(1)/clang/%.d,$$(FZ_$(1)_ALL))
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call FUZZ_HARNESS,$(h))))

host-tools: $(FUZZ_SMOKE_BINS)

fuzz-smoke: $(FUZZ_SMOKE_BINS)
	$(Q)for b in $(FUZZ_SMOKE_BINS); do $$b || exit 1; done

ifneq ($(shell command -v $(CLANG) 2>/dev/null),)
$(patsubst %,fuzz-%,$(FUZZ_HARNESSES)): fuzz-%: $(FUZZ_B)/fuzz_%
	$(Q)FUZZ_TIME=$(FUZZ_TIME) bash tests/fuzz/run_fuzz.sh $*

fuzz: $(FUZZ_BINS)
	$(Q)FUZZ_TIME=$(FUZZ_TIME) bash tests/fuzz/run_fuzz.sh partition $(FUZZ_HARNESSES)
else
fuzz $(patsubst %,fuzz-%,$(FUZZ_HARNESSES)):
	@echo "$@: $(CLANG) not found (make deps installs it); make fuzz-smoke runs without it"
endif
