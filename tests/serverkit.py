"""serverkit.py: what the tests of `hazcheck serve` share: counting checks
(checks.py), running the command line on the test's database, and starting the server on
127.0.0.1 on a port the system picks (read back from what the server says)."""
import os, re, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: F401 (the serve tests take it from here)


def fresh_db(tmp, name):
    """The test's database: a SQLite file in tmp, or with SERVE_DB=postgresql a
    new database on the suite's PostgreSQL server ($HAZCHECK_TEST_PG)."""
    if os.environ.get("SERVE_DB") != "postgresql":
        return f"{tmp}/{name}.db"
    base = os.environ["HAZCHECK_TEST_PG"]
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    for sql in (f"DROP DATABASE IF EXISTS serve_{name} WITH (FORCE)", f"CREATE DATABASE serve_{name}"):
        subprocess.run(["psql", "-qAt", base, "-c", sql], check=True, env=env)
    return base.replace("/hazcheck?", f"/serve_{name}?")


def query(db, sql):
    """The first column of the first row of SQL in the test's database."""
    if db.startswith("postgresql://"):
        out = subprocess.run(["psql", "-qAt", db, "-c", sql], capture_output=True, text=True, check=True).stdout
        return int(out.split()[0]) if out.strip().lstrip("-").isdigit() else out.strip()
    import sqlite3
    with sqlite3.connect(db) as q:
        return q.execute(sql).fetchone()[0]


def runner(hc, db, env):
    """run(*args, stdin=None): hazcheck --db DB ARGS..., its output as text."""
    def run(*args, stdin=None):
        return subprocess.run([hc, "--db", db, *args], input=stdin, capture_output=True, text=True, env=env)
    return run


def start(hc, db, args, env, log_path):
    """The server (its process, its port or None, its log file, open)."""
    log = open(log_path, "w+")
    srv = subprocess.Popen([hc, "--db", db, *args, "--listen", "127.0.0.1:0"], stderr=log, env=env)
    for _ in range(100):
        time.sleep(0.1)
        log.seek(0)
        m = re.search(r"127\.0\.0\.1:(\d+)/", log.read())
        if m:
            return srv, int(m.group(1)), log
    return srv, None, log
