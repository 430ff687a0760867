#!/usr/bin/env python3
"""user_pty.py: `hazcheck user add` and `user passwd` at a real terminal (a
pseudo-terminal): the password is asked twice with the echo off, two that
differ change nothing, two that agree add the account (and sign-in checks
it). Ends with "N passed, M failed". Usage: user_pty.py BUILD"""
import os, pty, select, sqlite3, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks
from ptykit import read_until

build = sys.argv[1] if len(sys.argv) > 1 else "build"
hc = os.path.abspath(os.path.join(build, "hazcheck"))
tmp = tempfile.mkdtemp()
db = os.path.join(tmp, "pty.db")
check = Checks()


def spawn(args):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"HAZCHECK_DB": db, "HAZCHECK_USER": "测试员", "LANG": "C.UTF-8", "LANGUAGE": ""})
        os.execv(hc, [hc] + args)
    return pid, fd


def finish(pid, fd):
    rest = read_until(fd, "\x00", 3)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), rest


def add(name, first, second):
    pid, fd = spawn(["user", "add", name, "--role", "admin"])
    shown = read_until(fd, "new password: ")
    os.write(fd, (first + "\n").encode())
    shown += read_until(fd, "the same again: ")
    os.write(fd, (second + "\n").encode())
    code, rest = finish(pid, fd)
    return code, shown + rest


def users():
    if not os.path.exists(db):
        return []
    with sqlite3.connect(db) as q:
        return [r[0] for r in q.execute("SELECT name FROM users")]


code, shown = add("甲", "correct horse", "correct hoarse")
check(code != 0 and "differ" in shown, f"two passwords that differ: refused ({code})")
check("甲" not in users(), "and nothing added")
check("correct horse" not in shown and "correct hoarse" not in shown, "the password is never echoed")
code, shown = add("甲", "correct horse", "correct horse")
check(code == 0 and shown.count("password") + shown.count("again") >= 2, f"asked twice, then added ({code})")
check("甲" in users() and "correct horse" not in shown, "the account is there, the password never shown")
with sqlite3.connect(db) as q:
    h = q.execute("SELECT password FROM users WHERE name = '甲'").fetchone()[0]
check(h.startswith("$argon2id$") and "correct horse" not in h, "kept as Argon2id only")
pid, fd = spawn(["user", "passwd", "甲"])
read_until(fd, "new password: ")
os.write(fd, b"battery staple\n")
read_until(fd, "the same again: ")
os.write(fd, b"battery staple\n")
code, _ = finish(pid, fd)
with sqlite3.connect(db) as q:
    h2 = q.execute("SELECT password FROM users WHERE name = '甲'").fetchone()[0]
check(code == 0 and h2 != h, "user passwd at a terminal changes the hash")
check.end()
