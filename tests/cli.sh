#!/bin/sh
# End-to-end tests of the hazcheck command over the files in tests/data.
# Each check runs the real binary and asserts on exit status and output.
# Ends with "N passed, M failed".
BUILD=${BUILD:-build}
HC="${HC_WRAP:+$HC_WRAP }$BUILD/hazcheck"   # HC_WRAP: e.g. valgrind (make valgrind)
D=tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; [ -f "$T/out" ] && head -20 "$T/out" | sed 's/^/    out: /'; [ -f "$T/err" ] && head -20 "$T/err" | sed 's/^/    err: /'; }

# expect CODE DESCRIPTION COMMAND...: run, keep stdout/stderr in $T/out, $T/err
expect() {
    code=$1; desc=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" = "$code" ]; then ok; else bad "$desc: exit $rc, expected $code"; fi
}
# has FILE PATTERN DESCRIPTION: grep -E in out or err
has() {
    if grep -qE -- "$2" "$T/$1"; then ok; else bad "$3: no /$2/ in $1"; fi
}
hasnt() {
    if grep -qE -- "$2" "$T/$1"; then bad "$3: unexpected /$2/ in $1"; else ok; fi
}
json_ok() {   # FILE: every document is valid JSON (a sequence of values)
    if python3 - "$T/$1" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
dec = json.JSONDecoder(); i = 0; n = 0
while True:
    while i < len(text) and text[i] in " \t\r\n": i += 1
    if i >= len(text): break
    obj, i = dec.raw_decode(text, i); n += 1
sys.exit(0 if n > 0 else 1)
PY
    then ok; else bad "$2: output is not valid JSON"; fi
}
P="--packs $D/packs --rules $D/rules"

# --- basics
expect 0 "--version" $HC --version
has out "hazcheck [0-9]" "--version prints the version"
expect 0 "--help" $HC --help
has out "check FILE" "--help lists commands"
for c in check lint test packs show template record inspect reinspect site actions action enforce stats audit export report; do
    "$BUILD/hazcheck" $c --help > "$T/out" 2>&1 && grep -q "^  $c" "$T/out" && ok || bad "$c --help"
done
expect 1 "unknown command" $HC frobnicate
has err "unknown command 'frobnicate'" "unknown command is named"
expect 1 "unknown option" $HC check --frob x
# options by the book (cli.md "Global options"): each command takes only its own
expect 1 "an option of another command is refused" $HC packs --cost 5
has err "packs: --cost is not an option of packs; it takes --packs" "and the message says what packs takes"
expect 1 "a near miss gets a did-you-mean" $HC $P packs --formt json
has err "did you mean '--format'" "did-you-mean for --formt"
expect 0 "--opt=value" $HC --packs=$D/packs --rules=$D/rules packs --format=json
json_ok out "--format=json"
expect 3 "-- ends the options" $HC $P check -- $D/mini-inspection.yaml
expect 1 "a format the command cannot write is an error, not a fallback" $HC report x --format md
has err "report writes html text json csv" "the formats report writes"
expect 0 "help CMD lists every option, one line each" $HC help actions
has out "^  --status S +open, rectified, verified or overdue" "help actions: --status"
has out "^  --format F +output format: text json csv" "help actions: its formats"
hasnt out "^  --cost" "help actions: not another command's option"
expect 0 "-o FILE.json implies --format json" $HC $P packs -o "$T/packs.json"
python3 -c "import json; json.load(open('$T/packs.json'))" && ok || bad "-o packs.json wrote JSON"
expect 1 "a missing value is named" $HC $P packs --format
has err "needs a value" "missing value"
expect 1 "bad --today" $HC --today 2026-13-01 check x
has err "expected a date" "bad --today explains"

