#!/bin/sh
# Fault tests of the store: nothing is lost or half-written under faults.
#
#  1. SIGKILL at random points of a large batch record (10 times), then the
#     same record completes the batch, every inspection exactly once
#  2. SIGKILL at random points of an import of a large bundle: the database is
#     unchanged or fully imported
#  3. a full disk (a small tmpfs when mount works, and a file-size limit)
#  4. a read-only database (as an unprivileged user)
#  5. a database locked by another process for longer than the busy timeout,
#     before the record starts and in the middle of a batch
#  6. a corrupted database file (the middle half overwritten, every page that
#     holds rows overwritten, cut in half, random bytes): every command exits
#     1 naming the file and saying it is damaged, never crashes or hangs
#  7. four processes recording four batches into one database at once
#
# After every fault: PRAGMA integrity_check is ok, `hazcheck audit verify`
# exits 0, and every inspection is whole (its 30 findings, one action per
# failed finding, its record event). Ends with "N passed, M failed".
BUILD=${BUILD:-build}
HC="$(pwd)/$BUILD/hazcheck"
GEN="$(pwd)/$BUILD/benchgen"
BENCH="$(pwd)/bench"
D="$(pwd)/tests/data"
T=$(mktemp -d)
MNT=""
BG=""          # background processes this script started, killed on exit
cleanup() {
    for p in $BG; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    chmod -R u+w "$T" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export HAZCHECK_USER=tester
unset HAZCHECK_DB
BP="--packs $BENCH"
MP="--packs $D/packs --rules $D/rules"
pass=0
fail=0
skipped=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; head -8 "$T/out" | cut -c1-300 | sed 's/^/    out: /'; head -8 "$T/err" | cut -c1-300 | sed 's/^/    err: /'; }
fails() { fail=$((fail + 1)); echo "FAIL: $1"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $1"; }
expect() {
    code=$1; desc=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" = "$code" ]; then ok; else bad "$desc: exit $rc, expected $code"; fi
}
has() { if grep -qE -- "$2" "$T/$1"; then ok; else bad "$3: no /$2/ in $1"; fi; }
same() { if [ "$1" = "$2" ]; then ok; else fails "$3: got '$1', expected '$2'"; fi; }
sql() { sqlite3 "$1" "$2"; }
count() { sqlite3 "$1" 'SELECT count(*) FROM inspections'; }
rand() { od -An -N4 -tu4 /dev/urandom | awk -v lo="$1" -v hi="$2" '{ print lo + $1 % (hi - lo + 1) }'; }
sleep_ms() { sleep "$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')"; }
now_ms() { date +%s%3N; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# regex-quote a path for grep -E
re() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

# integrity DB DESC: PRAGMA integrity_check says ok
integrity() { same "$(sqlite3 "$1" 'PRAGMA integrity_check' 2>&1 | head -3)" ok "$2: integrity_check"; }
# audit DB DESC
audit() { expect 0 "$2: audit verify" "$HC" --db "$1" audit verify; }
# whole DB DESC: every inspection has all its findings (30 for the bench pack,
# 3 for mini), one action per failed finding and its record event; nothing
# refers to a missing inspection
whole() {
    got=$(sqlite3 "$1" "
      SELECT (SELECT count(*) FROM inspections i
                WHERE (SELECT count(*) FROM findings f WHERE f.inspection_id = i.id)
                   <> CASE i.checklist WHEN 'bench' THEN 30 WHEN 'mini' THEN 3 ELSE -1 END)
        || ' ' || (SELECT count(*) FROM inspections i
                WHERE (SELECT count(*) FROM actions a WHERE a.inspection_id = i.id)
                   <> (SELECT count(*) FROM findings f WHERE f.inspection_id = i.id AND f.status = 'fail'))
        || ' ' || (SELECT count(*) FROM inspections i
                WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.kind = 'inspection.record' AND e.subject = i.id))
        || ' ' || (SELECT count(*) FROM findings WHERE inspection_id NOT IN (SELECT id FROM inspections))
        || ' ' || (SELECT count(*) FROM actions WHERE inspection_id NOT IN (SELECT id FROM inspections))
        || ' ' || (SELECT count(*) FROM events WHERE kind = 'inspection.record'
                     AND subject NOT IN (SELECT id FROM inspections))" 2>&1)
    same "$got" "0 0 0 0 0 0" "$2: whole inspections only (counts of: short findings, wrong actions, no record event, orphan findings, orphan actions, orphan events)"
}
# after_fault DB DESC: the three checks after a fault
after_fault() { integrity "$1" "$2"; audit "$1" "$2"; whole "$1" "$2"; }

[ -x "$GEN" ] || { echo "missing $GEN: run 'make $BUILD/benchgen'"; echo "0 passed, 1 failed"; exit 1; }
"$GEN" 8000 > "$T/big.yaml"
"$GEN" 2000 > "$T/b2000.yaml"

# =================================================== 1. SIGKILL during record
echo "-- SIGKILL during a batch record"
DB="$T/kill.db"
prev=0
delays=""
i=1
while [ $i -le 10 ]; do
    ms=$(rand 50 600)
    delays="$delays $ms"
    "$HC" $BP --db "$DB" record "$T/big.yaml" > "$T/kill.out" 2> "$T/kill.err" &
    pk=$!
    sleep_ms "$ms"
    kill -9 $pk 2>/dev/null
    wait $pk 2>/dev/null
    after_fault "$DB" "kill $i after ${ms} ms"
    n=$(count "$DB")
    if [ "$n" -ge "$prev" ]; then ok; else fails "kill $i: inspections went from $prev to $n (recorded ones lost)"; fi
    # every inspection the killed process said it recorded is in the database
    python3 - "$DB" "$T/kill.out" > "$T/ck" 2>&1 <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
lines = open(sys.argv[2], encoding="utf-8", errors="replace").read().split("\n")[:-1]   # last one may be cut
said = [l[len("recorded "):].split(":")[0] for l in lines if l.startswith("recorded ")]
have = {r[0] for r in db.execute("SELECT id FROM inspections")}
missing = [x for x in said if x not in have]
print(f"{len(said)} reported recorded, {len(missing)} missing: {missing[:5]}")
sys.exit(1 if missing else 0)
PY
    if [ $? = 0 ]; then ok; else fails "kill $i: an inspection reported as recorded is missing: $(cat "$T/ck")"; fi
    prev=$n
    i=$((i + 1))
done
echo "   delays (ms):$delays; inspections after the kills: $prev of 8000"
if [ "$prev" -gt 0 ] && [ "$prev" -lt 8000 ]; then ok; else fails "the kills should land mid-batch (got $prev inspections)"; fi
expect 3 "recording the batch again completes it" "$HC" $BP --db "$DB" record "$T/big.yaml"
has out "^$((8000 - prev)) recorded, $prev already recorded, 0 not recorded" "the rerun records exactly the missing ones"
same "$(sql "$DB" "SELECT count(*) || ' ' || count(DISTINCT id) FROM inspections WHERE id GLOB 'bench-[0-9][0-9][0-9][0-9][0-9][0-9]' AND CAST(substr(id, 7) AS INTEGER) < 8000")" "8000 8000" "every inspection of the batch exactly once"
same "$(count "$DB")" 8000 "nothing else in the database"
after_fault "$DB" "after the rerun"

# kills while a fresh database is being created (schema, WAL switch)
DB="$T/early.db"
"$GEN" 50 > "$T/b50.yaml"
for ms in 2 8 20 40; do
    "$HC" $BP --db "$DB" record "$T/b50.yaml" > /dev/null 2>&1 &
    pk=$!
    sleep_ms $ms
    kill -9 $pk 2>/dev/null
    wait $pk 2>/dev/null
done
if [ -e "$DB" ]; then
    audit "$DB" "killed while creating the database"
else
    # killed before the file existed: reading must not create it
    expect 1 "killed before the database existed: audit says there is none" "$HC" --db "$DB" audit verify
fi
expect 3 "record after kills during creation" "$HC" $BP --db "$DB" record "$T/b50.yaml"
same "$(count "$DB")" 50 "all 50 inspections after kills during creation"
after_fault "$DB" "killed while creating the database"

# =================================================== 2. SIGKILL during import
echo "-- SIGKILL during import"
"$GEN" 3000 | sed 's/id: bench-/id: imp-/' > "$T/b3000.yaml"
expect 3 "record 3000 inspections for the bundle" "$HC" $BP --db "$T/src.db" record "$T/b3000.yaml"
expect 0 "export the bundle" "$HC" --db "$T/src.db" export -o "$T/big.bundle"
expect 3 "a small database to import into" "$HC" $MP --db "$T/base.db" record "$D/mini-inspection.yaml"
fp() { sqlite3 "$1" "SELECT (SELECT count(*) FROM sites) || '/' || (SELECT count(*) FROM inspections) || '/' ||
                            (SELECT count(*) FROM findings) || '/' || (SELECT count(*) FROM actions) || '/' ||
                            (SELECT count(*) FROM enforcement) || '/' || (SELECT count(*) FROM events)" 2>&1; }
fresh() { rm -f "$2" "$2-wal" "$2-shm"; cp "$1" "$2"; }
base_fp=$(fp "$T/base.db")
fresh "$T/base.db" "$T/full.db"
t0=$(now_ms)
expect 0 "a reference import" "$HC" --db "$T/full.db" import "$T/big.bundle"
dur=$(( $(now_ms) - t0 ))
full_fp=$(fp "$T/full.db")
same "$(count "$T/full.db")" 3001 "the reference import has every inspection"
hi=$((dur * 11 / 10))
[ $hi -lt 60 ] && hi=60
unchanged=0
full=0
delays=""
i=1
while [ $i -le 6 ]; do
    fresh "$T/base.db" "$T/imp.db"
    ms=$(rand 50 $hi)
    delays="$delays $ms"
    "$HC" --db "$T/imp.db" import "$T/big.bundle" > /dev/null 2>&1 &
    pk=$!
    sleep_ms "$ms"
    kill -9 $pk 2>/dev/null
    wait $pk 2>/dev/null
    integrity "$T/imp.db" "import killed after ${ms} ms"
    audit "$T/imp.db" "import killed after ${ms} ms"
    got=$(fp "$T/imp.db")
    if [ "$got" = "$base_fp" ]; then unchanged=$((unchanged + 1)); ok
    elif [ "$got" = "$full_fp" ]; then full=$((full + 1)); ok
    else fails "import killed after ${ms} ms: sites/inspections/findings/actions/enforcement/events $got, neither unchanged ($base_fp) nor fully imported ($full_fp)"
    fi
    whole "$T/imp.db" "import killed after ${ms} ms"
    i=$((i + 1))
done
echo "   import takes ${dur} ms; delays (ms):$delays; $unchanged unchanged, $full fully imported"
expect 0 "importing again after the kills" "$HC" --db "$T/imp.db" import "$T/big.bundle"
same "$(fp "$T/imp.db")" "$full_fp" "fully imported after the kills"
expect 0 "importing once more" "$HC" --db "$T/imp.db" import "$T/big.bundle"
same "$(fp "$T/imp.db")" "$full_fp" "a second import duplicates nothing"

# =================================================== 3. disk full
echo "-- disk full"
# disk_full DB DESC LIMITER...: record b2000 under the limiter, then check
disk_full() {
    db=$1; desc=$2; shift 2
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    if [ "$rc" = 1 ]; then ok; else bad "$desc: record exit $rc, expected 1"; fi
    has err "^$(re "$db").*(full|I/O error|too large|space)" "$desc: the error names the database and says why"
    n=$(grep -c "$(re "$db")" "$T/err")
    if [ "$n" = 1 ]; then ok; else fails "$desc: the error is said once, not once per remaining inspection (said $n times; stderr has $(wc -l < "$T/err") lines)"; fi
    if [ "$(count "$db")" -lt 2000 ]; then ok; else fails "$desc: the limit should stop the batch"; fi
    said=$(sed -nE 's/^([0-9]+) recorded, .*/\1/p' "$T/out")
    same "$said" "$(count "$db")" "$desc: the summary's 'recorded' is what the database holds"
    integrity "$db" "$desc"
    whole "$db" "$desc"
}
if mkdir "$T/mnt" && mount -t tmpfs -o size=1536k tmpfs "$T/mnt" 2>/dev/null; then
    MNT="$T/mnt"
    DB="$MNT/full.db"
    disk_full "$DB" "tmpfs full" "$HC" $BP --db "$DB" record "$T/b2000.yaml"
    audit "$DB" "tmpfs still full"
    before=$(count "$DB")
    # one more, small, inspection: refused, or recorded whole in space the
    # database already holds (SQLite reuses its write-ahead log from the
    # start once it is checkpointed; whether the batch left it so depends on
    # where the disk filled). Never half of one, never a crash.
    "$HC" $MP --db "$DB" record "$D/mini-inspection.yaml" > "$T/out" 2> "$T/err"
    rc=$?
    extra=0
    if [ "$rc" = 1 ]; then
        ok
        has err "^$(re "$DB").*(full|I/O error)" "the single record names the database and says it is full"
        same "$(count "$DB")" "$before" "nothing recorded on the full disk"
    elif [ "$rc" = 3 ]; then
        ok
        echo "   (the small inspection fitted in the database's own space)"
        extra=1
        same "$(count "$DB")" "$((before + 1))" "the small inspection is recorded whole"
    else
        bad "one more inspection on the full disk: exit $rc, expected 1 (refused) or 3 (recorded)"
    fi
    integrity "$DB" "tmpfs still full"
    whole "$DB" "tmpfs still full"
    mount -o remount,size=64m "$MNT"
    expect 3 "after space is freed the batch completes" "$HC" $BP --db "$DB" record "$T/b2000.yaml"
    same "$(count "$DB")" "$((2000 + extra))" "every inspection after space is freed"
    after_fault "$DB" "tmpfs after space is freed"
    umount "$MNT" && MNT=""
else
    echo "   (mount does not work here: no tmpfs test; the file-size limit below still runs)"
fi
DB="$T/ulimit.db"
disk_full "$DB" "file-size limit" sh -c 'trap "" XFSZ; ulimit -f 3000; exec "$@"' sh "$HC" $BP --db "$DB" record "$T/b2000.yaml"
audit "$DB" "file-size limit"
expect 3 "without the limit the batch completes" "$HC" $BP --db "$DB" record "$T/b2000.yaml"
same "$(count "$DB")" 2000 "every inspection without the limit"
after_fault "$DB" "file-size limit lifted"

# =================================================== 4. read-only database
echo "-- read-only database"
DROP=""
if command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    DROP=setpriv
elif su -s /bin/sh -c true nobody 2>/dev/null; then
    DROP=su
fi
asnobody() {
    if [ "$DROP" = setpriv ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    else su -s /bin/sh -c 'exec "$0" "$@"' nobody -- "$@"; fi
}
if [ "$(id -u)" != 0 ] && [ -z "$DROP" ]; then DROP=self; fi
if [ -z "$DROP" ]; then
    skip "read-only database: running as root and neither setpriv nor su can drop privileges"
else
    chmod 755 "$T"
    mkdir "$T/ro" "$T/rw"
    cp "$D/mini-inspection.yaml" "$T/ro/in.yaml"
    "$HC" $MP --db "$T/ro/ro.db" --site "$D/site.yaml" record "$D/batch.yaml" > /dev/null 2>&1
    cp "$T/ro/ro.db" "$T/rw/ro.db"
    chmod 444 "$T/ro/ro.db" "$T/rw/ro.db" "$T/ro/in.yaml"
    chmod 555 "$T/ro"
    chmod 1777 "$T/rw"
    [ "$DROP" = self ] && asnobody() { "$@"; }
    if ! asnobody test -x "$HC" || ! asnobody test -r "$T/ro/in.yaml" || asnobody test -w "$T/ro/ro.db"; then
        skip "read-only database: the unprivileged user cannot run $HC or read the test files (or can write the database)"
    else
        # (a) neither the file nor its folder can be written
        before=$(sha "$T/ro/ro.db")
        files=$(ls "$T/ro")
        expect 1 "record into a database in a read-only folder" asnobody "$HC" $MP --db "$T/ro/ro.db" record "$T/ro/in.yaml"
        has err "$(re "$T/ro/ro.db").*(read-?only|permission|denied)" "the error names the database and says it cannot be written"
        same "$(sha "$T/ro/ro.db")" "$before" "the read-only database is unchanged"
        same "$(ls "$T/ro" | tr '\n' ' ')" "$(echo "$files" | tr '\n' ' ')" "no file appeared next to it"
        asnobody "$HC" --db "$T/ro/ro.db" audit verify > "$T/out" 2> "$T/err"
        rc=$?
        echo "   audit verify of a database in a read-only folder: exit $rc: $(head -1 "$T/err" "$T/out" | grep -v '^==>' | grep . | head -1)"
        if [ $rc = 0 ] || { [ $rc = 1 ] && grep -q "$(re "$T/ro/ro.db")" "$T/err"; }; then ok; else bad "audit verify in a read-only folder: exit $rc"; fi
        # (b) the file cannot be written, its folder can
        before=$(count "$T/rw/ro.db")
        expect 1 "record into a read-only database file" asnobody "$HC" $MP --db "$T/rw/ro.db" record "$T/ro/in.yaml"
        has err "$(re "$T/rw/ro.db").*(read-?only|permission|denied)" "the error names the database and says it cannot be written"
        expect 0 "audit verify of a read-only database file (reading is fine)" asnobody "$HC" --db "$T/rw/ro.db" audit verify
        same "$(count "$T/rw/ro.db")" "$before" "the read-only database file is unchanged"
        integrity "$T/rw/ro.db" "read-only database file"
    fi
fi

# =================================================== 5. a database locked for longer than the busy timeout
echo "-- locked database (about 45 s)"
# the lock taker asks every millisecond, as hazcheck's writers do (store/open.c),
# so that it gets a batch's turn between two groups
cat > "$T/lock.py" <<'PY'
import sqlite3, sys, time
db, ready, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
c = sqlite3.connect(db, timeout=0, isolation_level=None)
t0 = time.time()
while True:
    try:
        c.execute("BEGIN EXCLUSIVE")
        break
    except sqlite3.OperationalError:
        if time.time() - t0 > 60:
            raise
        time.sleep(0.001)
with open(ready, "w") as f:
    f.write(str(time.time()))
time.sleep(secs)
c.execute("ROLLBACK")
c.close()
PY
wait_for() { k=0; while [ ! -s "$1" ] && [ $k -lt 300 ]; do sleep 0.1; k=$((k + 1)); done; [ -s "$1" ]; }
# (a) the lock is held before record starts
DB="$T/lock.db"
"$HC" $MP --db "$DB" --site "$D/site.yaml" record "$D/batch.yaml" > /dev/null 2>&1
before=$(count "$DB")
python3 "$T/lock.py" "$DB" "$T/locked" 13 &
pl=$!
BG="$BG $pl"
if wait_for "$T/locked"; then
    t0=$(now_ms)
    "$HC" $MP --db "$DB" record "$D/mini-inspection.yaml" > "$T/out" 2> "$T/err"
    rc=$?
    el=$(( $(now_ms) - t0 ))
    echo "   record against a lock held 13 s: exit $rc after $el ms"
    if [ $rc = 1 ]; then ok; else bad "record while the database is locked for 13 s: exit $rc after $el ms, expected 1 after the 10 s busy timeout"; fi
    has err "$(re "$DB").*(locked|busy)" "the error names the database and says it is locked"
    if [ $rc = 1 ]; then
        if [ $el -ge 9000 ] && [ $el -lt 12000 ]; then ok; else fails "record should give up after the 10 s busy timeout, it gave up after $el ms"; fi
        same "$(count "$DB")" "$before" "nothing recorded while locked"
    fi
    wait $pl
    integrity "$DB" "after the lock"
    expect 3 "the same record after the lock is released" "$HC" $MP --db "$DB" record "$D/mini-inspection.yaml"
    same "$(sql "$DB" "SELECT count(*) FROM inspections WHERE id = 'insp-0001'")" 1 "the inspection is there once"
    after_fault "$DB" "after the lock"
else
    fails "the lock holder did not get its lock"
fi
# (b) the lock is taken in the middle of a batch
DB="$T/lock2.db"
rm -f "$T/locked"
"$HC" $BP --db "$DB" record "$T/big.yaml" > "$T/lk.out" 2> "$T/lk.err" &
pr=$!
BG="$BG $pr"
k=0
while [ "$(count "$DB" 2>/dev/null || echo 0)" -lt 50 ] && [ $k -lt 100 ]; do sleep 0.1; k=$((k + 1)); done
python3 "$T/lock.py" "$DB" "$T/locked" 13 &
pl=$!
BG="$BG $pl"
if wait_for "$T/locked" && kill -0 $pr 2>/dev/null; then
    wait $pr
    rc=$?
    wait $pl
    cp "$T/lk.out" "$T/out"
    cp "$T/lk.err" "$T/err"
    if [ $rc = 1 ]; then ok; else bad "a batch that met a 13 s lock: exit $rc, expected 1 (some inspections not recorded)"; fi
    has err "$(re "$DB").*(locked|busy)" "the error names the database and says it is locked"
    sum=$(sed -nE 's/^([0-9]+) recorded, ([0-9]+) already recorded, ([0-9]+) not recorded$/\1 \3/p' "$T/lk.out")
    set -- $sum
    if [ -n "$sum" ] && [ "$2" -ge 1 ] && [ $(($1 + $2)) = 8000 ]; then ok; else fails "summary after the lock: '$sum', expected some not recorded and the rest recorded"; fi
    same "$(count "$DB")" "${1:-?}" "the summary's 'recorded' is what the database holds"
    after_fault "$DB" "batch that met a lock"
    expect 3 "the batch again after the lock" "$HC" $BP --db "$DB" record "$T/big.yaml"
    same "$(count "$DB")" 8000 "every inspection once after the lock"
else
    skip "lock in the middle of a batch: the lock came after the batch ended"
    wait $pr 2>/dev/null
    wait $pl 2>/dev/null
fi

# (c) another writer in the middle of a batch: it gets a turn between two of
# the batch's groups (in about a group's time, not the batch's), and both finish
DB="$T/turn.db"
"$HC" $BP --db "$DB" record "$T/big.yaml" > "$T/tb.out" 2> "$T/tb.err" &
pr=$!
BG="$BG $pr"
k=0
while [ "$(count "$DB" 2>/dev/null || echo 0)" -lt 50 ] && [ $k -lt 100 ]; do sleep 0.1; k=$((k + 1)); done
t0=$(now_ms)
"$HC" $MP --db "$DB" record "$D/mini-inspection.yaml" > "$T/out" 2> "$T/err"
rc=$?
el=$(($(now_ms) - t0))
if kill -0 $pr 2>/dev/null; then
    same "$rc" 3 "a record in the middle of a batch is recorded"
    if [ $el -lt 1500 ]; then ok; else fails "a record in the middle of a batch waited $el ms for its turn"; fi
    wait $pr
    same "$?" 3 "and the batch goes on to its end"
    same "$(count "$DB")" 8001 "both: the batch's inspections and the other"
    after_fault "$DB" "a writer in the middle of a batch"
else
    skip "a writer in the middle of a batch: the batch ended first"
    wait $pr
fi

# =================================================== 6. corrupted database files
echo "-- corrupted database files"
"$GEN" 300 > "$T/b300.yaml"
"$GEN" 1 | sed 's/id: bench-000000/id: re-1/' > "$T/re.yaml"
"$HC" $BP --db "$T/good.db" record "$T/b300.yaml" > /dev/null 2>&1
"$HC" --db "$T/good.db" enforce 370100-0000 interview > /dev/null 2>&1
"$HC" $MP --db "$T/small.db" record "$D/mini-inspection.yaml" > /dev/null 2>&1
"$HC" --db "$T/small.db" export -o "$T/small.bundle" > /dev/null 2>&1
# the leaf pages of every table and index (all rows live there); not meta's
sqlite3 "$T/good.db" "SELECT pageno FROM dbstat WHERE pagetype = 'leaf' AND name NOT LIKE '%meta%' AND name <> 'sqlite_schema'" > "$T/leaves" 2>/dev/null
python3 - "$T" <<'PY'
import random, sqlite3, sys
t = sys.argv[1]
data = open(f"{t}/good.db", "rb").read()
n = len(data)
r = random.Random(20260909)
noise = lambda k: bytes(r.getrandbits(8) for _ in range(k))
# mid: the middle half of the file overwritten
mid = bytearray(data)
mid[n // 4:n // 4 + n // 2] = noise(n // 2)
open(f"{t}/mid.db.orig", "wb").write(mid)
# leaves: every page that holds rows overwritten (pages inside the file; the
# header, the schema and the b-tree roots stay), so every read of a row fails
ps = sqlite3.connect(f"{t}/good.db").execute("PRAGMA page_size").fetchone()[0]
pages = [int(x) for x in open(f"{t}/leaves").read().split()]
leaves = bytearray(data)
for p in pages:
    leaves[(p - 1) * ps:p * ps] = noise(ps)
if pages:
    open(f"{t}/leaves.db.orig", "wb").write(leaves)
# cut: the second half gone
open(f"{t}/cut.db.orig", "wb").write(data[:n // 2])
# random: not a database at all
open(f"{t}/random.db.orig", "wb").write(noise(256 * 1024))
PY
# commands that read whole tables: they meet the damage wherever it is
cat > "$T/commands-all" <<EOF2
audit verify
site list
actions
actions --format json
stats
export
$BP record $T/b300.yaml
EOF2
# commands that read or write a few rows: with the damage somewhere in the
# middle they may not meet it; with every row page damaged they must
cat > "$T/commands-some" <<EOF2
site show 370100-0000
site add $D/site.yaml
action 1 rectify --note fixed
enforce 370100-0000 interview
import $T/small.bundle
report bench-000001
report bench-000001 --format html
$MP record $D/mini-inspection.yaml
$BP reinspect bench-000000 $T/re.yaml
EOF2
# corrupt KIND COMMANDS STRICT: run each command against a fresh copy
corrupt() {
    kind=$1
    DB="$T/$kind.db"
    while read -r c; do
        rm -f "$DB" "$DB-wal" "$DB-shm"
        cp "$T/$kind.db.orig" "$DB"
        # shellcheck disable=SC2086
        timeout 60 "$HC" --db "$DB" $c > "$T/out" 2> "$T/err"
        rc=$?
        if [ "$3" = strict ]; then
            if [ $rc = 1 ]; then ok; else bad "$kind-damaged database, '$c': exit $rc, expected 1"; fi
            if grep -qE "$(re "$DB").*(malformed|corrupt|not a database)" "$T/err"; then ok; else
                fails "$kind-damaged database, '$c': the error should name $kind.db and say it is damaged; got: $(sort -u "$T/err" | grep -v '^  ' | head -2 | cut -c1-200 | tr '\n' '|')"
            fi
        else
            if [ $rc -lt 124 ]; then ok; else bad "$kind-damaged database, '$c': exit $rc (a crash or a hang)"; fi
        fi
    done < "$2"
}
for kind in mid leaves cut random; do
    if [ ! -f "$T/$kind.db.orig" ]; then skip "$kind-damaged database: sqlite3 has no dbstat to find the pages"; continue; fi
    corrupt $kind "$T/commands-all" strict
    if [ $kind = mid ]; then corrupt $kind "$T/commands-some" nocrash; else corrupt $kind "$T/commands-some" strict; fi
    DB="$T/$kind.db"
    cp "$T/$kind.db.orig" "$DB"
    # check reads the register only when a database exists; an inline site needs none
    expect 3 "$kind-damaged database: check with an inline site still works" "$HC" $MP --db "$DB" check "$D/mini-inspection.yaml"
    expect 1 "$kind-damaged database: check naming a site by id" "$HC" $MP --db "$DB" check "$D/batch.yaml"
    same "$(sha "$DB")" "$(sha "$T/$kind.db.orig")" "$kind-damaged database: check leaves the file as it was"
done
# naming a registered site by id needs the register: say it cannot be read
"$HC" $MP --db "$T/random.db" check "$D/batch.yaml" > "$T/out" 2> "$T/err"
if grep -q "$(re "$T/random.db")" "$T/err"; then ok; else fails "check naming a registered site by id with a damaged database should say the database cannot be read, not only: $(head -1 "$T/err" | cut -c1-160)"; fi
# a file that is not a database at all is never overwritten
DB="$T/random.db"
cp "$T/random.db.orig" "$DB"
for c in "audit verify" "$MP record $D/mini-inspection.yaml" "site add $D/site.yaml" "import $T/small.bundle"; do
    # shellcheck disable=SC2086
    "$HC" --db "$DB" $c > /dev/null 2>&1
done
same "$(sha "$DB")" "$(sha "$T/random.db.orig")" "a file of random bytes is left as it was"
# =================================================== 7. four writers at once
echo "-- four writers at once"
DB="$T/conc.db"
for w in a b c d; do
    "$GEN" 1500 | sed "s/id: bench-/id: $w-/" > "$T/conc-$w.yaml"
done
pids=""
for w in a b c d; do
    "$HC" $BP --db "$DB" record "$T/conc-$w.yaml" > "$T/conc-$w.out" 2> "$T/conc-$w.err" &
    pids="$pids $!"
    BG="$BG $!"
done
rcs=""
for p in $pids; do wait $p; rcs="$rcs$?"; done
same "$rcs" "3333" "the four writers all succeed"
for w in a b c d; do
    if [ "$(tail -1 "$T/conc-$w.out")" = "1500 recorded, 0 already recorded, 0 not recorded" ]; then ok; else
        fails "writer $w: $(tail -1 "$T/conc-$w.out"); $(grep -v '^  ' "$T/conc-$w.err" | sort | uniq -c | head -3 | tr '\n' '|')"
    fi
done
for w in a b c d; do
    same "$(sql "$DB" "SELECT count(*) || ' ' || count(DISTINCT id) FROM inspections WHERE id LIKE '$w-%'")" "1500 1500" "writer $w: every inspection exactly once"
done
same "$(count "$DB")" 6000 "6000 inspections in all"
same "$(sql "$DB" "SELECT count(*) FROM sites")" 1500 "sites shared by the batches are registered once"
after_fault "$DB" "four writers"

[ "$skipped" = 0 ] || echo "($skipped skipped, counted neither passed nor failed)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
