#!/bin/sh
# End-to-end tests of the closed loop: record, actions, re-inspection,
# enforcement, audit after tampering, concurrent recording, and a batch
# killed with SIGKILL. Ends with "N passed, M failed".
# CLI_LOOP_DB=postgresql runs it all on PostgreSQL (tests/run.sh's server,
# $HAZCHECK_TEST_PG): every database below is then one of that server's, made
# empty when first named; otherwise each is a SQLite file. The same commands,
# the same expectations, on both.
BUILD=${BUILD:-build}
HC="${HC_WRAP:+$HC_WRAP }$(pwd)/$BUILD/hazcheck"   # HC_WRAP: e.g. valgrind (make valgrind)
D="$(pwd)/tests/data"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ON_PG=
if [ "$CLI_LOOP_DB" = postgresql ]; then
    [ -n "$HAZCHECK_TEST_PG" ] || { echo "no PostgreSQL server (\$HAZCHECK_TEST_PG)"; echo "0 passed, 1 failed"; exit 1; }
    ON_PG=1
    export PGOPTIONS="-c client_min_messages=warning"
fi
# the --db of database NAME, made empty (on PostgreSQL, loop_NAME)
newdb() {
    if [ -n "$ON_PG" ]; then
        psql -qAt "$HAZCHECK_TEST_PG" -c "DROP DATABASE IF EXISTS loop_$1 WITH (FORCE)" -c "CREATE DATABASE loop_$1" >/dev/null
        echo "$HAZCHECK_TEST_PG" | sed "s|/hazcheck?|/loop_$1?|"
    else
        rm -f "$T/$1.db" "$T/$1.db-wal" "$T/$1.db-shm"
        echo "$T/$1.db"
    fi
}
# the --db of NAME, a copy of the database FROM
copydb() {
    if [ -n "$ON_PG" ]; then
        from=$(echo "$1" | sed 's|^postgresql://[a-z]*@/\([a-z_]*\)?.*|\1|')
        psql -qAt "$HAZCHECK_TEST_PG" -c "DROP DATABASE IF EXISTS loop_$2 WITH (FORCE)" \
            -c "CREATE DATABASE loop_$2 TEMPLATE $from" >/dev/null
        echo "$HAZCHECK_TEST_PG" | sed "s|/hazcheck?|/loop_$2?|"
    else
        cp "$1" "$T/$2.db"
        echo "$T/$2.db"
    fi
}
# SQL run in database DB as someone editing it by hand would
sqlon() {
    case $1 in
    postgresql://*) psql -qAt -v ON_ERROR_STOP=1 "$1" -c "$2" ;;
    *) sqlite3 "$1" "$2" ;;
    esac
}
# the values of EXPR over the rows of FROM (ordered by ORDER), joined by spaces
joined() {
    if [ -n "$ON_PG" ]; then echo "SELECT string_agg($1, ' ' ORDER BY $3) FROM $2"
    else echo "SELECT group_concat($1, ' ') FROM (SELECT * FROM $2 ORDER BY $3)"; fi
}
export HAZCHECK_DB="$(newdb loop)" HAZCHECK_USER=tester
P="--packs $D/packs --rules $D/rules"
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
hasnt() { if grep -qE -- "$2" "$T/$1"; then bad "$3: /$2/ in $1"; else ok; fi; }
sql() { sqlon "$HAZCHECK_DB" "$1"; }
same() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }
# the papers are handed to Chinese enterprises: their wording is checked in Chinese
# (the suite itself runs in English, the source language)
ZH="env LANGUAGE=zh_CN LANG=zh_CN.UTF-8"