# --- check: verdicts and exit codes
expect 3 "major hazard exits 3" $HC $P check $D/mini-inspection.yaml
has out "major-hazard" "text shows the verdict"
has out "FAIL +D03" "text shows the failed item"
has out "MEM10-2023 第十一条\(三\)" "text shows the basis"
has out "deadline +2026-11-08" "deadline = date + major default days"
has out "order +suspend-equipment" "text shows the immediate order"
expect 3 "global options after the command" $HC check $D/mini-inspection.yaml $P --format json
json_ok out "json output"
has out '"verdict": "major-hazard"' "json verdict"
has out '"checklist_sha256": "[0-9a-f]{64}"' "json carries the pack sha256"
has out '"code": "0012"' "text 0012 stays a string"
has out '"blown": false' "bool typed by declaration"
expect 4 "bad answer: item error, verdict incomplete" $HC $P check $D/bad-answers.yaml --format json
has out '"verdict": "incomplete"' "unknown item makes the verdict incomplete"
has out '"unknown_items": 1' "unknown item counted"
has err "bad-answers.yaml:9:[0-9]+: .*thickness_mm.*'lots'.*expected a number" "bad answer reported at file:line:col"
has err "bad-answers.yaml:11:3: answer for item 'G99'" "unknown item reported at file:line:col"
has out '"status": "error"' "the bad item is error"
has out '"status": "pass"' "the other items are still evaluated"

# --- batches, stdin, JSON input, site register
expect 3 "batch: worst outcome decides" $HC $P --site $D/site.yaml check $D/batch.yaml --format jsonl
json_ok out "jsonl output"
if [ "$(wc -l < "$T/out")" = 3 ]; then ok; else bad "jsonl: one line per inspection"; fi
has out '"id":"b2".*"verdict":"general-hazards"' "batch second is general hazards"
has out '"id":"b1".*"verdict":"compliant"' "batch first is compliant"
expect 3 "stdin" sh -c "cat $D/batch.yaml | $HC $P --site $D/site.yaml check - --format jsonl"
if [ "$(wc -l < "$T/out")" = 3 ]; then ok; else bad "stdin: three inspections"; fi
expect 0 "JSON inspection accepted" $HC $P check $D/mini-inspection.json
has out "compliant" "JSON inspection is compliant"
has out "N/A +D03" "applies false gives N/A"
expect 1 "missing site" $HC $P check $D/bad/missing-site.yaml
has err "missing-site.yaml:2:9: site '370181-9999' is not known" "missing site named with position"
expect 1 "pinned version mismatch" sh -c "sed 's/checklist: mini$/checklist: mini@9.9/' $D/bad-answers.yaml > $T/pin.yaml && $HC $P check $T/pin.yaml"
has err "version 1.0 here, not the pinned 9.9" "pin mismatch explained"

# --- bad inputs: a clear error with file:line:col, never a crash
expect 1 "empty file" $HC $P check $D/bad/empty.yaml
has err "no inspection in the file" "empty file explained"
expect 1 "binary garbage" $HC $P check $D/bad/garbage.bin
has err "garbage.bin:[0-9]+:[0-9]+: " "garbage reported with position"
expect 1 "invalid UTF-8" $HC $P check $D/bad/invalid-utf8.yaml
has err "invalid-utf8.yaml:[0-9]+:[0-9]+: not valid text" "invalid UTF-8 explained"
expect 1 "NUL byte" $HC $P check $D/bad/nul-byte.yaml
has err "nul-byte.yaml:3:[0-9]+: " "NUL byte reported with position"
expect 1 "bad date" $HC $P check $D/bad/bad-date.yaml
has err "bad-date.yaml:4:9: inspection date '2026-02-30'" "impossible date rejected"
expect 1 "no date" $HC $P check $D/bad/no-date.yaml
has err "no 'date'" "missing date explained"
expect 1 "unknown checklist" $HC $P check $D/bad/unknown-checklist.yaml
has err "unknown-checklist.yaml:3:14: unknown checklist 'no-such-pack'" "unknown checklist named with position"
expect 1 "duplicate key" $HC $P check $D/bad/duplicate-key.yaml
has err "duplicate-key.yaml:5:3: duplicate key 'date' \(first at line 4\)" "duplicate key with both lines"
expect 1 "alias bomb" $HC $P check $D/bad/alias-bomb.yaml
has err "more than [0-9]+ nodes" "alias bomb refused"
expect 1 "alias cycle" $HC $P check $D/bad/alias-cycle.yaml
has err "cycle" "alias cycle refused"
python3 -c "print('a: ' + '['*200 + ']'*200)" > "$T/deep.yaml"
expect 1 "deep nesting" $HC $P check "$T/deep.yaml"
has err "deep.yaml:1:[0-9]+: nesting deeper than 64" "deep nesting refused"
python3 -c "print('a: \"' + 'x'*2000000 + '\"')" > "$T/huge.yaml"
expect 1 "huge scalar" $HC $P check "$T/huge.yaml"
has err "larger than the limit" "huge scalar refused"
expect 1 "unreadable file" $HC $P check "$T/does-not-exist.yaml"
has err "cannot open" "missing file explained"
# a bad document in a batch does not stop the good ones before it
printf 'inspection: {id: g1, site: {id: s, name: n, dust: {dry_collection: false}}, checklist: mini, date: 2026-01-01}\nanswers: {G01: {thickness_mm: 0, blown: no}, G02: {devices: [screw], code: a, count: 1}}\n---\ninspection: {site: s, checklist: mini}\n' > "$T/mixed.yaml"
expect 1 "bad document in a batch: exit 1, good one still printed" $HC $P check "$T/mixed.yaml" --format jsonl
has out '"id":"g1"' "good inspection before a bad one is evaluated"

