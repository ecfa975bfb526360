# edgekv-emulator: plain GNU make.
#   make [BUILD=release|asan|fuzz] [all|test|check|lint|fuzz|bench|run|deps|clean]
BUILD    ?= release
OUT      := build/$(BUILD)
CC       ?= cc
WARN     := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wformat=2 -Wundef -Wvla \
            -Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition -Wwrite-strings \
            -Wcast-qual -Wdouble-promotion -fno-common
CPPFLAGS := -I. -D_POSIX_C_SOURCE=200809L
DEPFLAGS  = -MMD -MP
LDLIBS   := -lmicrohttpd -lsqlite3 -lcjson -luuid -lgnutls -lpthread -lm
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT      := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
ifeq ($(BUILD),asan)
OPT      := -O1 -g $(SAN)
else ifeq ($(BUILD),fuzz)
CC       := clang
OPT      := -O1 -g $(SAN) -fsanitize=fuzzer-no-link
endif
CFLAGS   := -std=c11 $(WARN) $(OPT)
LDFLAGS  := $(filter -fsanitize=%,$(OPT))

# Debian packages the build, the tests and the linters need (the Dockerfile runs `make deps` too).
DEPS_BUILD := build-essential libmicrohttpd-dev libsqlite3-dev libcjson-dev uuid-dev libgnutls28-dev
DEPS_TEST  := libcmocka-dev clang clang-tidy clang-format cppcheck nodejs npm wrk python3-edgegrid

SRC      := $(wildcard base/*.c api/*.c storage/*.c) $(filter-out server/main.c,$(wildcard server/*.c))
HDRS     := $(wildcard server/*.h base/*.h api/*.h storage/*.h)
OBJ      := $(SRC:%.c=$(OUT)/%.o)
BIN      := $(OUT)/edgekv-emulator
UNIT     := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(wildcard tests/unit/test_*.c))
FUZZ     := $(patsubst tests/fuzz/%.c,$(OUT)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
TESTSRC  := $(wildcard tests/unit/*.c tests/fuzz/*.c)

.PHONY: all test unit api-test check lint fuzz fuzz-run bench run deps deps-build clean

all: $(BIN)

$(BIN): $(OUT)/server/main.o $(OBJ)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
$(OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c $< -o $@
$(OUT)/tests/%: tests/unit/%.c $(OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -lcmocka -o $@
$(OUT)/fuzz/%: tests/fuzz/%.c $(OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer $^ $(LDLIBS) -o $@

unit: $(UNIT)
	@for t in $(UNIT); do $$t || exit 1; done

tests/api/node_modules: tests/api/package.json tests/api/package-lock.json
	cd tests/api && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

api-test: $(BIN) tests/api/node_modules
	EKV_BIN=$(abspath $(BIN)) node --test --test-concurrency=2 tests/api/

test: unit api-test

check:
	$(MAKE) BUILD=asan test

lint:
	clang-format --dry-run --Werror $(SRC) server/main.c $(HDRS) \
	  $(wildcard tests/unit/*.[ch] tests/fuzz/*.[ch])
	for h in $(HDRS); do echo "#include \"$$h\"" | \
	  $(CC) $(CPPFLAGS) $(CFLAGS) -fsyntax-only -x c - || exit 1; done
	! grep -rl 'sqlite3\.h' api server base
	! grep -rl 'microhttpd\.h' api storage base $(filter-out server/http.c,$(wildcard server/*.c server/*.h))
	! grep -rl 'cJSON\.h' storage base server
	@# One file per run: clang-tidy 14's valist checker keeps state from one file of an
	@# invocation to the next and then flags every later va_start'ed list as uninitialized.
	@for f in $(SRC) server/main.c $(TESTSRC); do echo "clang-tidy $$f"; \
	  clang-tidy --quiet $$f -- $(CPPFLAGS) -std=c11 2>/dev/null || exit 1; done
	@# variableScope is off: like git and the style guide's examples, locals are declared at
	@# the top of the function, not in the innermost block that uses them.
	cppcheck --std=c11 --enable=warning,style,performance,portability --inline-suppr \
	  --suppress=missingIncludeSystem --suppress=variableScope --error-exitcode=1 --quiet \
	  -I. $(SRC) server/main.c $(TESTSRC)

fuzz:
	$(MAKE) BUILD=fuzz fuzz-run
fuzz-run: $(FUZZ)
	@# New inputs go to $(OUT)/corpus/<t>/, crashes to $(OUT)/artifacts/; the committed seeds
	@# in tests/fuzz/corpus/<t>/ are only read. Lower FUZZ_RUNS for a quicker pass.
	@for f in $(FUZZ); do n=$${f##*/}; mkdir -p $(OUT)/corpus/$$n $(OUT)/artifacts; \
	  echo "$$n: $${FUZZ_RUNS:-200000} runs"; \
	  $$f -runs=$${FUZZ_RUNS:-200000} -max_len=4096 -dict=tests/fuzz/json.dict \
	    -artifact_prefix=$(OUT)/artifacts/$$n- -print_final_stats=1 \
	    $(OUT)/corpus/$$n tests/fuzz/corpus/$$n 2>$(OUT)/$$n.log || \
	    { tail -n 60 $(OUT)/$$n.log; exit 1; }; \
	  grep -E '^(Done|stat::number_of_executed_units)' $(OUT)/$$n.log; done

bench: $(BIN)
	tests/bench/run.sh $(BIN)

# make run RUN_ARGS='--auth off' passes flags through.
run: $(BIN)
	$(BIN) $(RUN_ARGS)

deps-build:
	@missing=$$(for p in $(DEPS_BUILD); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  SUDO=$$([ $$(id -u) -eq 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

deps: deps-build
	@missing=$$(for p in $(DEPS_TEST); do dpkg -s $$p >/dev/null 2>&1 || command -v $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  SUDO=$$([ $$(id -u) -eq 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(OUT)/server/main.d
