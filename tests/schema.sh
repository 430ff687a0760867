#!/bin/sh
# The checklist JSON Schema (schema/checklist.schema.json), the one editors use
# through yaml-language-server, against the packs and fixtures:
#   - the schema itself is valid draft-07;
#   - every shipped pack (checklists/*.yaml) and every good test pack validates;
#   - tests/data/schema/spec/*.yaml, formats.md §1 features the loader does not
#     read yet, validate;
#   - every tests/data/schema/bad/*.yaml is rejected, with an error containing
#     its "# schema:" line, and `hazcheck lint` rejects it too, saying its
#     "# loader:" line (when there is one and $BUILD/hazcheck is built);
#   - tests/data/schema/beyond/*.yaml are bad packs a schema cannot see (Lua,
#     cross-references): the schema accepts them and `lint` rejects them;
#   - tests/data/bad/*.yaml (inspection and YAML-level fixtures, not packs)
#     are rejected.
# YAML is read the way hazcheck reads it (YAML 1.2 core scalars: `no` and
# 2026-09-09 stay text, 0012 is 12; duplicate keys, alias cycles and alias
# bombs are errors), not with PyYAML's YAML 1.1 guesses.
# One line per check; the last line is "N passed, M failed"; exit 1 on a failure.
BUILD=${BUILD:-build}
cd "$(dirname "$0")/.." || exit 1

PY=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import jsonschema, yaml' >/dev/null 2>&1; then
        PY=$p
        break
    fi
done
if [ -z "$PY" ]; then
    echo "FAIL schema: no python3 with the jsonschema and yaml modules, nothing validated"
    echo "     (Debian: apt-get install python3-jsonschema python3-yaml)"
    echo "0 passed, 1 failed"
    exit 1
fi
HC=""
[ -x "$BUILD/hazcheck" ] && HC="$BUILD/hazcheck"

exec "$PY" - schema/checklist.schema.json "$HC" <<'EOF'
import glob, json, os, re, subprocess, sys, warnings

import jsonschema
import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

warnings.simplefilter("ignore")
SCHEMA, HC = sys.argv[1], sys.argv[2]
MAX_NODES, MAX_DEPTH = 1000000, 64          # hazcheck's default limits

passed = failed = 0


def report(ok, what, detail=()):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print(("ok   " if ok else "FAIL ") + what)
    for d in list(detail)[:12]:
        print("       " + d)


# ------------------------------------------------------------------ YAML


class Loader(yaml.SafeLoader):
    """YAML as hazcheck reads it (src/base/doc.c, hc_scalar_resolve): only plain
    scalars are typed, by YAML 1.2's core schema; everything else is text."""


Loader.yaml_implicit_resolvers = {}
for tag, regexp, first in [
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^[-+]?[0-9]{1,18}$", list("-+0123456789")),
    ("float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", list("-+.0123456789")),
]:
    Loader.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(regexp), first)


def construct_int(self, node):
    return int(self.construct_scalar(node), 10)       # 0012 is 12, not octal


def construct_float(self, node):
    return float(self.construct_scalar(node))


def construct_mapping(self, node, deep=False):
    if not isinstance(node, MappingNode):
        raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
    out = {}
    for k, v in node.value:
        if not isinstance(k, ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key that is not text", k.start_mark)
        if k.value in out:                             # the key as written
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key '%s'" % k.value, k.start_mark)
        out[k.value] = self.construct_object(v, deep=deep)
    return out


Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
Loader.construct_mapping = construct_mapping


def measure(root):
    """Nodes and depth with every alias counted as a copy; a cycle is an error."""
    done, busy = {}, set()

    def walk(n):
        if id(n) in done:
            return done[id(n)]
        if id(n) in busy:
            raise ValueError("an alias refers to a node that contains it (a cycle)")
        busy.add(id(n))
        kids = []
        if isinstance(n, SequenceNode):
            kids = n.value
        elif isinstance(n, MappingNode):
            kids = [x for kv in n.value for x in kv]
        count, depth = 1, 0
        for k in kids:
            c, d = walk(k)
            count, depth = count + c, max(depth, d)
        busy.discard(id(n))
        done[id(n)] = (count, depth + 1)
        return done[id(n)]

    count, depth = walk(root)
    if count > MAX_NODES:
        raise ValueError("%d nodes once aliases are expanded, more than %d" % (count, MAX_NODES))
    if depth > MAX_DEPTH:
        raise ValueError("nested %d deep, more than %d" % (depth, MAX_DEPTH))


def load(path):
    """(document, None) or (None, why it is not one)."""
    sys.setrecursionlimit(10000)
    with open(path, "rb") as f:
        loader = None
        try:
            loader = Loader(f)
            node = loader.get_single_node()
            if node is None:
                return None, "file is empty; expected a checklist"
            measure(node)
            return loader.construct_document(node), None
        except yaml.MarkedYAMLError as e:
            m = e.problem_mark or e.context_mark
            where = "%d:%d: " % (m.line + 1, m.column + 1) if m else ""
            what = "; ".join(x for x in (e.context, e.problem) if x)
            return None, where + " ".join(what.split())
        except (yaml.YAMLError, ValueError, RecursionError) as e:
            return None, " ".join(str(e).split())
        finally:
            if loader:
                loader.dispose()


# --------------------------------------------------------------- schema

with open(SCHEMA, encoding="utf-8") as f:
    schema = json.load(f)
try:
    jsonschema.Draft7Validator.check_schema(schema)
    report(True, "%s is a valid draft-07 schema" % SCHEMA)
except jsonschema.exceptions.SchemaError as e:
    report(False, "%s is a valid draft-07 schema" % SCHEMA, [str(e).splitlines()[0]])
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1)
formats = getattr(jsonschema.Draft7Validator, "FORMAT_CHECKER", None) or jsonschema.draft7_format_checker
validator = jsonschema.Draft7Validator(schema, format_checker=formats)