# a checklist of slow rules: the inspection's time budget turns the rest into errors, fast
cat > "$T/slow.yaml" <<'YAML'
hazcheck: 1
id: slow
version: "1"
title: slow
items:
  - {id: a, title: a, rule: "local s = 0 for i = 1, 1e12 do s = s + i end return true"}
  - {id: b, title: b, rule: "local s = 0 for i = 1, 1e12 do s = s + i end return true"}
  - {id: c, title: c, rule: "local s = 0 for i = 1, 1e12 do s = s + i end return true"}
YAML
printf 'inspection: {id: s1, site: {id: s, name: n}, checklist: %s, date: 2026-01-01}\n' "$T/slow.yaml" > "$T/slow-i.yaml"
expect 4 "slow rules are stopped" $HC check "$T/slow-i.yaml" --lua-instructions 1000000000 --lua-millis 300 --max-inspection-millis 500 --format json
has out "time budget \\(300 ms\\)" "a rule stops at its time budget"
has out "inspection exceeded its time budget \\(500 ms\\)" "the inspection stops at its budget"

# text for a terminal: control characters and bidi overrides from the data cannot fake lines
printf 'inspection: {id: "x\\u202Eevil", site: {id: s, name: "A\\nFAKE LINE\\u001b[2J"}, checklist: mini, date: 2026-01-01}\n' > "$T/spoof.yaml"
expect 4 "spoofing text is neutralised" $HC $P check "$T/spoof.yaml"
if [ "$(grep -c 'FAKE LINE' "$T/out")" = 1 ] && ! grep -q "^FAKE" "$T/out" && ! grep -q "$(printf '\342\200\256')" "$T/out" && ! grep -q "$(printf '\033')" "$T/out"; then ok; else bad "newline, ESC or U+202E from the data reached the terminal"; fi

# --- lint
expect 0 "lint clean pack" $HC lint $D/packs/mini.yaml
has err "item G02 has no 'basis'" "lint warns about a missing basis"
cat > "$T/broken.yaml" <<'YAML'
hazcheck: 1
id: Broken
version: "1"
title: t
sources: {A: a}
items:
  - id: X1
    title: x
    basis: [B 1]
    sevrity: major
    inputs:
      note: {type: text}
      kind: {type: enum}
    check: obs.kind ==
  - id: X1
    title: y
    check: "true"
    rule: return pass()
YAML
expect 1 "lint broken pack" $HC lint "$T/broken.yaml"
has err "broken.yaml:2:5: pack id 'Broken'" "bad pack id"
has err "broken.yaml:9:13: basis 'B 1' does not start with a code" "basis not in sources"
has err "broken.yaml:10:5: unknown key 'sevrity' in an item; did you mean 'severity'\?" "did you mean"
has err "broken.yaml:12:7: input name 'note' is reserved" "reserved input"
has err "input 'kind' \(enum\) needs 'values'" "enum without values"
has err "broken.yaml:14:[0-9]+: Lua syntax error in 'check'" "Lua syntax error at the YAML line"
has err "duplicate item id 'X1' \(first at line 7\)" "duplicate item id"
has err "both 'check' and 'rule'" "check and rule"
has err "item X1 has no tests" "items without tests warned"

cp $D/packs/mini.yaml "$T/mini-copy.yaml"
expect 1 "lint: two packs with one id" $HC lint $D/packs/mini.yaml "$T/mini-copy.yaml"
has err "pack id 'mini' is also the id of" "duplicate pack ids refused"

