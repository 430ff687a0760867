# hazcheck: `make` builds, `make demo` shows a real result, `make test` runs every test.
# Missing Debian packages are installed first (scripts/deps.sh, as root).

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
SHARE   := $(PREFIX)/share/hazcheck
LOCALEDIR := $(PREFIX)/share/locale
PKGS    := lua5.4 yaml-0.1 sqlite3 libpq libutf8proc nettle libedit libsodium libmicrohttpd
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Werror=vla -Wno-missing-field-initializers
OPT     ?= -O2 -g
SAN     ?=
CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) $(SAN) -Iinclude -Isrc -I$(BUILD) \
           -MMD -MP
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm

# One folder per layer, lowest first; arrows only point down (tools/layers.py checks).
LAYERS  := base engine store report serve cli
LIB_SRC := $(foreach l,$(filter-out cli,$(LAYERS)),$(sort $(wildcard src/$(l)/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o) $(BUILD)/templates.o
CLI_OBJ := $(CLI_SRC:src/%.c=$(BUILD)/%.o)
TEMPLATES := $(sort $(wildcard templates/*))
TESTS   := $(patsubst tests/test_%.c,%,$(sort $(wildcard tests/test_*.c)))
TEST_BIN := $(TESTS:%=$(BUILD)/test_%)
MAN_PAGES := $(BUILD)/man/hazcheck.1 $(BUILD)/man/hazcheck-checklist.5

.PHONY: all deps demo test unit-tests asan tsan valgrind bench bench-serve clean install uninstall man
FUZZ_TARGETS := doc checklist inspection lua import request split
all: $(BUILD)/hazcheck

# The catalogue of Chinese words (po/zh_CN.po, GNU gettext), compiled to where the
# binary looks first (build/locale). `make po` refreshes it from the sources: xgettext
# for _() and N_() in src/, tools/po_templates.py for {{_ ...}} in templates/.
PO_PARTS := $(sort $(wildcard po/parts/*.po))
MO := $(BUILD)/locale/zh_CN/LC_MESSAGES/hazcheck.mo
$(MO): po/zh_CN.po $(PO_PARTS) $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@msgcat --use-first po/zh_CN.po $(PO_PARTS) | msgfmt --check-format -o $@ -
.PHONY: po
po: $(BUILD)/.deps
	@sh tools/po.sh extract $(BUILD)/hazcheck.pot
	@msgmerge -q --update --backup=none --no-fuzzy-matching po/zh_CN.po $(BUILD)/hazcheck.pot
	@sh tools/po.sh check

deps: $(BUILD)/.deps
$(BUILD)/.deps: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh
	@touch $@

# The install folder the binary looks in, rewritten only when PREFIX changes, so
# `make install PREFIX=/usr` rebuilds what depends on it and nothing else.
$(BUILD)/config.h: FORCE
	@mkdir -p $(BUILD)
	@echo '#define HC_SHARE_DIR "$(SHARE)"' > $@.tmp
	@echo '#define HC_LOCALE_DIR "$(LOCALEDIR)"' >> $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
.PHONY: FORCE
FORCE:

$(CLI_OBJ): $(BUILD)/config.h

$(BUILD)/%.o: src/%.c $(BUILD)/.deps
	@echo "  CC      $<"
	@mkdir -p $(dir $@)
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# Templates are compiled into the library (tools/embed.c), so reports need no files at run time.
$(BUILD)/embed: tools/embed.c $(BUILD)/.deps
	@$(CC) -std=c11 -O1 -o $@ $<

$(BUILD)/templates.c: $(BUILD)/embed $(TEMPLATES)
	@$(BUILD)/embed $(TEMPLATES) > $@

$(BUILD)/templates.o: $(BUILD)/templates.c
	@echo "  CC      $<"
	@$(CC) -std=c11 -O1 -c $< -o $@

$(BUILD)/libhazcheck.a: $(LIB_OBJ)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/hazcheck: $(CLI_OBJ) $(BUILD)/libhazcheck.a | $(MO)
	@echo "  LD      $@"
	@$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

$(BUILD)/test_%: tests/test_%.c tests/testutil.h $(BUILD)/libhazcheck.a
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< \
	    $(BUILD)/libhazcheck.a $(PKG_LIBS) $(shell pkg-config --libs cmocka)

# The README's first command: build, check the bundled woodworking inspection, record it
# into an embedded database (build/demo.db) and show the follow-up actions it opened.
DEMO_DB := $(BUILD)/demo.db
demo: $(BUILD)/hazcheck
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@echo "\$$ hazcheck check examples/woodworking-inspection.yaml"
	@$(BUILD)/hazcheck check examples/woodworking-inspection.yaml; \
	  echo "(exit status $$?: 3 means a major hazard, 重大事故隐患, was found)"; echo
	@echo "\$$ hazcheck --db $(DEMO_DB) record examples/woodworking-inspection.yaml"
	@HAZCHECK_USER=孟凡辉 $(BUILD)/hazcheck --db $(DEMO_DB) --today 2026-09-10 record \
	  examples/woodworking-inspection.yaml; echo
	@echo "\$$ hazcheck --db $(DEMO_DB) actions"
	@$(BUILD)/hazcheck --db $(DEMO_DB) --today 2026-09-10 actions
	@echo; echo "Next: hazcheck --db $(DEMO_DB) action 1 rectify --note ...; action 1 verify; site show 370181-0042"

# Every test: unit tests, end-to-end CLI tests, the packs' rule tests, Lua module tests.
REPLAY := $(FUZZ_TARGETS:%=$(BUILD)/replay_%)
test: $(BUILD)/hazcheck $(BUILD)/benchgen $(TEST_BIN) $(REPLAY) $(MAN_PAGES)
	@BUILD=$(BUILD) sh tests/run.sh

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

# The threads of a batch (--jobs) under ThreadSanitizer (not in CI: a build of its own).
tsan:
	$(MAKE) BUILD=build-tsan OPT="-O1 -g" SAN="-fsanitize=thread" build-tsan/hazcheck \
	    build-tsan/test_batch build-tsan/benchgen
	@BUILD=build-tsan sh tests/tsan.sh

# The sandbox and engine tests under valgrind memcheck.
valgrind: $(BUILD)/hazcheck $(BUILD)/benchgen $(TEST_BIN) $(REPLAY) $(MAN_PAGES)
	@BUILD=$(BUILD) VALGRIND=1 sh tests/run.sh

bench: $(BUILD)/hazcheck $(BUILD)/yamlfloor $(BUILD)/storefloor $(BUILD)/benchgen
	@BUILD=$(BUILD) sh bench/run.sh
	@BUILD=$(BUILD) sh bench/pg.sh

# hazcheck serve under load (wrk, 127.0.0.1 only, BENCH_SECONDS long, default 60)
bench-serve: $(BUILD)/hazcheck
	@BUILD=$(BUILD) sh bench/serve.sh
	@BUILD=$(BUILD) BENCH_DB=postgresql sh bench/serve.sh

$(BUILD)/yamlfloor: bench/yamlfloor.c $(BUILD)/.deps
	$(CC) $(CFLAGS) -o $@ $< $(shell pkg-config --libs yaml-0.1)

$(BUILD)/storefloor: bench/storefloor.c $(BUILD)/.deps
	$(CC) $(CFLAGS) -o $@ $< $(shell pkg-config --libs sqlite3)

$(BUILD)/benchgen: bench/benchgen.c $(BUILD)/.deps
	$(CC) $(CFLAGS) -o $@ $<

# Manual pages from doc/*.scd (scdoc).
man: $(MAN_PAGES)
$(BUILD)/man/%: doc/%.scd $(BUILD)/.deps
	@mkdir -p $(BUILD)/man
	@scdoc < $< > $@

COMPLETIONS := $(PREFIX)/share/bash-completion/completions
MANDIR := $(PREFIX)/share/man
install: $(BUILD)/hazcheck $(MAN_PAGES) $(MO)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SHARE)/checklists $(DESTDIR)$(SHARE)/rules \
	    $(DESTDIR)$(SHARE)/templates $(DESTDIR)$(SHARE)/schema $(DESTDIR)$(COMPLETIONS) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BUILD)/hazcheck $(DESTDIR)$(PREFIX)/bin/hazcheck
	install -m 644 checklists/*.yaml $(DESTDIR)$(SHARE)/checklists/
	install -m 644 rules/*.lua $(DESTDIR)$(SHARE)/rules/
	install -m 644 templates/* $(DESTDIR)$(SHARE)/templates/
	install -m 644 schema/checklist.schema.json $(DESTDIR)$(SHARE)/schema/
	install -m 644 contrib/hazcheck.bash $(DESTDIR)$(COMPLETIONS)/hazcheck
	install -m 644 $(BUILD)/man/hazcheck.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(BUILD)/man/hazcheck-checklist.5 $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES
	install -m 644 $(MO) $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/hazcheck.mo

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/hazcheck $(DESTDIR)$(COMPLETIONS)/hazcheck \
	    $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/hazcheck.mo \
	    $(DESTDIR)$(MANDIR)/man1/hazcheck.1 $(DESTDIR)$(MANDIR)/man5/hazcheck-checklist.5
	rm -rf $(DESTDIR)$(SHARE)

include fuzz/fuzz.mk

clean:
	rm -rf build build-asan build-fuzz

-include $(wildcard $(BUILD)/*/*.d)

# Static analysis: cppcheck and clang-tidy (.clang-tidy) must report nothing, and every
# include and call between files must point down the layers with no loop (tools/layers.py).
.PHONY: analyze
analyze: $(BUILD)/.deps $(BUILD)/config.h $(BUILD)/hazcheck
	python3 tools/layers.py $(BUILD)
	cppcheck --enable=warning,style,portability,performance --std=c11 --inline-suppr --quiet \
	    --error-exitcode=1 --suppress=missingIncludeSystem -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L src/
	clang-tidy --quiet src/*/*.c -- -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -I$(BUILD) \
	    $(shell pkg-config --cflags-only-I lua5.4 libpq | sed 's/-I/-isystem /g')
	@echo "analyze: cppcheck and clang-tidy report nothing"
