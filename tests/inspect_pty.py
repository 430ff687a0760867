#!/usr/bin/env python3
"""inspect_pty.py: `hazcheck inspect` at a real terminal (a pseudo-terminal).

What only a terminal shows: the end of input (Ctrl-D) asks before recording a
partial inspection, and Ctrl-C leaves every answer typed so far in the draft.
Ends with "N passed, M failed". Usage: inspect_pty.py BUILD"""
import os, pty, select, signal, sqlite3, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks
from ptykit import read_until

build = sys.argv[1] if len(sys.argv) > 1 else "build"
hc = os.path.abspath(os.path.join(build, "hazcheck"))
data = os.path.abspath("tests/data")
tmp = tempfile.mkdtemp()
check = Checks()


def spawn(args, env=None):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(tmp)
        os.environ.update(env or {})
        os.environ["HAZCHECK_DB"] = os.path.join(tmp, "pty.db")
        os.environ["HAZCHECK_USER"] = "测试员"
        os.execv(hc, [hc] + args)
    return pid, fd


def finish(pid, fd, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        got, status = os.waitpid(pid, os.WNOHANG)
        if got:
            os.close(fd)
            return status
        read_until(fd, "\x00", 0.2)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return None


args = ["--packs", data + "/packs", "--rules", data + "/rules", "inspect", "mini",
        "--site", data + "/site.yaml", "--date", "2026-10-05"]
draft = os.path.join(tmp, "inspection-370181-0042-2026-10-05.yaml")

# 1. Ctrl-D at a question: asked before recording; "n" records nothing, keeps the draft
pid, fd = spawn(args)
check("explosion_control>" in read_until(fd, "explosion_control>"), "the first question is asked")
os.write(fd, b"none\r")
read_until(fd, "vent_area_m2>")
os.write(fd, b"\r")
read_until(fd, "thickness_mm>")
os.write(fd, b"\x04")                                   # Ctrl-D: end of input
out = read_until(fd, "[y/N]")
check("Record this partial inspection now? [y/N]" in out, "end of input asks before recording")
os.write(fd, b"n\r")
out = read_until(fd, "--resume")
status = finish(pid, fd)
check(status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1,
      "declining records nothing (exit 1)")
check("nothing recorded" in out, "and says so")
check(os.path.exists(draft) and "explosion_control" in open(draft, encoding="utf-8").read(),
      "the draft holds the answer typed")
db = os.path.join(tmp, "pty.db")
n = sqlite3.connect(db).execute("SELECT count(*) FROM inspections").fetchone()[0] if os.path.exists(db) else 0
check(n == 0, "no inspection recorded")

# 2. Ctrl-C in the middle: the draft keeps what was typed
pid, fd = spawn(args + ["--resume"])
read_until(fd, "thickness_mm>")                          # D03 was resumed, not asked
os.write(fd, b"0.5\r")
read_until(fd, "cleaned_on>")
os.write(fd, b"\x03")                                   # Ctrl-C
status = finish(pid, fd)
check(status is not None and os.WIFSIGNALED(status), "Ctrl-C stops inspect")
text = open(draft, encoding="utf-8").read()
check("thickness_mm" in text and "explosion_control" in text, "after Ctrl-C the draft keeps every answer typed")

# 3. Ctrl-D and "y": the partial inspection is recorded
pid, fd = spawn(args + ["--resume"])
read_until(fd, "cleaned_on>")
os.write(fd, b"\x04")
read_until(fd, "[y/N]")
os.write(fd, b"y\r")
out = read_until(fd, "follow-up")
status = finish(pid, fd)
check(status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3,
      "accepting records the partial inspection (exit 3: D03 failed)")
n = sqlite3.connect(db).execute("SELECT count(*) FROM inspections").fetchone()[0]
check(n == 1, "one inspection recorded")

# 4. line editing (libedit) in Chinese: backspace, the up arrow, Chinese typed in
args4 = args[:-1] + ["2026-10-06"]
draft4 = os.path.join(tmp, "inspection-370181-0042-2026-10-06.yaml")
pid, fd = spawn(args4, {"LANG": "zh_CN.UTF-8"})
read_until(fd, "explosion_control>")
os.write(fd, b"?\r")
out = read_until(fd, "explosion_control>")
check("作答：" in out and "依据：" in out, "? explains the item in Chinese")
os.write(fd, "note 泄爆口缺失\r".encode())
read_until(fd, "explosion_control>")
os.write(fd, b"venX\x7fting\r")                          # a typo, backspace, the rest
read_until(fd, "vent_area_m2>")
os.write(fd, b"1.2\r")
read_until(fd, "thickness_mm>")
os.write(fd, b"\x1b[A\r")                                # up arrow: the answer before, 1.2
read_until(fd, "cleaned_on>")
os.write(fd, b"\x03")
finish(pid, fd)
text = open(draft4, encoding="utf-8").read() if os.path.exists(draft4) else ""
import re
check(re.search(r'explosion_control: "?venting"?[,}]', text) is not None, "backspace corrected the typo")
check(re.search(r'thickness_mm: "?1\.2"?[,}]', text) is not None, "the up arrow recalled the answer before")
check("泄爆口缺失" in text, "Chinese typed at the prompt is kept whole")

check.end()