# --- test, coverage, junit
expect 0 "rule tests pass" $HC $P test $D/packs/mini.yaml
has out "^10 passed, 0 failed$" "test summary line"
expect 0 "coverage" $HC $P test --coverage $D/packs/mini.yaml
has out "coverage: 3/3 items seen both pass and fail" "coverage summary"
sed 's/expect: fail/expect: pass/' $D/packs/mini.yaml > "$T/mini.yaml"
expect 1 "failing rule tests exit 1" $HC $P test "$T/mini.yaml" --junit "$T/junit.xml"
has out "FAIL mini D03 'no explosion control': expected pass, got fail" "failure names pack, item, test, expected and got"
if grep -q '<failure message="expected pass, got fail' "$T/junit.xml"; then ok; else bad "junit xml has the failure"; fi
python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])" "$T/junit.xml" && ok || bad "junit xml is well-formed"
sed '/expect: fail/,+0d' $D/packs/mini.yaml | sed '/name: no explosion control/,+3d' > "$T/mini2.yaml"
expect 1 "min-coverage fails below" $HC $P test "$T/mini2.yaml" --min-coverage 100

# --- paths and configuration (cli.md "Configuration and language")
expect 1 "reading never creates a database" env HAZCHECK_DB="$T/none.db" $HC actions
has err "no database at $T/none.db" "and it says where it looked"
[ ! -e "$T/none.db" ] && ok || bad "a read-only command created a database"
expect 3 "the default database is under XDG_DATA_HOME" env XDG_DATA_HOME="$T/xdg" $HC $P record $D/mini-inspection.yaml
[ -f "$T/xdg/hazcheck/hazcheck.db" ] && ok || bad "record did not create \$XDG_DATA_HOME/hazcheck/hazcheck.db"
mkdir -p "$T/extra"
sed 's/^id: mini/id: extra-mini/' $D/packs/mini.yaml > "$T/extra/extra-mini.yaml"
printf 'db: %s\npacks: [%s]\ninspector: 孟凡辉\ncolour: red\n' "$T/cfg.db" "$T/extra" > "$T/config.yaml"
expect 0 "the configuration's packs are searched" env HAZCHECK_CONFIG="$T/config.yaml" $HC --rules $D/rules packs
has out "^extra-mini " "packs from the configuration's folder"
has out "^dust-explosion " "and the default ./checklists after it"
has err "config.yaml:4:1: warning: unknown key 'colour' ignored" "an unknown key in the configuration is named"
expect 3 "the configuration's db is used" env HAZCHECK_CONFIG="$T/config.yaml" $HC $P record $D/mini-inspection.yaml
[ -f "$T/cfg.db" ] && ok || bad "record did not use the configuration's db"
printf -- '- just a list\n' > "$T/bad-config.yaml"
expect 1 "a broken configuration is an error" env HAZCHECK_CONFIG="$T/bad-config.yaml" $HC packs
has err "bad-config.yaml:1:1: the configuration is a sequence" "naming the file and line"
expect 0 "HAZCHECK_PACKS folders, colon-separated" env HAZCHECK_PACKS="$T/none:$T/extra" $HC --rules $D/rules packs
has out "^extra-mini " "a pack from HAZCHECK_PACKS"
expect 0 "--packs comes before the defaults, not instead of them" $HC $P packs
has out "^mini " "--packs folder listed"
has out "^dust-explosion " "defaults still searched"

mkdir -p "$T/mixed"
cp $D/packs/mini.yaml $D/mini-inspection.yaml $D/site.yaml "$T/mixed/"
expect 0 "packs skips files that are not checklists" $HC --packs "$T/mixed" --rules $D/rules packs
[ "$(grep -c 'not a checklist; skipped' "$T/err")" = 2 ] && ok || bad "one note line per file that is not a checklist"
has err "mini-inspection.yaml:1:1: warning: an inspection, not a checklist; skipped" "the inspection is named"
printf 'hazcheck: 1\nid: broken\n' > "$T/mixed/broken.yaml"
expect 1 "a broken checklist is still an error" $HC --packs "$T/mixed" --rules $D/rules packs