# --- record and the site register
expect 3 "record a major hazard" $HC $P --today 2026-09-10 record $D/mini-inspection.yaml
has out "recorded insp-0001: 370181-0042 .*major-hazard.*1 action opened" "record says what it did"
expect 3 "record again" $HC $P record $D/mini-inspection.yaml
has out "insp-0001: already recorded, nothing changed" "re-recording changes nothing"
same "$(sql 'SELECT count(*) FROM inspections')" 1 "one inspection"
same "$(sql 'SELECT count(*) FROM actions')" 1 "one action"
expect 0 "site add" $HC site add $D/site.yaml
has out "370181-0042: updated \(change logged\)" "a richer profile updates the site"
expect 0 "site add again" $HC site add $D/site.yaml
has out "unchanged" "an identical profile changes nothing"
expect 3 "record a batch naming a registered site" $HC $P record $D/batch.yaml
has out "3 recorded, 0 already recorded, 0 not recorded" "batch summary"
same "$(sql "SELECT count(*) FROM actions WHERE status = 'open'")" 3 "b2 and b3 each opened one action"
expect 0 "site list" $HC site list
has out "370181-0042 +3 " "site list shows open actions"
expect 0 "site show json" $HC site show 370181-0042 --format json
has out '"inspections": \[' "site show lists inspections"
has out '"squad": "四中队"' "site show has the profile"

# --- ids people type (cli.md "Ids")
expect 0 "report by a unique prefix of 6" $HC report insp-0 --format json
has out '"id": "insp-0001"' "the prefix names the inspection"
expect 0 "the notice as text" $HC report insp-0001 --format text
has out "《工贸企业重大事故隐患判定标准》（应急管理部令第10号）第十一条第（三）项" "the basis is cited in full, not as MEM10-2023 第十一条(三)"
hasnt out "MEM10-2023" "no source code is left for the enterprise to resolve"
printf 'authority: 济南市章丘区应急管理局\nnotice_number: 章应急责改〔{year}〕{seq}号\n' > "$T/papers.yaml"
HAZCHECK_CONFIG="$T/papers.yaml" expect 0 "the notice with the bureau's numbering" $ZH $HC report insp-0001 --format text
has out "隐患整改通知书  章应急责改〔2026〕1号  济南市章丘区应急管理局" "numbered by the configured pattern, issued in the authority's name"
# papers show people's names and clocks, and the site as it was on the visit's date
HAZCHECK_USER=login42 expect 0 "the report as HTML" $ZH $HC report insp-0001 --format html
hasnt out "login42|tester" "the papers never print the login that recorded the inspection"
has out "检查人员</th><td>孟凡辉" "the inspector, by name"
has out "记录时间</th><td>20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]<" "the time of recording, to the minute, local"
# the same papers in English, the source language: the templates' words translated back
HAZCHECK_CONFIG="$T/papers.yaml" expect 0 "the notice in English" $HC report insp-0001 --format text
has out "^Hazard rectification notice  章应急责改〔2026〕1号  济南市章丘区应急管理局" "the notice's title in English"
hasnt out "安全检查报告|隐患整改通知书|检查日期|检查人员|整改期限|其中第|现场处理|属于重大事故隐患" "no Chinese word of the template left in English"
# nor of the model: its dates, its default notice number and a form's yes/no (the
# bureau's configured pattern above stays as configured)
expect 0 "the notice in English, numbered by default" $HC report insp-0001 --format text
has out "^Hazard rectification notice  No\. 2026-1" "the default number in English"
hasnt out "编号|[0-9]年[0-9]+月" "no Chinese date or number label in English"
expect 0 "the notice in Chinese, numbered by default" $ZH $HC report insp-0001 --format text
has out "隐患整改通知书  编号：2026-1" "the default number in Chinese"
expect 0 "a form in English" $HC $P show mini --format md
has out "☐ yes ☐ no" "a yes/no input's choices in English"
expect 0 "a form in Chinese" $ZH $HC $P show mini --format md
has out "☐ 是 ☐ 否" "and in Chinese"
expect 0 "a printed form in English" $HC $P show mini --format html
has out '^<html lang="en">' "a page says it is in English"
expect 0 "a printed form in Chinese" $ZH $HC $P show mini --format html
has out '^<html lang="zh-CN">' "and in Chinese"
Q="--db $(newdb then)"
expect 3 "a visit before a listing" $HC $Q $P --today 2026-09-10 record $D/mini-inspection.yaml
expect 0 "the site listed later" $HC $Q enforce 370181-0042 list --date 2026-09-20
expect 0 "the earlier visit's report" $HC $Q report insp-0001 --format text
hasnt out "列入严重失信主体名单" "a paper shows the site's status on its own date, not today's"
sed -e 's/id: insp-0001/id: insp-0002/' -e 's/date: 2026-09-09/date: 2026-09-25/' $D/mini-inspection.yaml > "$T/later.yaml"
expect 3 "a visit after the listing" $HC $Q $P --today 2026-09-25 record "$T/later.yaml"
expect 0 "the later visit's report" $HC $Q report insp-0002 --format text
has out "列入严重失信主体名单" "a visit after the listing shows it"
expect 1 "a prefix under 6 characters" $HC report insp --format json
has err "a shortened id needs at least 6 characters" "too short is explained"
expect 0 "actions show the inspection they came from" $HC actions
has out "← insp-000" "the short inspection id in the list"
U=$(sql "SELECT uid FROM actions WHERE inspection_id = 'insp-0001'")
expect 0 "an action by its uid" $HC action "$U" assign --to 李四
same "$(sql "SELECT assignee FROM actions WHERE uid = '$U'")" 李四 "assigned through the uid"
expect 1 "an unknown uid" $HC action "nope#G01" assign --to 李四
has err "expected an action number or its uid" "unknown uid explained"

