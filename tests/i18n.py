#!/usr/bin/env python3
"""The command line in Chinese: every word people read is translated.

Runs the commands people use (help for each command, the usual errors, every
text, CSV and HTML output) under LANG=zh_CN.UTF-8 and fails on any line that
still holds English words. What may stay in Latin letters: codes that people
type or programs read (command and option names, formats, pack ids, vocabulary
codes), metavariables in capitals, file names, and the few names in ALLOWED.

Also checks that the language never touches what programs read: the JSON of
`check` is byte for byte the same under zh_CN and C.

usage: tests/i18n.py BUILD [--show]   (--show prints every offending line)
"""
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
SHOW = "--show" in sys.argv
HC = os.path.abspath(os.path.join(BUILD, "hazcheck"))
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))

COMMANDS = ["check", "lint", "test", "packs", "show", "template", "record", "inspect",
            "reinspect", "site", "actions", "action", "enforce", "audit", "stats",
            "export", "import", "report", "plan", "help"]
FORMATS = ["text", "json", "jsonl", "csv", "html", "yaml"]

# Latin words that may stay: names of things, units and standards people read as they are.
ALLOWED = {
    "hazcheck", "lua", "yaml", "json", "jsonl", "csv", "html", "sqlite", "sha", "utf",
    "gb", "aq", "mem", "xdg", "id", "ids", "uid", "pdf", "jpg", "png", "utc", "url",
    "excel", "pty", "ppm", "mpa", "kpa", "pa", "mm", "cm", "km", "kg", "mg", "ml", "kw",
    "kv", "ms", "min", "db", "yuan", "api", "http", "https", "www", "stdin", "stdout",
    "ok",
    "woodworking",          # the example site's own industry code (its data, not our words)
    "metal", "wood", "grain",   # site profile codes (site.dust.kinds) that pack labels name
}


def vocabulary_codes():
    """Codes of src/base/vocab.c: people type them (enforce SITE interview) and see them
    where a program's code is shown beside its word."""
    text = open(os.path.join(ROOT, "src/base/vocab.c"), encoding="utf-8").read()
    return {c.lower() for c in re.findall(r'\{"([a-z][a-z-]*)", N_\(', text)}


def option_names():
    text = open(os.path.join(ROOT, "src/cli/commands.c"), encoding="utf-8").read()
    return {m.lower() for m in re.findall(r'\{"([a-z][a-z-]+)", (?:"[A-Z]|NULL)', text)}


def typed_words():
    """What people type after a command: its sub-commands and verbs (site add, action ID
    verify, audit verify), stats groupings, action statuses; from the command table."""
    text = open(os.path.join(ROOT, "src/cli/commands.c"), encoding="utf-8").read()
    table = text[text.index("const command cli_commands[]"):text.index("const cli_option cli_options[]")]
    words = set()
    for usage in re.findall(r'N_\(((?:"(?:[^"\\]|\\.)*"\s*)+)\)', table):
        line = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', usage))
        for part in line.split("\\n"):
            syntax = re.split(r"\s{2,}", part.strip())[0]      # the syntax, before the description
            words |= {w.lower() for w in re.findall(r"[a-z][a-z-]+", syntax)}
    return words | {"district", "squad", "industry", "checklist", "month", "overdue", "md"}


def pack_domains():
    """The packs' domain codes (dust, hazchem ...): data the packs define."""
    out = set()
    for f in sorted(os.listdir(os.path.join(ROOT, "checklists"))):
        if not f.endswith(".yaml"):
            continue
        for m in re.finditer(r"^domain:\s*([a-z-]+)", open(os.path.join(ROOT, "checklists", f),
                                                          encoding="utf-8").read(), re.M):
            out.add(m.group(1))
    return out


def pack_value_codes():
    """The codes of the packs' choices (frame, venting ...): people may type them, and
    the packs' own labels name them."""
    import yaml
    out = set()
    def walk(node):
        if isinstance(node, dict):
            v = node.get("values")
            if isinstance(v, dict):
                out.update(str(k).lower() for k in v)
            elif isinstance(v, list):
                out.update(str(k).lower() for k in v)
            for x in node.values():
                walk(x)
        elif isinstance(node, list):
            for x in node:
                walk(x)
    for f in sorted(os.listdir(os.path.join(ROOT, "checklists"))):
        if f.endswith(".yaml"):
            walk(yaml.safe_load(open(os.path.join(ROOT, "checklists", f), encoding="utf-8")))
    return {w for c in out for w in re.findall(r"[a-z]+", c)}


CODES = (ALLOWED | pack_value_codes() | vocabulary_codes() | option_names() | set(COMMANDS) | set(FORMATS) |
         typed_words() | pack_domains())

# what is taken out of a line before looking for words
STRIP = [
    re.compile(r"https?://\S+"),
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*(=\S*)?"),  # options
    re.compile(r"`[^`]*`"),                           # code spans
    re.compile(r"'[^'\s]*'"),                          # a quoted code: 'fail'
    re.compile(r"“[^”]*”"),                            # what the user typed, quoted back
    re.compile(r"\{[^}]*\}"),                          # YAML flow syntax in a hint
    re.compile(r"\b[A-Za-z_][\w-]*(?= \([^)]*[\u4e00-\u9fff])"),  # a pack's value code: frame (框架结构)
    # a Lua applicability condition, shown as code until packs give applies_text (issue 11)
    re.compile(r"(（仅当：|\(only when: ).*"),
    re.compile(r"\S*[/\\._#@$%{}=<>\[\]][^\s，。；：、（）]*"),  # paths, files, ids, keys
    re.compile(r"\b[\w-]*\d[\w-]*\b"),                # anything with a digit: ids, dates
    re.compile(r"\b[A-Z][A-Z0-9_]+\b"),               # METAVARS, item ids, GB, AQ
    re.compile(r"\b\w+(?:[_-]\w+)+\b"),               # codes: dust-explosion, dry_collection
]
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


