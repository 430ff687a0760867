#!/bin/sh
# Run every test suite and end with one line: "N passed, M failed".
# Each suite's output goes to $BUILD/logs/<suite>.log; failures are shown.
# VALGRIND=1 runs the unit tests under valgrind memcheck.
BUILD=${BUILD:-build}
mkdir -p "$BUILD/logs"
# the tests neither read nor write the user's own configuration and database
XDG_CONFIG_HOME="$(pwd)/$BUILD/home/config" XDG_DATA_HOME="$(pwd)/$BUILD/home/data"
rm -rf "$BUILD/home"
export XDG_CONFIG_HOME XDG_DATA_HOME
unset HAZCHECK_CONFIG HAZCHECK_PACKS HAZCHECK_DB
# English, the source language, unless a test asks for Chinese itself (tests/i18n.py)
unset LANGUAGE LC_ALL LC_MESSAGES
LANG=C.UTF-8
HC_LOCALEDIR="$(pwd)/$BUILD/locale"
export LANG HC_LOCALEDIR
total_pass=0
total_fail=0
broken=""

count() {   # suite log rc
    # a cmocka program may run several groups: each ends with its own counts
    p=$(grep -aE '^\[  PASSED  \] [0-9]+ test' "$2" | sed -E 's/.*\] ([0-9]+) test.*/\1/' | awk '{n += $1} END {if (NR) print n}')
    f=$(grep -aE '^\[  FAILED  \] [0-9]+ test' "$2" | sed -E 's/.*\] ([0-9]+) test.*/\1/' | awk '{n += $1} END {if (NR) print n}')
    if [ -z "$p$f" ]; then
        line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$2" | tail -1)
        p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    fi
    p=${p:-0}
    f=${f:-0}
    if [ "$3" != 0 ] && [ "$f" = 0 ]; then f=1; fi   # a crash or a leak counts as a failure
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    printf '%-40s %5s passed, %s failed\n' "$1" "$p" "$f"
    if [ "$f" != 0 ]; then
        broken="$broken $1"
        echo "---- $1 (exit $3) ----"
        grep -vE '^\[ (RUN|       OK) ' "$2" | tail -40
        echo "----"
    fi
}

suite() {   # name command...
    name=$1
    shift
    log="$BUILD/logs/$name.log"
    "$@" >"$log" 2>&1
    count "$name" "$log" $?
}

VG=""
if [ -n "$VALGRIND" ]; then
    VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
    export HC_WRAP="$VG"      # the end-to-end scripts run hazcheck under it too
fi

# A PostgreSQL server of the suite's own (tests/pg.sh), for the tests that run
# on both databases; stopped however the suite ends. One that cannot start is
# a failure, not a skip: CI installs the server (scripts/deps.sh).
PG_DIR="$(pwd)/$BUILD/pg"
sh tests/pg.sh stop "$PG_DIR" 2>/dev/null
rm -rf "$PG_DIR"
if HAZCHECK_TEST_PG=$(sh tests/pg.sh start "$PG_DIR" 2>"$BUILD/logs/pg.log"); then
    export HAZCHECK_TEST_PG
    trap 'sh tests/pg.sh stop "$PG_DIR"' EXIT
    echo "postgresql: a server of the suite's own in $PG_DIR"
else
    unset HAZCHECK_TEST_PG
    echo "postgresql: cannot start a server of the suite's own:"
    cat "$BUILD/logs/pg.log"
    total_fail=$((total_fail + 1))
    broken="$broken postgresql"
fi

for t in $(ls tests/test_*.c | sed -E "s|tests/test_(.*)\.c|\1|"); do
    suite "unit: $t" $VG "$BUILD/test_$t"
done
# the store's tests again on PostgreSQL (testdb.h: HC_TEST_DB), where they make their databases
for t in store corrections drafts lookup plan users; do
    suite "unit on PostgreSQL: $t" env HC_TEST_DB=postgresql $VG "$BUILD/test_$t"
done
for t in doc checklist inspection lua import request split; do
    # inputs fuzzers found or that exercise a known hazard, replayed under the test build
    [ -d "tests/data/fuzz/$t" ] && suite "fuzz replay: $t" $VG "$BUILD/replay_$t" tests/data/fuzz/"$t"/*
done
suite "translations: every word for people has its Chinese" sh -c "sh tools/po.sh check && echo '1 passed, 0 failed'"
suite "translations: the command line in Chinese (LANG=zh_CN.UTF-8)" python3 tests/i18n.py "$BUILD"
suite "layers: the checker catches each violation" python3 tools/layers.py --selftest
suite "layers: arrows point down, no loops" sh -c "python3 tools/layers.py '$BUILD' && echo '1 passed, 0 failed'"
suite "cli: end to end" env BUILD="$BUILD" sh tests/cli.sh
suite "cli: closed loop" env BUILD="$BUILD" sh tests/cli_loop.sh
# the PostgreSQL twins of whole suites: left out under valgrind, where they would
# run the same C as their SQLite twins for many minutes more (the PostgreSQL
# driver is under valgrind through the unit tests on PostgreSQL above)
if [ -z "$VALGRIND" ]; then
    suite "cli: closed loop on PostgreSQL" env BUILD="$BUILD" CLI_LOOP_DB=postgresql sh tests/cli_loop.sh
    suite "SQLite and PostgreSQL: the same answers" env BUILD="$BUILD" sh tests/both.sh
fi
suite "plan: risk and the 双随机 draw" env BUILD="$BUILD" sh tests/plan.sh
suite "inspect at a terminal (pty)" timeout 300 python3 tests/inspect_pty.py "$BUILD"
suite "user add at a terminal (pty)" timeout 120 python3 tests/user_pty.py "$BUILD"
suite "serve: HTTP on 127.0.0.1, as users and attackers" timeout 300 python3 tests/serve.py "$BUILD"
suite "serve on PostgreSQL: the same, as users and attackers" env SERVE_DB=postgresql timeout 300 python3 tests/serve.py "$BUILD"
suite "serve: in a browser, as the people who use it" timeout 300 python3 tests/browser_serve.py "$BUILD"
suite "documents: browser" env BUILD="$BUILD" sh tests/browser.sh
suite "faults: kill, disk full, locks, damage" env BUILD="$BUILD" sh tests/faults.sh
suite "injection: hostile text round trips" env BUILD="$BUILD" sh tests/injection.sh
suite "schema: packs against the JSON Schema" env BUILD="$BUILD" sh tests/schema.sh
suite "man pages, completion, install" env BUILD="$BUILD" sh tests/docs.sh
suite "packs: rule tests" "$BUILD/hazcheck" test --coverage --min-coverage 100 checklists/*.yaml
if command -v lua5.4 >/dev/null 2>&1; then
    for f in tests/lua/test_*.lua; do
        [ -f "$f" ] && suite "lua: $(basename "$f" .lua)" lua5.4 "$f"
    done
fi

echo
[ -n "$broken" ] && echo "failing:$broken"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