# --- actions
expect 0 "actions json" $HC --today 2026-12-01 actions --format json
python3 -c "import json,sys; a=json.load(open('$T/out')); assert len(a)==3 and all(k in a[0] for k in ('id','site','inspection','item','title','severity','status','deadline','overdue','assignee','events'))" && ok || bad "actions json has the fields of cli.md"
has out '"overdue": true' "overdue computed against --today"
A=$(sql "SELECT id FROM actions WHERE inspection_id = 'insp-0001'")
expect 1 "verify an open action" $HC action $A verify
has err "cannot verify action $A: it is open; rectify it first" "illegal transition names the state"
expect 0 "rectify" $HC action $A rectify --note "已加装泄爆口" --evidence IMG_2.jpg --evidence 验收单.pdf --cost 12000 --user 张某
expect 0 "verify" $HC action $A verify --note "现场核实"
expect 1 "verify twice" $HC action $A verify
has err "it is verified \(closed\)" "verified is closed"
expect 0 "actions --status verified" $HC actions --status verified --format json
has out '"kind": "rectify"' "events listed"
has out '"by": "张某"' "actor from --user"
has out '"cost": 12000' "cost recorded"
expect 0 "actions --site filter" $HC actions --site nope
has out "no actions" "filter by site"
expect 1 "bad status filter" $HC actions --status lost

# --- re-inspection: same hazard, not a new one
B2=$(sql "SELECT id FROM actions WHERE inspection_id = 'b2'")
cat > "$T/re.yaml" <<YAML
inspection: {id: b2-re, site: "370181-0042", checklist: mini, date: 2026-09-20, kind: reinspection}
answers:
  G01: {thickness_mm: 0.2, blown: no}
YAML
expect 0 "reinspect: fixed" $HC $P reinspect b2 "$T/re.yaml"
has out "1 verified and closed, 0 still failing, 0 new hazards" "reinspection closes what passes"
same "$(sql "SELECT status FROM actions WHERE id = $B2")" verified "the action is verified"
cat > "$T/re3.yaml" <<YAML
inspection: {id: b3-re, site: "370181-0042", checklist: mini, date: 2026-09-21}
answers:
  D03: {explosion_control: isolation}