def english_words(line):
    for rx in STRIP:
        line = rx.sub(" ", line)
    return [w for w in WORD.findall(line) if w.lower().strip("'") not in CODES]


def visible_text(out, fmt):
    if fmt == "yaml":
        # a file to fill in: its keys and codes are the format; its comments are for people
        return [line.split("#", 1)[1] for line in out.splitlines() if "#" in line]
    if fmt == "html":
        out = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", out)
        out = re.sub(r"(?s)<!--.*?-->", " ", out)
        out = re.sub(r"<[^>]+>", "\n", out)
        out = html.unescape(out)
    return out.splitlines()


def main():
    tmp = tempfile.mkdtemp(prefix="hc-i18n-")
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "HAZCHECK_CONFIG",
                        "HAZCHECK_DB", "HAZCHECK_PACKS")}
    env.update(XDG_CONFIG_HOME=f"{tmp}/config", XDG_DATA_HOME=f"{tmp}/data",
               HAZCHECK_USER="孟凡辉", HAZCHECK_DB=f"{tmp}/i.db")
    zh = dict(env, LANG="zh_CN.UTF-8")
    c = dict(env, LANG="C.UTF-8")
    passed = failed = 0
    shown = 0

    def run(args, fmt="text", stdin=None, lang=zh):
        r = subprocess.run([HC, "--today", "2026-09-10"] + args, cwd=ROOT, env=lang,
                           input=stdin, capture_output=True, text=True, timeout=120)
        return r

    def scan(args, fmt="text", stdin=None):
        nonlocal passed, failed, shown
        r = run(args, fmt, stdin)
        bad = []
        for stream, text in (("stdout", r.stdout), ("stderr", r.stderr)):
            lines = visible_text(text, fmt if stream == "stdout" else "text")
            for line in lines:
                words = english_words(line)
                if words:
                    bad.append(f"  {stream}: {line.strip()[:160]}    <- {' '.join(words[:6])}")
        name = "hazcheck " + " ".join(args)
        if bad:
            failed += 1
            print(f"FAIL {name}: {len(bad)} line(s) with English words")
            for b in bad[: (None if SHOW else 5)]:
                print(b)
            shown += 1
        else:
            passed += 1
            print(f"ok   {name}")
        return r

    ex = "examples/woodworking-inspection.yaml"
    site = "examples/woodworking-site.yaml"
    # help and usage
    scan(["--help"])
    scan([])
    for cmd in COMMANDS:
        scan(["help", cmd])
    # the usual mistakes: each command without its arguments (show and template said
    # so in English until session 11), a misspelt command or option
    for cmd in COMMANDS:
        scan([cmd], stdin="")
    scan(["chek", ex])
    scan(["check", "--formt", "json", ex])
    scan(["check", "--format", "pdf", ex])
    scan(["check", "no-such-file.yaml"])
    scan(["check", "tests/data/bad-answers.yaml"])
    for bad in sorted(os.listdir(os.path.join(ROOT, "tests/data/bad")))[:12]:
        scan(["lint", "tests/data/bad/" + bad])
    scan(["actions", "--db", f"{tmp}/none.db"])
    scan(["report", "abc"])
    scan(["check", "--today", "2026-13-40", ex])
    # the work itself
    scan(["check", ex])
    scan(["check", "--format", "html", ex], "html")
    scan(["packs"])
    scan(["lint", "checklists/dust-explosion.yaml"])
    scan(["test", "checklists/dust-explosion.yaml"])
    scan(["show", "dust-explosion"])
    scan(["show", "dust-explosion", "--format", "html"], "html")
    scan(["show", "dust-explosion", "D03"])
    scan(["template", "dust-explosion"], "yaml")
    scan(["site", "add", site])
    scan(["site", "list"])
    scan(["site", "list", "--format", "csv"])
    scan(["record", ex])
    scan(["site", "show", "370181-0042"])
    scan(["actions"])
    scan(["actions", "--format", "csv"])
    scan(["action", "1", "rectify", "--note", "已整改", "--evidence", "IMG_1.jpg", "--cost", "1200"])
    scan(["action", "1", "verify", "--note", "复查合格"])
    scan(["action", "2", "assign", "--to", "王磊"])
    scan(["enforce", "370181-0042", "interview", "--note", "约谈负责人"])
    scan(["enforce", "370181-0042", "list"])
    scan(["audit", "verify"])
    scan(["stats"])
    scan(["stats", "--by", "month"])
    scan(["stats", "--format", "csv"])
    scan(["stats", "--format", "html"], "html")
    insp = run(["actions", "--format", "json"]).stdout
    m = re.search(r'"inspection":\s*"([0-9a-f-]{8})', insp)
    if m:
        scan(["report", m.group(1)])
        scan(["report", m.group(1), "--format", "html"], "html")
    scan(["plan"])
    scan(["plan", "--random", "1", "--seed", "s1"])
    scan(["plan", "--format", "csv"])
    scan(["plan", "--format", "html", "--random", "1", "--seed", "s2"], "html")
    scan(["plan", "--seed", "a b", "--random", "1"])
    scan(["export", "-o", f"{tmp}/bundle.json"])
    scan(["--db", f"{tmp}/other.db", "import", f"{tmp}/bundle.json"])

    # programs read JSON: the language never changes it
    a = run(["check", "--format", "json", ex], lang=zh).stdout
    b = run(["check", "--format", "json", ex], lang=c).stdout
    if a == b and a.strip():
        passed += 1
        print("ok   check --format json is the same under zh_CN and C")
    else:
        failed += 1
        print("FAIL check --format json differs between zh_CN and C")

    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
