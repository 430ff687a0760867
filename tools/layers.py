#!/usr/bin/env python3
"""layers.py: fail when an arrow runs up a layer or two files call each other.

src/ has one folder per layer, lowest first: base, engine, store, report, serve, cli.
A file may include and call only its own layer and the layers below it, and the
files of the library must form no loop (a calls b ... calls a), so that each one
can be read knowing only what is under it. Three kinds of arrow are checked:

  includes   `#include "layer/x.h"` and the public headers in include/; a
             folder's headers other than its face are private to the folder
  libraries  <sqlite3.h>, <lua*.h>, <yaml.h> only in the layer that owns them,
             so nothing SQLite-specific reaches above src/store/
  calls      from the object files (nm): which file's symbols each file uses

Usage: tools/layers.py [BUILD]   (BUILD holds the objects, build/<layer>/*.o)
With --selftest it runs over small trees it makes itself and checks that each
kind of violation is caught.
"""
import os
import re
import subprocess
import sys
import tempfile

LAYERS = ["base", "engine", "store", "report", "serve", "cli"]
RANK = {name: i for i, name in enumerate(LAYERS)}
# The header that is a layer's face for the layers above it (None: no face in src/).
FACE = {"base": "base/base.h", "engine": "engine/engine.h", "store": None,
        "report": "report/report.h", "serve": None, "cli": None}
# Public headers and the lowest layer that may include them.
PUBLIC = {"hazcheck.h": "base", "hazcheck_store.h": "store", "hazcheck_report.h": "report",
          "hazcheck_serve.h": "serve"}
# System headers that only one layer may include.
OWNED = {"sqlite3.h": "store", "lua.h": "engine", "lualib.h": "engine",
         "lauxlib.h": "engine", "yaml.h": "base", "sodium.h": "base", "microhttpd.h": "serve"}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def layer_of(rel):
    """'engine/checklist.c' -> 'engine'; None outside the layer folders."""
    head = rel.split("/", 1)[0]
    return head if head in RANK else None


def check_includes(src, problems):
    edges = {}
    for root, _dirs, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            mine = layer_of(rel)
            if mine is None:
                problems.append("%s: not in a layer folder (%s)" % (rel, ", ".join(LAYERS)))
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                kind, target = m.group(1), m.group(2)
                line = text.count("\n", 0, m.start()) + 1
                where = "%s:%d" % (rel, line)
                base = os.path.basename(target)
                if kind == "<":
                    owner = OWNED.get(base)
                    if owner and owner != mine:
                        problems.append("%s: <%s> belongs to %s/, not %s/" % (where, target, owner, mine))
                    continue
                if target in PUBLIC:
                    if RANK[PUBLIC[target]] > RANK[mine]:
                        problems.append("%s: %s is for %s/ and above; %s/ is below it"
                                        % (where, target, PUBLIC[target], mine))
                    continue
                theirs = layer_of(target)
                if theirs is None:
                    continue           # generated (config.h) or a system path
                edges.setdefault(rel, set()).add(target)
                if RANK[theirs] > RANK[mine]:
                    problems.append("%s: includes %s: %s/ is above %s/" % (where, target, theirs, mine))
                elif theirs != mine and target != FACE[theirs]:
                    face = FACE[theirs] or "include/ (its public header)"
                    problems.append("%s: includes %s, private to %s/; use %s"
                                    % (where, target, theirs, face))
    return edges


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", "-g", obj], capture_output=True, text=True)
    defined = {l.split()[-1] for l in out.stdout.splitlines() if len(l.split()) == 3}
    out = subprocess.run(["nm", "-u", obj], capture_output=True, text=True)
    used = {l.split()[-1] for l in out.stdout.splitlines() if l.strip()}
    return defined, used


def check_calls(build, problems):
    objs = {}
    for layer in LAYERS:
        d = os.path.join(build, layer)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith(".o"):
                objs["%s/%s" % (layer, name[:-2] + ".c")] = os.path.join(d, name)
    if not objs:
        problems.append("%s: no object files; build first" % build)
        return {}
    owner, uses = {}, {}
    for rel, path in objs.items():
        defined, used = symbols(path)
        uses[rel] = used
        for s in defined:
            owner[s] = rel
    edges = {}
    for rel, used in uses.items():
        for s in sorted(used):
            to = owner.get(s)
            if to is None or to == rel:
                continue
            edges.setdefault(rel, set()).add(to)
            if RANK[layer_of(to)] > RANK[layer_of(rel)]:
                problems.append("%s calls %s (%s): %s/ is above %s/"
                                % (rel, s, to, layer_of(to), layer_of(rel)))
    return edges


def loops(edges):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def run(src, build):
    problems = []
    inc = check_includes(src, problems)
    for comp in loops(inc):
        problems.append("include loop: " + " -> ".join(comp))
    if build is not None:
        calls = check_calls(build, problems)
        for comp in loops(calls):
            problems.append("call loop between files: " + " <-> ".join(comp))
    return problems


def selftest():
    """Each kind of violation in a tree of its own must be caught; a clean tree passes."""
    cases = {
        "clean": ({"base/base.h": "", "engine/engine.h": '#include "base/base.h"\n',
                   "engine/a.c": '#include "engine/engine.h"\n#include <lua.h>\n'}, 0),
        "upward include": ({"base/base.h": "", "base/x.c": '#include "engine/engine.h"\n',
                            "engine/engine.h": ""}, 1),
        "private header": ({"engine/sandbox.h": "", "store/s.c": '#include "engine/sandbox.h"\n'}, 1),
        "sqlite above store": ({"report/r.c": "#include <sqlite3.h>\n"}, 1),
        "public store header below store": ({"engine/e.c": '#include "hazcheck_store.h"\n'}, 1),
        "include loop": ({"cli/a.h": '#include "cli/b.h"\n', "cli/b.h": '#include "cli/a.h"\n'}, 1),
    }
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (files, want) in cases.items():
            src = os.path.join(tmp, name.replace(" ", "_"))
            for rel, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
                with open(os.path.join(src, rel), "w") as f:
                    f.write(text)
            got = len(run(src, None)) > 0
            ok = got == bool(want)
            failed += not ok
            print("%s: %s" % ("ok" if ok else "FAILED", name))
        # call arrows: compile two tiny objects that call each other
        if subprocess.run(["cc", "--version"], capture_output=True).returncode == 0:
            b = os.path.join(tmp, "build")
            for layer, name, code in (("base", "lo", "void hi(void); void lo(void) { hi(); }"),
                                      ("engine", "hi", "void lo(void); void hi(void) { lo(); }")):
                os.makedirs(os.path.join(b, layer), exist_ok=True)
                c = os.path.join(tmp, name + ".c")
                with open(c, "w") as f:
                    f.write(code + "\n")
                subprocess.run(["cc", "-c", c, "-o", os.path.join(b, layer, name + ".o")], check=True)
            probs = []
            edges = check_calls(b, probs)
            up = any("is above" in p for p in probs)
            loop = len(loops(edges)) == 1
            for what, ok in (("upward call", up), ("call loop", loop)):
                failed += not ok
                print("%s: %s" % ("ok" if ok else "FAILED", what))
    print("%d passed, %d failed" % (8 - failed, failed))
    return 1 if failed else 0


def main():
    if sys.argv[1:] == ["--selftest"]:
        return selftest()
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    problems = run("src", build)
    for p in problems:
        print("layers: " + p)
    if problems:
        print("layers: %d problem(s); see ARCHITECTURE.md for the layers" % len(problems))
        return 1
    print("layers: every arrow points down, no loops")
    return 0


if __name__ == "__main__":
    sys.exit(main())