YAML
expect 3 "reinspect: still failing" $HC $P reinspect b3 "$T/re3.yaml"
has out "0 verified and closed, 1 still failing" "still failing stays open"
same "$(sql "SELECT count(*) FROM actions WHERE inspection_id = 'b3' AND status = 'open' AND last_inspection_id = 'b3-re'")" 1 "same action, new finding attached"
same "$(sql "SELECT count(*) FROM actions")" 3 "no new action for the same hazard"
expect 1 "reinspect unknown" $HC $P reinspect nope "$T/re.yaml"
# the re-inspection's papers: what it re-checked and the 整改复查意见书, filled
expect 0 "the report of a re-inspection" $ZH $HC report b2-re --format text
has out "整改复查意见书" "a re-inspection carries the re-inspection opinion"
has out "1\. .*：(rectified; passed re-inspection|已整改合格)" "each re-checked hazard with its opinion"
has out "已整改合格 1 项，未整改完成 0 项" "the opinion's tally"
hasnt out "未作答|参考分" "no unanswered items and no score for a re-inspection"
hasnt out "D03|G02" "only the items it re-checked"
hasnt out "隐患整改通知书  " "no new notice for hazards already noticed"
expect 0 "the still-failing re-inspection as HTML" $ZH $HC report b3-re --format html
has out "class=\"notice opinion\"" "the opinion page"
has out "☒ (not rectified; rectification goes on|未整改完成，继续整改)" "a hazard still failing is marked so"
has out "应当继续整改" "and the enterprise is told to go on"

# --- enforcement shows wherever the site does
expect 0 "interview" $HC enforce 370181-0042 interview --date 2026-09-22 --basis "安全生产法 第六十五条" --note 约谈主要负责人
expect 1 "penalty without amount" $HC enforce 370181-0042 penalty
expect 0 "penalty" $HC enforce 370181-0042 penalty --amount 25000 --basis "6号令 第十五条"
expect 0 "suspend" $HC enforce 370181-0042 suspend
expect 0 "list" $HC enforce 370181-0042 list
expect 1 "resume twice fails later" sh -c "$HC enforce 370181-0042 resume && $HC enforce 370181-0042 resume"
has err "it is not suspended" "resume needs a suspension"
expect 0 "site list shows status" $HC site list
has out "operating, blacklisted" "listed shown in the site list"
expect 0 "actions show status" $HC actions
has out "\[blacklisted\]" "listed shown in actions"

# --- inspect: questions one by one, each answer checked as it is typed
printf 'none\n\n3.5\n\nmaybe\nno\nrotary_valve, screw\nA-01\n-1\n2\n' > "$T/answers.txt"
expect 3 "inspect asks and records" sh -c "cd $T && $HC $P inspect mini --site $D/site.yaml --date 2026-10-02 -o $T/typed.yaml < $T/answers.txt"
has out "blown> +! 'maybe'; expected true/false, yes/no or 是/否" "a bad answer is refused as typed"
has out "count> +! .*below the minimum 0" "a range is checked as typed"
has out "recorded .*follow-up: hazcheck actions" "inspect records the result"
python3 - "$T/typed.yaml" <<'PY' && ok || bad "inspect saves what was typed"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
a = d["answers"]
assert d["inspection"]["checklist"] == "mini@1.0" and d["inspection"]["date"].isoformat() == "2026-10-02"
assert a["D03"] == {"explosion_control": "none"}, a
assert a["G01"] == {"thickness_mm": "3.5", "blown": "no"}, a
assert a["G02"] == {"devices": ["rotary_valve", "screw"], "code": "A-01", "count": "2"}, a
PY
printf 'na 现场无此设备\n' > "$T/na.txt"
printf 'site:\n  id: wet1\n  name: 湿式企业\n  dust: {dry_collection: false}\n' > "$T/wet.yaml"
n0=$(sql 'SELECT count(*) FROM inspections')
expect 1 "inspect: input ends early without a terminal: nothing recorded" sh -c "cd $T && $HC $P inspect mini --site $T/wet.yaml --date 2026-10-03 < $T/na.txt"
has out "D03 .*does not apply, skipped" "inspect skips what does not apply"
has out "kept in inspection-wet1-2026-10-03.yaml \(1 of 3 items\); nothing recorded" "the draft is kept and named"
same "$(sql 'SELECT count(*) FROM inspections')" "$n0" "no partial inspection recorded"
grep -q '现场无此设备' "$T/inspection-wet1-2026-10-03.yaml" && ok || bad "the answer typed is in the draft"
printf '1,3\nB-7\n4\n' > "$T/rest.txt"
expect 0 "inspect --resume goes on from the draft and records" sh -c "cd $T && $HC $P inspect mini --site $T/wet.yaml --date 2026-10-03 --resume < $T/rest.txt"
hasnt out "\[2/3\] G01" "a resumed item is not asked again"
python3 - "$T/inspection-wet1-2026-10-03.yaml" <<'PY' && ok || bad "the resumed file holds both sessions' answers; choices by number"
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))["answers"]
assert a["G01"] == {"na": "现场无此设备"}, a
assert a["G02"]["devices"] == ["rotary_valve", "screw"], a   # typed as 1,3
PY
expect 4 "inspect --partial records what there is" sh -c "cd $T && $HC $P inspect mini --site $T/wet.yaml --date 2026-10-03 --partial < $T/na.txt"
[ -f "$T/inspection-wet1-2026-10-03-2.yaml" ] && ok || bad "a second inspection of the day does not overwrite the first file"
printf 'none\n\nback\nnone\n\n2.5\nevidence IMG_9.jpg\nnote 地面积尘\n\nno\n' > "$T/back.txt"
expect 1 "back returns to the item before" sh -c "cd $T && $HC $P inspect mini --site $D/site.yaml --date 2026-10-04 -o $T/back.yaml < $T/back.txt"
python3 - "$T/back.yaml" <<'PY' && ok || bad "after back, the item is answered again; evidence and note kept"
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))["answers"]
assert a["D03"] == {"explosion_control": "none"}, a
assert a["G01"]["evidence"] == ["IMG_9.jpg"] and a["G01"]["note"] == "地面积尘", a
PY
# a list input is asked row by row, field by field; an empty first field ends it
mkdir -p "$T/lp"
cat > "$T/lp/roster.yaml" <<'YAML'
hazcheck: 1
id: roster
version: "1"
title: 特种作业人员
items:
  - id: R1
    title: 特种作业人员持证上岗
    inputs:
      people:
        type: list
        label: 人员
        fields:
          name: {type: text, label: 姓名}
          certified: {type: bool, label: 持证}
    check: "(function() for _, p in ipairs(obs.people) do if not p.certified then return false end end return true end)()"
