#!/bin/sh
# make tsan: the threads of a batch (--jobs) under ThreadSanitizer, which stops at the
# first data race: the batch's unit test, check --jobs 3 and record --jobs 2 of a
# generated batch. Ends with "N passed, M failed".
BUILD=${BUILD:-build-tsan}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
pass=0
fail=0
run() {   # DESCRIPTION COMMAND...
    desc=$1; shift
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    if [ $rc = 66 ] || grep -q "ThreadSanitizer" "$T/err"; then
        fail=$((fail + 1)); echo "FAIL: $desc"; grep -A12 "WARNING: ThreadSanitizer" "$T/err" | head -30
    else
        pass=$((pass + 1))
    fi
}
run "test_batch" "$BUILD/test_batch"
"$BUILD/benchgen" 400 > "$T/b.yaml"
run "check --jobs 3" "$BUILD/hazcheck" --packs bench check --jobs 3 --format jsonl "$T/b.yaml" "$T/b.yaml"
run "check --profile --jobs 2" "$BUILD/hazcheck" --packs bench check --profile --jobs 2 "$T/b.yaml"
run "record --jobs 2" "$BUILD/hazcheck" --packs bench --db "$T/t.db" record --jobs 2 "$T/b.yaml"
if [ "$(sqlite3 "$T/t.db" 'SELECT count(*) FROM inspections' 2>/dev/null)" = 400 ]; then pass=$((pass + 1))
else fail=$((fail + 1)); echo "FAIL: record --jobs 2 recorded 400"; fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