# --- a pack no longer in force (formats.md "Validity of a pack")
S="--packs checklists --rules rules"
sed 's/date: 2026-09-09/date: 2026-10-15/' examples/chemical-park-inspection.yaml > "$T/late.yaml"
expect 3 "out of force: still evaluated" $HC $S check "$T/late.yaml"
has out "warning: .*2026-09-29.*AQ 3067" "out of force: the text says so, naming the successor"
expect 1 "check --strict refuses an out-of-force pack" $HC $S check --strict "$T/late.yaml"
has err "AQ 3067" "--strict says why"
expect 3 "in force on its last day" $HC $S check --strict examples/chemical-park-inspection.yaml

# --- check --profile: which rule makes a batch slow (issue 14)
mkdir -p "$T/prof"
cat > "$T/prof/slow.yaml" <<'EOF'
hazcheck: 1
id: slow
version: "1"
title: 慢规则
domain: dust
items:
  - id: S1
    title: 慢
    inputs: {n: {type: number}}
    rule: |
      local s = 0
      for i = 1, 20000 do s = s + i % 7 end
      if s > 0 and obs.n >= 0 then return pass() end
      return fail("negative")
  - id: S2
    title: 快
    inputs: {n: {type: number}}
    check: obs.n >= 0
EOF
for k in 1 2 3 4 5; do
    [ $k -gt 1 ] && echo ---
    printf 'inspection: {id: p%d, site: {id: x, name: 某}, checklist: slow, date: 2026-09-09}\nanswers: {S1: {n: %d}, S2: {n: %d}}\n' $k $k $k
done > "$T/prof/batch.yaml"
expect 0 "check --profile" $HC --packs "$T/prof" check --profile --format jsonl "$T/prof/batch.yaml"
json_ok out "check --profile leaves the findings as JSON on standard output"
if [ "$(wc -l < "$T/out")" = 5 ]; then ok; else bad "five results on standard output"; fi
has err "^rule +part +calls" "the profile's table is on standard error"
if sed -n 3p "$T/err" | grep -qE '^slow@1 S1 +rule +5 '; then ok; else bad "the slow rule is first, with its 5 calls"; fi
has err '^slow@1 S2 +check +5 ' "the quick check is there too"
expect 0 "without --profile, no table" $HC --packs "$T/prof" check --format jsonl "$T/prof/batch.yaml"
hasnt err "calls" "no profile unless asked"

# --- --jobs (issue 14): on several threads, what one thread gives, byte for byte
# under valgrind (HC_WRAP) a smaller batch, still of many pieces, and fewer runs
JN=600; JFMT="jsonl json text"; JOBS="2 3"
[ -n "$HC_WRAP" ] && { JN=150; JFMT=jsonl; JOBS=2; }
"$BUILD/benchgen" $JN > "$T/jobs.yaml"
printf '%s\r\n' "---" "inspection: {id: crlf, site: {id: x, name: 某}, checklist: bench, date: 2026-09-09}" \
    "answers: {}" "---" "inspection: {id: dup}" "inspection: {id: dup}" > "$T/jobs-crlf.yaml"
J="$T/jobs.yaml $D/bad/unknown-checklist.yaml $T/jobs-crlf.yaml $D/bad/empty.yaml $D/bad/nosuch.yaml $D/bad/duplicate-key.yaml $T/jobs.yaml"
for fmt in $JFMT; do
    $HC --packs bench check --format $fmt $J > "$T/j1.out" 2> "$T/j1.err"; r1=$?
    for n in $JOBS; do
        $HC --packs bench check --jobs $n --format $fmt $J > "$T/jn.out" 2> "$T/jn.err"; rn=$?
        if [ $r1 = $rn ] && cmp -s "$T/j1.out" "$T/jn.out" && cmp -s "$T/j1.err" "$T/jn.err"; then ok
        else bad "check --jobs $n --format $fmt: output, messages and exit status as with one thread"; fi
    done
done
$HC --packs bench check --format jsonl $J > "$T/out" 2> "$T/err"
if [ "$(wc -l < "$T/out")" = $((2 * JN + 1)) ]; then ok; else bad "check of the jobs batch: every result"; fi
has err "unknown-checklist.yaml:1:1: .*nosuch|unknown-checklist.yaml:.*checklist" "the unknown pack is named in its place"
has err "jobs-crlf.yaml:6:1: duplicate key 'inspection'" "a YAML error names its line, CR LF counted once"
has err "empty.yaml: no inspection in the file" "an empty file is named"
has err "nosuch.yaml: cannot open file" "a missing file is named"
calls() { $HC --packs bench check --profile "$@" --format jsonl "$T/jobs.yaml" 2>&1 >/dev/null |
          awk '$1 == "bench@1" && $2 == "B05" && $3 == "applies" { print $4 }'; }