YAML
printf '张三\nyes\n李四\n否\n\n' > "$T/rows.txt"
expect 2 "inspect: a list asked row by row" sh -c "cd $T && $HC --packs $T/lp --rules $D/rules inspect roster --site $D/site.yaml --date 2026-10-06 -o $T/rows.yaml < $T/rows.txt"
has out "人员 2, 姓名> " "the second row is asked by its field's label"
python3 - "$T/rows.yaml" <<'PY' && ok || bad "the rows typed are the list in the file"
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))["answers"]
assert a["R1"]["people"] == [{"name": "张三", "certified": "yes"}, {"name": "李四", "certified": "否"}], a
PY
expect 1 "inspect without a site" $HC $P inspect mini

# --- the log is trustworthy
expect 0 "audit verify" $HC audit verify
has out "chain intact" "audit intact"
COPY=$(copydb "$HAZCHECK_DB" copy)
sql "UPDATE events SET note = '改过' WHERE seq = 3" > /dev/null
expect 1 "audit after tampering" $HC audit verify
has err "event 3 .*bad: its contents were altered" "first bad event named"
sql "DELETE FROM events WHERE seq = 3" > /dev/null
expect 1 "audit after deletion" $HC audit verify
has err "event 4 .*bad" "a removed event is found"
# the tables the figures read are vouched for too: edits in the sqlite3 shell (or psql) are named
for edit in "UPDATE enforcement SET amount = 250 WHERE measure = 'penalty'|enforcement measure '370181-0042/penalty/.*changed outside" \
            "UPDATE actions SET status = 'verified', cost = cost + 1 WHERE id = 1|action '.*#.*' is not what event [0-9]* wrote" \
            "UPDATE sites SET listed = 0|site '370181-0042' is not what event" \
            "DELETE FROM findings WHERE rowid = 1|the findings of inspection '.*changed outside" \
            "INSERT INTO enforcement (uid, site_id, measure, date, \"by\") VALUES ('x', '370181-0042', 'interview', '2026-09-30', 'me')|enforcement measure 'x' was written by no event"; do
    EDIT=$(copydb "$COPY" edit)
    sqlon "$EDIT" "${edit%%|*}" > /dev/null
    expect 1 "audit after: ${edit%%|*}" $HC --db "$EDIT" audit verify
    has err "${edit#*|}" "audit names the row: ${edit%%|*}"
