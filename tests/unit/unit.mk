# Host-built core code and its unit tests (ASan + UBSan), plus the host tools
# (check-partition) that share the same parser.

HOSTCC ?= gcc
HOST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-Iinclude -isystem $(LIBFDT_DIR) -DKEEL_HOST=1
HOST_FDT_CFLAGS := $(filter-out -Werror,$(HOST_CFLAGS)) -Wno-sign-compare -Wno-unused-parameter

# Core files that run without a CPU mode switch, so they are tested on the host.
HOST_CORE_SRCS := src/partition.c src/image.c src/lib/printf.c src/console.c $(wildcard src/guest_fdt.c \
	src/mm/range_alloc.c src/mm/pt.c arch/arm64/pt_format.c src/mm/kmap.c arch/arm64/fp_layout.c)
# riscv64 core (built with -Iarch/riscv64/include, see below)
HOST_CORE_SRCS += arch/riscv64/fwft.c arch/riscv64/pt_format.c
# x86_64 core (built with -Iarch/x86_64/include, see below)
HOST_CORE_SRCS += arch/x86_64/vlapic.c arch/x86_64/savic.c arch/x86_64/virt_detect.c \
	arch/x86_64/vmx/vmx.c arch/x86_64/tdx/tdx.c
HOST_CORE_OFILES := $(patsubst %.c,$(HOSTB)/core/%.o,$(HOST_CORE_SRCS)) \
	$(patsubst %.c,$(HOSTB)/libfdt/%.o,$(LIBFDT_SRCS))
# Programs link the core as an archive so each pulls in only the files it uses:
# guest_fdt.o needs arch hooks (arch_guest_*) that only test_guest_fdt provides.
HOST_CORE_OBJS := $(HOSTB)/libkeel-host.a

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(HOSTB)/unit/%,$(UNIT_SRCS))

# Every arch has an <asm/...> directory: everything builds against arm64's,
# except arch/riscv64/*.c and arch/x86_64/*.c (rules below) and the unit
# tests of that code, which get their arch's through UNIT_ARCH_INC (one line
# per test).
UNIT_ARCH_INC := -Iarch/arm64/include
$(HOSTB)/unit/test_fwft: UNIT_ARCH_INC := -Iarch/riscv64/include
$(HOSTB)/unit/test_kmap_riscv64: UNIT_ARCH_INC := -Iarch/riscv64/include
$(HOSTB)/unit/test_vlapic: UNIT_ARCH_INC := -Iarch/x86_64/include
$(HOSTB)/unit/test_savic: UNIT_ARCH_INC := -Iarch/x86_64/include
$(HOSTB)/unit/test_x86_virt: UNIT_ARCH_INC := -Iarch/x86_64/include

$(HOSTB)/core/%.o: %.c $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(src_wflags) -Iarch/arm64/include -MMD -MP -c $< -o $@

$(HOSTB)/core/arch/riscv64/%.o: arch/riscv64/%.c $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iarch/riscv64/include -MMD -MP -c $< -o $@

$(HOSTB)/core/arch/x86_64/%.o: arch/x86_64/%.c $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -Iarch/x86_64/include -MMD -MP -c $< -o $@

$(HOSTB)/libfdt/%.o: $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_FDT_CFLAGS) -c $(LIBFDT_DIR)/$*.c -o $@

$(HOST_CORE_OBJS): $(HOST_CORE_OFILES)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(HOSTB)/unit/%: tests/unit/%.c $(HOST_CORE_OBJS) tests/unit/check.h
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(UNIT_ARCH_INC) -Itests/unit -o $@ $< $(HOST_CORE_OBJS)

$(HOSTB)/check-partition: tests/tools/check_partition.c $(HOST_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(HOST_CORE_OBJS)

.PHONY: host-tools
host-tools: $(UNIT_BINS) $(HOSTB)/check-partition

-include $(filter-out $(HOSTB)/libfdt/%,$(HOST_CORE_OFILES:.o=.d))

# Host threads as pCPUs under ThreadSanitizer (not ASan: they do not mix): keel's scheduler,
# arm64 PSCI and the VM stop/reset path racing (tests/unit/race_sched.c). run.sh runs it as
# build/host/unit/test_race_sched.
RACE_SRCS := src/sched.c src/vm.c src/vm_create.c src/partition.c src/image.c src/console.c \
	src/log.c src/lib/printf.c src/vcpu_stats.c src/mm/range_alloc.c arch/arm64/psci.c
RACE_CFLAGS := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(HOST_CFLAGS)) \
	-fsanitize=thread -Iarch/arm64/include
$(HOSTB)/race/%.o: %.c $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(RACE_CFLAGS) -MMD -MP -c $< -o $@
$(HOSTB)/unit/test_race_sched: $(patsubst %.c,$(HOSTB)/race/%.o,tests/unit/race_sched.c tests/unit/race_threads.c \
		$(RACE_SRCS)) \
		$(patsubst %.c,$(HOSTB)/race/libfdt/%.o,$(LIBFDT_SRCS))
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(RACE_CFLAGS) -o $@ $^ -lpthread
$(HOSTB)/race/libfdt/%.o: $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(filter-out -Werror,$(RACE_CFLAGS)) -Wno-sign-compare -Wno-unused-parameter \
		-c $(LIBFDT_DIR)/$*.c -o $@
-include $(patsubst %.c,$(HOSTB)/race/%.d,tests/unit/race_sched.c tests/unit/race_threads.c $(RACE_SRCS))
host-tools: $(HOSTB)/unit/test_race_sched