c1=$(calls); c2=$(calls --jobs 2)
if [ -n "$c1" ] && [ "$c1" -gt $((JN / 2)) ] && [ "$c1" = "$c2" ]; then ok
else bad "check --profile --jobs 2 adds up every thread's calls ($c1 on one thread, $c2 on two)"; fi
rm -f "$T/j1.db" "$T/j2.db"
$HC --packs bench --db "$T/j1.db" record "$T/jobs.yaml" "$T/jobs-crlf.yaml" > "$T/j1.out" 2> "$T/j1.err"; r1=$?
$HC --packs bench --db "$T/j2.db" record --jobs 2 "$T/jobs.yaml" "$T/jobs-crlf.yaml" > "$T/jn.out" 2> "$T/jn.err"; rn=$?
if [ $r1 = $rn ] && cmp -s "$T/j1.out" "$T/jn.out" && cmp -s "$T/j1.err" "$T/jn.err"; then ok
else bad "record --jobs 2: what record on one thread says"; fi
has_line() { grep -q -- "$2" "$1" && ok || bad "$3"; }
has_line "$T/jn.out" "^$((JN + 1)) recorded, 0 already recorded, 0 not recorded" "record --jobs 2 records the batch"
for q in "actions --format json" "stats --format json --by checklist" "site list --format json"; do
    # the clock of each change masked: the two were recorded seconds apart
    clock='s/20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<clock>/g'
    $HC --today 2026-12-03 --db "$T/j1.db" $q 2>&1 | sed -E "$clock" > "$T/a1"
    $HC --today 2026-12-03 --db "$T/j2.db" $q 2>&1 | sed -E "$clock" > "$T/a2"
    if cmp -s "$T/a1" "$T/a2" && [ -s "$T/a1" ]; then ok; else bad "record --jobs 2: $q as with one thread"; fi
done
expect 0 "audit after record --jobs 2" $HC --db "$T/j2.db" audit verify
expect 1 "--jobs 0 is refused" $HC check --jobs 0 "$T/jobs.yaml"
has err "jobs '0'; expected a positive whole number" "--jobs 0: why"
expect 1 "--jobs 65 is refused" $HC check --jobs 65 "$T/jobs.yaml"
expect 1 "--jobs is not an option of actions" $HC actions --jobs 2
# an empty --db was a temporary database, its records gone at exit
expect 1 "--db '' is refused" $HC $P --db "" record "$D/mini-inspection.yaml"
has err "expected a database file or a postgresql:// URI" "--db '': what is expected"

$HC $S check --format json "$T/late.yaml" > "$T/out" 2>/dev/null
has out '^    "检查表 hazchem-major 2017.1 适用至2026-09-29' "out of force: the JSON carries the warning"
expect 0 "packs marks a pack no longer in force" $HC $S --today 2026-12-03 packs
has out "^hazchem-major .*NOT IN FORCE" "packs: hazchem-major not in force on 2026-12-03"
hasnt out "^dust-explosion .*NOT IN FORCE" "packs: dust-explosion in force"
expect 0 "packs before the end" $HC $S --today 2026-09-01 packs --format json
has out '"in_force": true' "packs json: in force on 2026-09-01"
hasnt out '"in_force": false' "packs json: none out of force on 2026-09-01"

# --- packs, show, template
expect 0 "packs" $HC $P packs
has out "^mini +1.0 +dust +3 " "packs lists id, version, domain, items"
expect 0 "show text" $HC $P show mini
has out "\[ \] D03" "show prints a form"
expect 0 "show md" $HC $P show mini D03 --format md
has out "^### D03" "show md heading"
expect 1 "show unknown item" $HC $P show mini Z9
expect 0 "template" $HC $P template mini --today 2026-10-01 -o "$T/blank.yaml"
sed -i 's/site: ""  /site: {id: t1, name: 空白, dust: {dry_collection: true}}/' "$T/blank.yaml"
expect 4 "a blank template is incomplete" $HC $P check "$T/blank.yaml" --format json
has out '"unanswered": 3' "every item unanswered"
has out '"date": "2026-10-01"' "template date from --today"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
