#!/bin/sh
# The same inputs give the same answers on SQLite and on PostgreSQL (issue
# 15): every example inspection recorded into both, then actions taken, a
# measure, a void, a re-inspection; the figures, the actions, the register,
# the papers and the audit compared byte for byte; then each exported and
# imported into the other, its chain valid, its answers the same (the clock of recording,
# which differs between two runs by nature, masked). PostgreSQL is the
# suite's server ($HAZCHECK_TEST_PG, tests/run.sh). Ends with "N passed, M failed".
BUILD=${BUILD:-build}
HC="${HC_WRAP:+$HC_WRAP }$(pwd)/$BUILD/hazcheck"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
[ -n "$HAZCHECK_TEST_PG" ] || { echo "no PostgreSQL server (\$HAZCHECK_TEST_PG)"; echo "0 passed, 1 failed"; exit 1; }
export PGOPTIONS="-c client_min_messages=warning" HAZCHECK_USER=孟凡辉
psql -qAt "$HAZCHECK_TEST_PG" -c "DROP DATABASE IF EXISTS both_pg WITH (FORCE)" -c "CREATE DATABASE both_pg" >/dev/null
PG=$(echo "$HAZCHECK_TEST_PG" | sed "s|/hazcheck?|/both_pg?|")
LITE="$T/both.db"

# run the same command on both: the exit status CODE on both, the same output
both() {
    code=$1
    desc=$2
    shift 2
    "$@" --db "$LITE" > "$T/lite" 2>&1
    rl=$?
    "$@" --db "$PG" > "$T/pg" 2>&1
    rp=$?
    # the clock of recording and the database's name differ by nature
    for f in lite pg; do
        sed -E -e 's/20[0-9]{2}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?Z?)?/<clock>/g' \
            -e "s|$LITE|<db>|g" -e "s|$PG|<db>|g" "$T/$f" > "$T/$f.masked"
    done
    if [ "$rl" = "$code" ] && [ "$rp" = "$code" ] && cmp -s "$T/lite.masked" "$T/pg.masked"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $desc: SQLite exit $rl, PostgreSQL exit $rp, expected $code"
        diff "$T/lite.masked" "$T/pg.masked" | head -10 | sed 's/^/    /'
        head -3 "$T/pg" | sed 's/^/    pg: /'
    fi
}
P="$HC --packs checklists --rules rules --today 2026-09-10"   # commands that evaluate
H="$HC --today 2026-09-10"
for f in examples/*-site.yaml; do both 0 "site add $f" $H site add "$f"; done
# (exit 3: a major hazard found; 2: only general ones)
for f in examples/*-inspection.yaml; do
    code=3
    case $f in *metal-polishing*) code=2 ;; esac
    both $code "record $f" $P record "$f"
done
both 3 "record again: nothing changes" $P record examples/woodworking-inspection.yaml
both 0 "actions" $H actions --format json
both 0 "actions, open" $H actions --status open --format json
both 0 "actions, overdue later" $HC --today 2026-12-01 actions --status overdue --format json
both 0 "action 1 rectify" $H action 1 rectify --note 已加装泄爆口 --evidence IMG_1.jpg --cost 12000.5
both 0 "action 1 verify" $H action 1 verify --note 现场核实
both 0 "action 2 assign" $H action 2 assign --to 李四
both 1 "an illegal step" $H action 1 verify
both 0 "a measure" $H enforce 370181-0042 penalty --amount 25000 --basis "6号令 第十五条" --date 2026-09-12
both 0 "a listing" $H enforce 370181-0042 list --date 2026-09-13
both 0 "its void" $H enforce void '370181-0042#2' --reason 录错单位
both 0 "site list" $H site list
both 0 "site show" $H site show 370181-0042 --format json
for by in "" squad month checklist district industry; do
    both 0 "stats ${by:-overall}" $H stats ${by:+--by $by} --format json
done
both 0 "stats as a table" $H stats --by month
ID=$(sqlite3 "$LITE" "SELECT id FROM inspections ORDER BY rowid LIMIT 1")
both 0 "report json" $H report "$ID" --format json
both 0 "report text" $H report "$ID" --format text
both 0 "report html" $H report "$ID" --format html
both 0 "plan" $HC --today 2026-09-10 plan --format json
both 0 "plan, a random draw" $HC --today 2026-09-10 plan --random 2 --seed 7 --format json
both 0 "audit verify" $H audit verify

# moving: a SQLite database exported and imported into PostgreSQL, and back,
# keeps everything, its chain valid; the answers stay the same
moved() {   # FROM-DB TO-DB NAME
    if $HC --db "$1" export -o "$T/$3.bundle" > /dev/null 2>"$T/err" &&
        $HC --db "$2" import "$T/$3.bundle" > /dev/null 2>>"$T/err" &&
        $HC --db "$2" audit verify > /dev/null 2>>"$T/err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $3: export, import and audit"
        head -5 "$T/err" | sed 's/^/    /'
    fi
}
psql -qAt "$HAZCHECK_TEST_PG" -c "DROP DATABASE IF EXISTS both_moved WITH (FORCE)" -c "CREATE DATABASE both_moved" >/dev/null
MOVED_PG=$(echo "$HAZCHECK_TEST_PG" | sed "s|/hazcheck?|/both_moved?|")
MOVED_LITE="$T/moved.db"
moved "$LITE" "$MOVED_PG" "SQLite to PostgreSQL"
moved "$PG" "$MOVED_LITE" "PostgreSQL to SQLite"
LITE_WAS=$LITE PG_WAS=$PG
LITE=$MOVED_LITE PG=$MOVED_PG
both 0 "moved: actions" $H actions --format json
both 0 "moved: figures by month" $H stats --by month --format json
both 0 "moved: the register" $H site list
both 0 "moved: a report" $H report "$ID" --format json
# and the moved databases answer as the ones they came from
LITE=$LITE_WAS PG=$MOVED_PG
both 0 "SQLite and what it became on PostgreSQL: actions" $H actions --format json
both 0 "SQLite and what it became on PostgreSQL: figures" $H stats --by squad --format json
LITE=$MOVED_LITE PG=$PG_WAS
both 0 "PostgreSQL and what it became on SQLite: actions" $H actions --format json
both 0 "PostgreSQL and what it became on SQLite: figures" $H stats --by squad --format json
[ -n "$BOTH_KEEP" ] && cp "$LITE" "$BOTH_KEEP"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