done
EDIT=$(copydb "$COPY" edit)
expect 0 "audit of the untouched copy" $HC --db "$EDIT" audit verify
has out "every table as the log wrote it" "the untouched copy: chain and tables"
# import says what it added and what it already had
IMPORTED=$(newdb imported)
expect 0 "export the copy" $HC --db "$COPY" export -o "$T/all.bundle"
expect 0 "import into an empty database" $HC --db "$IMPORTED" import "$T/all.bundle"
has out "^  inspections +[1-9][0-9]* +0 +0$" "import: the inspections added"
has out "^  events +[1-9][0-9]* +0 +0$" "import: the events added"
expect 0 "import again" $HC --db "$IMPORTED" import "$T/all.bundle"
has out "^  inspections +0 +0 +[1-9][0-9]*$" "import again: nothing added, every inspection already here"
expect 0 "audit of the imported database" $HC --db "$IMPORTED" audit verify
# a bundle edited after export (the penalty 25000 made 250) is refused whole
sed 's/"amount":25000/"amount":250/' "$T/all.bundle" > "$T/edited.bundle"
! cmp -s "$T/all.bundle" "$T/edited.bundle" && ok || bad "the edit changed the bundle"
FRESH=$(newdb fresh)
expect 1 "import of an edited bundle" $HC --db "$FRESH" import "$T/edited.bundle"
has err "edited.bundle:[0-9]*:1: .*does not match its SHA-256 digest" "the refusal names the bundle, its end record and why"
[ "$(sqlon "$FRESH" "SELECT count(*) FROM inspections")" = 0 ] && ok || bad "nothing of a refused bundle is written"

# --- the accounts of serve (cli.md "Serving many users")
USERS=$(newdb users)
U="--db $USERS"
expect 0 "user add: the password from standard input" sh -c "echo 'correct horse' | $HC $U user add 局长 --role admin"
has out "user 局长 added" "user add says so"
expect 1 "user add: a short password" sh -c "echo short | $HC $U user add 短 --role admin"
has err "8 to 256 characters" "the password rule is named"
expect 1 "user add: an inspector without a squad" sh -c "echo 'correct horse' | $HC $U user add 王芳 --role inspector"
has err "expected the squad" "an inspector needs a squad"
expect 1 "user add: no password at all" sh -c "$HC $U user add 空 --role admin < /dev/null"
has err "no password on standard input" "an empty input is refused"
expect 0 "user add: an inspector" sh -c "printf 'correct horse\\r\\n' | $HC $U user add 王芳 --role inspector --squad 一中队"
expect 0 "user list" $HC $U user list
has out "^王芳 +inspector +一中队" "the list: name, role and reach"
hasnt out "argon2" "never a password hash"
expect 0 "user passwd" sh -c "echo 'battery staple' | $HC $U user passwd 王芳"
expect 0 "user disable" $HC $U user disable 王芳
expect 1 "user disable again" $HC $U user disable 王芳
has err "is disabled" "a disabled user stays so"
expect 0 "user list as JSON" $HC $U user list --format json
python3 -c "import json; u=json.load(open('$T/out')); assert [x['name'] for x in u] == ['局长', '王芳'] and u[1]['disabled_at'] and 'password' not in u[1], u" && ok || bad "user list json: names, disabled, no password"
same "$(sqlon "$USERS" "$(joined kind "events WHERE kind LIKE 'user.%'" seq)")" "user.add user.add user.passwd user.disable" "every account change is an event"
expect 0 "audit covers the accounts" $HC $U audit verify
sqlon "$USERS" "UPDATE users SET role = 'admin' WHERE name = '王芳'" > /dev/null
expect 1 "audit after a role raised in the shell" $HC $U audit verify
has err "user '王芳' is not what event" "the edited account is named"

