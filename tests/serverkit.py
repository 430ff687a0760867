"""serverkit.py: what the tests of `hazcheck serve` share: counting checks
(checks.py), running the command line on the test's database, and starting the server on
127.0.0.1 on a port the system picks (read back from what the server says)."""
import os, re, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: F401 (the serve tests take it from here)


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
