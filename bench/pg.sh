#!/bin/sh
# make bench, PostgreSQL beside SQLite (issue 15): `record` of the same batch
# into each, grouped, then eight writers at once, each recording its own part
# of a batch into the same database: every inspection there once (none lost,
# none doubled) and `audit verify` clean after. PostgreSQL is a server of the
# bench's own (tests/pg.sh, durable: fsync on, as SQLite's FULL sync), on a
# Unix socket of this machine; SQLite is a file on the same disk.
BUILD=${BUILD:-build}
N=${BENCH_PG_N:-4000}
T=$(mktemp -d)
PGDIR="$T/pg"
trap 'sh tests/pg.sh stop "$PGDIR"; rm -rf "$T"' EXIT
BASE=$(PG_DURABLE=1 sh tests/pg.sh start "$PGDIR") || { echo "bench: cannot start PostgreSQL" >&2; exit 1; }
"$BUILD/benchgen" "$N" > "$T/batch.yaml"
python3 - "$BUILD" "$T" "$N" "$BASE" <<'PY'
import os, subprocess, sys, time
build, tmp, n, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
hc = f"{build}/hazcheck"
env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")

def fresh(kind, name):
    if kind == "SQLite":
        return f"{tmp}/{name}.db"
    subprocess.run(["psql", "-qAt", base, "-c", f"CREATE DATABASE {name}"], check=True, env=env)
    return base.replace("/hazcheck?", f"/{name}?")

def query(db, sql):
    cmd = ["psql", "-qAt", db, "-c", sql] if db.startswith("postgresql:") else ["sqlite3", db, sql]
    return subprocess.run(cmd, capture_output=True, text=True, env=env).stdout.strip()

def record(db, files):
    t0 = time.perf_counter()
    procs = [subprocess.Popen([hc, "--packs", "bench", "--db", db, "record", f], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for f in files]
    errs = [p.communicate()[1] for p in procs]
    dt = time.perf_counter() - t0
    for p, e in zip(procs, errs):
        if p.returncode not in (0, 2, 3, 4):
            sys.exit(f"record failed on {db}: {e.decode()[:300]}")
    return dt

# the batch in eight parts, each a writer's own inspections
docs = open(f"{tmp}/batch.yaml").read().split("\n---\n")
parts = []
for k in range(8):
    path = f"{tmp}/part{k}.yaml"
    open(path, "w").write("\n---\n".join(docs[k::8]) + "\n")
    parts.append(path)

rows = []
for kind in ("SQLite", "PostgreSQL"):
    one = fresh(kind, "one_writer")
    t1 = record(one, [f"{tmp}/batch.yaml"])
    eight = fresh(kind, "eight_writers")
    t8 = record(eight, parts)
    got = query(eight, "SELECT count(*) || ' ' || count(DISTINCT id) FROM inspections")
    audit = subprocess.run([hc, "--db", eight, "audit", "verify"], capture_output=True, text=True, env=env)
    ok = got == f"{n} {n}" and audit.returncode == 0
    if not ok:
        sys.exit(f"{kind}, eight writers: {got} inspections (distinct), expected {n}; audit: {audit.stderr[:200]}")
    rows.append((kind, n / t1, n / t8))
print(f"record on SQLite and PostgreSQL, {n} inspections of 30 items, durable commits, grouped:")
print(f"  {'':12} {'one writer':>14} {'eight writers':>16}   (inspections/s; eight: all {n} there once, audit clean)")
for kind, r1, r8 in rows:
    print(f"  {kind:12} {r1:14,.0f} {r8:16,.0f}")
print(f"  PostgreSQL / SQLite: {rows[1][1] / rows[0][1]:.2f}x with one writer, {rows[1][2] / rows[0][2]:.2f}x with eight")
PY
