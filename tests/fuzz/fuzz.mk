# Partition-parser fuzzing (included from the top-level Makefile after tests/unit/unit.mk).
#   make fuzz-smoke      gcc + ASan/UBSan, FUZZ_SMOKE_N deterministic mutations (no libFuzzer)
#   make fuzz-partition  clang libFuzzer for FUZZ_TIME seconds (skipped when clang is missing)
# A crash input can be replayed without clang: build/host/fuzz/fuzz_partition_smoke crash-<id>

CLANG ?= clang
FUZZ_SMOKE_N ?= 20000
FUZZ_TIME ?= 60
FUZZ_B := $(HOSTB)/fuzz
FUZZ_CORPUS := $(FUZZ_B)/corpus/partition
# The parser alone: do not pull other host core files into the clang build.
FUZZ_CORE_SRCS := src/partition.c src/image.c src/lib/printf.c
FUZZ_CLANG_FLAGS := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(HOST_CFLAGS)) \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_CLANG_OBJS := $(patsubst %.c,$(FUZZ_B)/clang/%.o,$(FUZZ_CORE_SRCS)) \
	$(patsubst %.c,$(FUZZ_B)/clang/libfdt/%.o,$(LIBFDT_SRCS))

.PHONY: fuzz-smoke fuzz-partition

$(FUZZ_B)/fuzz_partition_smoke: tests/fuzz/fuzz_partition.c $(HOST_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DFUZZ_SMOKE -o $@ $< $(HOST_CORE_OBJS)

fuzz-smoke: $(FUZZ_B)/fuzz_partition_smoke
	$(Q)$< $(FUZZ_SMOKE_N)

$(FUZZ_B)/clang/libfdt/%.o: $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(filter-out -Werror,$(FUZZ_CLANG_FLAGS)) -Wno-sign-compare -Wno-unused-parameter \
		-c $(LIBFDT_DIR)/$*.c -o $@

$(FUZZ_B)/clang/%.o: %.c $(LIBFDT_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CLANG_FLAGS) -c $< -o $@

$(FUZZ_B)/fuzz_partition: tests/fuzz/fuzz_partition.c $(FUZZ_CLANG_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CLANG_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_CLANG_OBJS)

ifneq ($(shell command -v $(CLANG) 2>/dev/null),)
fuzz-partition: $(FUZZ_B)/fuzz_partition $(FUZZ_B)/fuzz_partition_smoke
	@mkdir -p $(FUZZ_CORPUS)
	$(Q)$(FUZZ_B)/fuzz_partition_smoke --write-seeds $(FUZZ_CORPUS)
	$(Q)cd $(FUZZ_B) && ./fuzz_partition -max_total_time=$(FUZZ_TIME) -max_len=8192 \
		-print_final_stats=1 corpus/partition
else
fuzz-partition:
	@echo "fuzz-partition: $(CLANG) not found, skipped (make fuzz-smoke runs without it)"
endif