# --- two processes recording into one database at once
# a pack out of force: recorded, and every paper says so (formats.md "Validity of a pack")
export HAZCHECK_DB="$(newdb late)"
sed 's/date: 2026-09-09/date: 2026-10-15/' examples/chemical-park-inspection.yaml > "$T/late.yaml"
expect 3 "record an inspection under a pack no longer in force" $HC --packs checklists --rules rules record "$T/late.yaml"
LATE=$(sql "SELECT id FROM inspections")
expect 0 "its report" $ZH $HC report "$LATE" --format text
has out "注意：检查表 hazchem-major 2017.1 适用至2026-09-29" "the report says the pack is out of force"
[ "$(grep -c '注意：检查表 hazchem-major' "$T/out")" -ge 2 ] && ok || bad "the notice says it too"
expect 0 "its report as JSON" $HC report "$LATE" --format json
has out '"warnings": \[' "the report's data carries the warning"

export HAZCHECK_DB="$(newdb conc)"
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
for n in ("a", "b"):
    with open(f"{t}/conc-{n}.yaml", "w") as f:
        for i in range(60):
            f.write(f"---\ninspection: {{id: {n}{i}, site: {{id: s{n}{i % 5}, name: 企业{n}{i % 5}, dust: {{dry_collection: true}}}}, checklist: mini, date: 2026-09-01}}\n")
            f.write("answers: {D03: {explosion_control: none}, G01: {thickness_mm: 2, blown: no}, G02: {devices: [rotary_valve], code: X, count: 1}}\n")
PY
$HC $P record "$T/conc-a.yaml" > "$T/a.out" 2>&1 &
pa=$!
$HC $P record "$T/conc-b.yaml" > "$T/b.out" 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
same "$ra/$rb" "3/3" "both concurrent batches succeed"
[ "$ra/$rb" = "3/3" ] || { cat "$T/a.out" "$T/b.out" | grep -v '^recorded' | head -5; }
same "$(sql 'SELECT count(*) FROM inspections')" 120 "every inspection present once"
same "$(sql 'SELECT count(*) FROM actions')" 240 "every action present once"
expect 0 "audit after concurrent writers" $HC audit verify

# --- SIGKILL in the middle of a large batch: only whole inspections remain
export HAZCHECK_DB="$(newdb kill)"
"$BUILD/benchgen" 8000 > "$T/big.yaml"
$HC --packs bench record "$T/big.yaml" > /dev/null 2>&1 &
pk=$!
# kill once some inspections are in (however fast this machine, or valgrind, is)
for i in $(seq 1 300); do
    [ "$(sql 'SELECT count(*) FROM inspections' 2>/dev/null || echo 0)" -ge 50 ] && break
    sleep 0.1
done
kill -9 $pk 2>/dev/null
wait $pk 2>/dev/null
# (a SQLite file's own check; a PostgreSQL server outlives its killed client)
[ -n "$ON_PG" ] || same "$(sql 'PRAGMA integrity_check')" ok "integrity_check after SIGKILL"
n=$(sql 'SELECT count(*) FROM inspections')
if [ "$n" -gt 0 ] && [ "$n" -lt 8000 ]; then ok; else bad "the kill should land mid-batch (got $n inspections)"; fi
same "$(sql 'SELECT count(*) FROM inspections WHERE (SELECT count(*) FROM findings f WHERE f.inspection_id = inspections.id) <> 30')" 0 "no half-written inspection"
expect 0 "audit after SIGKILL" $HC audit verify
expect 3 "recording the batch again completes it" $HC --packs bench record "$T/big.yaml"
same "$(sql 'SELECT count(*) FROM inspections')" 8000 "all inspections after the rerun"

