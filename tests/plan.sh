#!/bin/sh
# `hazcheck plan` end to end over the bundled examples and twenty generated sites:
# the ranking with its reasons, every format, the 双随机 draw repeated from its seed,
# the draw re-done by an independent implementation of rng.c's documented
# algorithm (Python, from the event log alone), and the audit catching a forged draw.
# Ends with "N passed, M failed".
BUILD=${BUILD:-build}
HC="${HC_WRAP:+$HC_WRAP }$(pwd)/$BUILD/hazcheck"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export HAZCHECK_DB="$T/plan.db" HAZCHECK_USER=tester
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; head -15 "$T/out" | sed 's/^/    out: /'; head -15 "$T/err" | sed 's/^/    err: /'; }
expect() {
    code=$1; desc=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" = "$code" ]; then ok; else bad "$desc: exit $rc, expected $code"; fi
}
has() { if grep -qE -- "$2" "$T/$1"; then ok; else bad "$3: no /$2/ in $1"; fi; }
sql() { sqlite3 "$HAZCHECK_DB" "$1"; }
same() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }

expect 1 "plan without a database" $HC plan
has err "no database" "reading never creates a database"
[ -e "$HAZCHECK_DB" ] && bad "plan created a database" || ok

$HC site add examples/woodworking-site.yaml examples/cold-store-site.yaml >/dev/null
$HC --today 2026-09-10 record examples/*-inspection.yaml >/dev/null 2>&1
i=0
while [ $i -lt 20 ]; do
    n=$(printf %02d $i)
    squad=一中队; who=$(echo "甲 乙 丙" | cut -d' ' -f$((i % 3 + 1)))
    [ $i -ge 14 ] && squad=二中队 && who=丁
    printf 'site: {id: "g-%s", name: 测试单位%s, squad: %s, inspector: %s}\n' "$n" "$n" "$squad" "$who" > "$T/s.yaml"
    $HC site add "$T/s.yaml" >/dev/null
    i=$((i + 1))
done

expect 0 "plan" $HC --today 2026-10-20 plan
has out "^Visit plan 2026-10-20 to 2026-10-26" "the plan's dates"
has out "370181-0042 .*章丘某木制品加工有限公司" "the woodworking site is planned"
has out "major hazards? not yet verified \(\+[0-9]" "reasons in words with their points"
has out "never inspected by the bureau \(\+20\)" "a site never visited"
first=$(sed -n 4p "$T/out" | awk '{print $2}')
same "$first" "370181-0042" "the site with two open major hazards and overdue actions leads"

expect 0 "plan as JSON" $HC --today 2026-10-20 plan --format json
python3 -c "import json,sys; p=json.load(open('$T/out')); s=p['sites']; assert s==sorted(s,key=lambda x:(-x['score'],x['site'])); assert all(r['code'] for x in s for r in x['reasons'])" && ok || bad "JSON sites sorted by score, each reason a code"
expect 0 "plan as CSV" $HC --today 2026-10-20 plan --format csv
has out "^.site,name,squad" "CSV headings"
expect 0 "plan as a page" $HC --today 2026-10-20 plan -o "$T/plan.html" --random 3 --seed page
grep -q '<h2>Visits by inspector</h2>' "$T/plan.html" && ok || bad "the page lists visits by inspector"
grep -q 'hazcheck plan --random</span>\| --seed page' "$T/plan.html" && ok || bad "the page shows the seed"

expect 0 "a draw" $HC --today 2026-10-20 plan --squad 一中队 --random 4 --seed 2026W43 --format json
python3 -c "import json; d=json.load(open('$T/out'))['draw']; print(' '.join(p['site']+':'+p['inspector'] for p in d['picks']))" > "$T/draw1"
expect 0 "the same draw again" $HC --today 2026-10-20 plan --squad 一中队 --random 4 --seed 2026W43 --format json
python3 -c "import json; d=json.load(open('$T/out'))['draw']; print(' '.join(p['site']+':'+p['inspector'] for p in d['picks']))" > "$T/draw2"
same "$(cat "$T/draw2")" "$(cat "$T/draw1")" "the same seed and database draw the same"
expect 0 "a squad's draw as text" $HC --today 2026-10-20 plan --squad 一中队 --random 4 --seed 2026W43
has out "hazcheck plan --squad 一中队 --from 2026-10-20 --random 4 --seed 2026W43" "the command to draw again names the squad (else the pool differs)"
same "$(wc -w < "$T/draw1")" 4 "four sites drawn"
python3 - "$T/draw1" <<'PY' && ok || bad "residents are not drawn for their own sites (the squad has others)"
import sys
for pick in open(sys.argv[1]).read().split():
    site, who = pick.split(":")
    n = int(site[2:])
    assert who != "甲 乙 丙".split()[n % 3], pick
PY
expect 0 "without a seed, one is made and printed" $HC --today 2026-10-20 plan --random 1
has out "seed [0-9a-f]{16}" "the new seed is printed"
same "$(sql "SELECT count(*) FROM events WHERE kind = 'plan.draw'")" 5 "every draw is in the event log"

# anyone can re-draw from the log: an independent implementation of rng.c's documentation
sql "SELECT data FROM events WHERE kind = 'plan.draw' ORDER BY seq" > "$T/draws.jsonl"
python3 - "$T/draws.jsonl" <<'PY' && ok || bad "the documented algorithm repeats every recorded draw"
import hashlib, json, sys
def values(seed):
    i = 0
    while True:
        h = hashlib.sha256(f"hazcheck-draw/1|{seed}|{i}".encode()).digest()
        yield int.from_bytes(h[:8], "big")
        i += 1
def below(g, n):
    if n <= 1:
        return 0
    limit = 2**64 - 2**64 % n
    while True:
        v = next(g)
        if v < limit:
            return v % n
for line in open(sys.argv[1]):
    rec = json.loads(line)
    g, c = values(rec["seed"]), list(rec["candidates"])
    for j in range(rec["k"]):
        r = j + below(g, len(c) - j)
        c[j], c[r] = c[r], c[j]
    rosters = {r["squad"]: r["inspectors"] for r in rec["rosters"]}
    for j, pick in enumerate(rec["picks"]):
        names = rosters.get(c[j]["squad"], [])
        others = [x for x in names if x != c[j]["resident"]] or names
        who = others[below(g, len(others))] if others else None
        assert (pick["site"], pick["inspector"]) == (c[j]["site"], who), (pick, c[j], who)
PY
expect 0 "audit verify re-draws" $HC audit verify

# a forged draw: the picks rewritten and the chain rehashed would need the chain's
# secret-free hashes recomputed; here the row is edited, so the chain breaks first
sql "UPDATE events SET data = replace(data, '\"seed\":\"2026W43\"', '\"seed\":\"2026W44\"') WHERE kind = 'plan.draw'"
expect 1 "audit catches an edited draw" $HC audit verify
has err "event [0-9]+ \(plan.draw" "the edited draw is named"

expect 1 "a bad seed" $HC plan --random 1 --seed "a b"
has err "seed" "the seed is explained"
expect 1 "a bad date" $HC plan --from 2026-02-30
expect 1 "plan takes no arguments" $HC plan extra
printf 'plan_weights:\n  open_majr: 10\n' > "$T/config.yaml"
HAZCHECK_CONFIG="$T/config.yaml" expect 1 "an unknown weight" $HC plan
has err "did you mean 'open_major'" "near misses are named"
printf 'plan_weights:\n  never_visited: 500\n' > "$T/config.yaml"
HAZCHECK_CONFIG="$T/config.yaml" expect 0 "weights from the configuration" $HC --today 2026-10-20 plan
has out "never inspected by the bureau \(\+500\)" "the configured weight is used"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
