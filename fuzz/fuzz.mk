# Fuzzing (make fuzz): libFuzzer targets built with clang, ASan and UBSan, each run for
# FUZZ_SECONDS, seeded from tests/data, the shipped packs and a fresh export bundle.
# A crash stops make; keep the input in tests/data/fuzz/<target>/ once it is fixed, and
# `make test` replays it from then on (build/replay_<target>, built with the normal compiler).
FUZZ_SECONDS ?= 60
FUZZ_DIR     := build-fuzz
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -Iinclude -Isrc $(PKG_CFLAGS)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c $(LIB_SRC) $(BUILD)/templates.c $(BUILD)/.deps
	@mkdir -p $(FUZZ_DIR)
	@echo "  CLANG   $@"
	@clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(BUILD)/templates.c $(PKG_LIBS)

$(BUILD)/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(BUILD)/libhazcheck.a
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ fuzz/replay.c $< $(BUILD)/libhazcheck.a $(PKG_LIBS)

fuzz: fuzz-build $(BUILD)/hazcheck
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_DIR=$(FUZZ_DIR) BUILD=$(BUILD) sh fuzz/run.sh $(FUZZ_TARGETS)