# --- corrections (cli.md "Corrections"): nothing deleted, voids logged with a reason
CORRECT=$(newdb correct)
C="--db $CORRECT"
expect 3 "corrections: record" $HC $C $P --today 2026-09-10 record $D/mini-inspection.yaml
expect 0 "corrections: a penalty" $HC $C enforce 370181-0042 penalty --amount 25000 --date 2026-09-12
expect 0 "corrections: a listing" $HC $C enforce 370181-0042 list --date 2026-09-13
expect 1 "void without a reason" $HC $C enforce void '370181-0042#2'
has err "needs a reason" "a void needs a reason"
expect 1 "void of a measure that is not there" $HC $C enforce void '370181-0042#9' --reason x
has err "has no measure 9" "the missing measure is named"
expect 0 "void the listing" $HC $C enforce void '370181-0042#2' --reason "录错单位"
same "$(sqlon "$CORRECT" "SELECT listed FROM sites")" 0 "the site is no longer listed once its listing is void"
expect 0 "site show marks the void measure" $HC $C site show 370181-0042
has out "#2  2026-09-13  list .*\\[void: 录错单位\\]" "site show: the void measure marked, with its reason"
expect 0 "stats after the void" $HC $C stats --format json
python3 -c "import json; s=json.load(open('$T/out')); assert s['listed'] == 0 and s['penalties']['count'] == 1, s" && ok || bad "a void measure no longer counts; the others do"
expect 0 "void the inspection" $HC $C inspection void insp-0001 --reason "重复录入"
expect 1 "void it again" $HC $C inspection void insp-0001 --reason "again"
has err "already void" "a void is final"
expect 0 "stats after the inspection's void" $HC $C stats --format json
python3 -c "import json; s=json.load(open('$T/out')); assert s['inspections'] == 0 and s['hazards'] == {'general': 0, 'major': 0}, s" && ok || bad "a void inspection and its actions no longer count"
expect 0 "open actions after the void" $HC $C actions --status open
has out "no actions" "a void action is not open"
expect 0 "all actions still show it" $HC $C actions
has out "\\[void: 重复录入\\]" "the void action stays visible, marked"
expect 1 "a void action takes no step" $HC $C action 1 verify
has err "is void" "the refusal says why"
expect 0 "the report of a void inspection" $HC $C report insp-0001 --format text
has out "VOID|已作废" "the report is marked void"
same "$(sqlon "$CORRECT" "$(joined kind "events WHERE kind LIKE '%void%'" seq)")" "enforce.void inspection.void" "each void is an event"
expect 0 "audit after corrections" $HC $C audit verify
# an amendment: the file recorded with a misread value, corrected in place
AMEND=$(newdb amend)
A="--db $AMEND"
expect 3 "amend: record" $HC $A $P --today 2026-09-10 record $D/mini-inspection.yaml
sed -e 's/id: insp-0001/id: insp-0001a/' -e 's/thickness_mm: 0.5/thickness_mm: 3/' $D/mini-inspection.yaml > "$T/amended.yaml"
expect 1 "inspection amend without a reason" $HC $A $P inspection amend insp-0001 "$T/amended.yaml"
has err "needs a reason" "an amendment needs a reason"
expect 1 "inspection amend under the same id" $HC $A $P inspection amend insp-0001 $D/mini-inspection.yaml --reason x
has err "id of its own" "the corrected file needs an id of its own"
expect 3 "inspection amend" $HC $A $P inspection amend insp-0001 "$T/amended.yaml" --reason "积尘厚度录错"
has out "insp-0001a corrects insp-0001.*1 actions carried over, 0 voided, 1 new" "amend says what it carried over and opened"
same "$(sqlon "$AMEND" "$(joined "inspection_id || ':' || item" "actions WHERE voided_at IS NULL" item)")" "insp-0001a:D03 insp-0001a:G01" "the open actions belong to the corrected inspection"
same "$(sqlon "$AMEND" "SELECT id FROM actions WHERE item = 'D03'")" 1 "the carried action keeps its number"
expect 0 "stats after the amendment" $HC $A stats --format json
python3 -c "import json; s=json.load(open('$T/out')); assert s['inspections'] == 1 and s['hazards']['general'] + s['hazards']['major'] == 2, s" && ok || bad "the amended inspection counts once, its hazards once"
expect 0 "audit after the amendment" $HC $A audit verify

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