def render(e):
    where = "/".join(str(p) for p in e.absolute_path) or "(top)"
    s = e.schema if isinstance(e.schema, dict) else {}
    msg = (e.validator == "pattern" and s.get("patternErrorMessage")) or s.get("errorMessage")
    if msg:
        if not isinstance(e.instance, (dict, list)):
            msg += " (got %r)" % (e.instance,)
    else:
        msg = e.message
    return "%s: %s" % (where, " ".join(msg.split())[:300])


def problems(path):
    """Everything wrong with a file: YAML errors or schema errors (rendered)."""
    doc, why = load(path)
    if why:
        return ["not loaded: " + why]
    return sorted(render(e) for e in validator.iter_errors(doc))


def header(path, key):
    """The value of a '# key: value' comment line at the top of a fixture."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = re.match(r"#\s*%s:\s*(.*\S)" % key, line)
            if m:
                return m.group(1)
    return None


def lint(path):
    r = subprocess.run([HC, "lint", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=60)
    return r.returncode, r.stdout.decode("utf-8", "replace")


def first_error(out):
    for line in out.splitlines():
        if ": error: " in line or re.match(r".*:\d+:\d+: ", line):
            return line.strip()
    return out.strip().splitlines()[0] if out.strip() else "(no output)"


def lint_accepts(path):
    if HC:
        rc, out = lint(path)
        report(rc == 0, "lint accepts %s too" % path, [] if rc == 0 else out.splitlines())


if not HC:
    print("note: %s not built; the checks against `hazcheck lint` are skipped"
          % os.path.join(os.environ.get("BUILD", "build"), "hazcheck"))

# shipped packs and good test packs: the schema and the loader accept them
good = sorted(glob.glob("checklists/*.yaml")) + sorted(glob.glob("tests/data/packs/*.yaml")) \
    + sorted(glob.glob("tests/data/fuzz/checklist/*.yaml")) + sorted(glob.glob("tests/data/schema/good/*.yaml"))
if not glob.glob("checklists/*.yaml"):
    report(False, "shipped packs found in checklists/")
for path in good:
    p = problems(path)
    report(not p, "valid: " + path, p)
for path in sorted(glob.glob("tests/data/schema/good/*.yaml")):
    lint_accepts(path)

# formats.md features the loader does not read yet: the schema accepts them
for path in sorted(glob.glob("tests/data/schema/spec/*.yaml")):
    p = problems(path)
    report(not p, "valid (formats.md, not yet in the loader): " + path, p)

# bad packs: rejected for the stated reason, by the schema and by lint
bad = sorted(glob.glob("tests/data/schema/bad/*.yaml"))
if len(bad) < 7:
    report(False, "bad fixtures found in tests/data/schema/bad (%d)" % len(bad))
for path in bad:
    want = header(path, "schema")          # "[PATH | ]TEXT"
    where, _, text = (want or "").rpartition(" | ")
    p = problems(path)
    hit = [x for x in p if want and text in x and (not where or x.startswith(where + ": "))]
    if not want:
        report(False, "rejected: %s has no '# schema:' line saying why" % path)
    elif hit:
        report(True, "rejected: %s -- %s" % (path, hit[0]))
    else:
        report(False, "rejected: %s, with an error containing %r" % (path, want),
               p or ["the schema accepts it"])
    said = header(path, "loader")
    if HC and said:
        rc, out = lint(path)
        ok = rc != 0 and said in out
        report(ok, "lint rejects %s too -- %s" % (path, said if ok else "?"),
               [] if ok else ["exit %d, wanted %r in:" % (rc, said)] + out.splitlines())

# bad packs beyond a schema (Lua, cross-references): lint's job
for path in sorted(glob.glob("tests/data/schema/beyond/*.yaml")):
    said = header(path, "loader")
    p = problems(path)
    report(not p, "beyond the schema, which accepts %s" % path, p)
    if HC:
        rc, out = lint(path)
        ok = rc != 0 and bool(said) and said in out
        report(ok, "lint rejects %s -- %s" % (path, said if ok else "?"),
               [] if ok else ["exit %d, wanted %r in:" % (rc, said)] + out.splitlines())

# the engine's bad-input fixtures are inspections or broken YAML, not packs:
# each must still be refused, and for the reason it was written for where the
# schema's reader can see it
why = {
    "alias-bomb.yaml": "more than 1000000",
    "alias-cycle.yaml": "cycle",
    "duplicate-key.yaml": "duplicate key 'date'",
    "empty.yaml": "file is empty",
    "invalid-utf8.yaml": "unacceptable character #x00ff",
    "nul-byte.yaml": "unacceptable character #x0000",
}
for path in sorted(glob.glob("tests/data/bad/*.yaml")):
    want = why.get(os.path.basename(path), "'inspection'")
    p = problems(path)
    hit = [x for x in p if want in x]
    report(bool(hit), "rejected (not a pack): %s -- %s" % (path, hit[0] if hit else "?"),
           [] if hit else ["wanted %r in:" % want] + (p or ["the schema accepts it"]))

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
