#!/bin/sh
# The printed documents, in a real browser: each kind of page is rendered by
# headless Chromium to PDF and PNG; the PDF's page count and text layer are
# checked (pdftotext), the HTML is validated (tidy), and values from files are
# shown as text, never as markup. The PNGs are kept in $BUILD/artifacts/ to look at.
# Ends with "N passed, M failed".
BUILD=${BUILD:-build}
HC="${HC_WRAP:+$HC_WRAP }$(pwd)/$BUILD/hazcheck"   # HC_WRAP: e.g. valgrind (make valgrind)
D="$(pwd)/tests/data"
ART="$(pwd)/$BUILD/artifacts"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$ART"
export HAZCHECK_DB="$T/docs.db" HAZCHECK_USER=tester HOME="$T"
export LANG=zh_CN.UTF-8      # the papers are handed to Chinese enterprises
P="--packs $D/packs"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

render() {   # name.html -> name.pdf and name-N.png in $ART
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$T/chromium" --no-pdf-header-footer \
        --print-to-pdf="$ART/$1.pdf" "file://$T/$1.html" >/dev/null 2>&1
    [ -s "$ART/$1.pdf" ] && ok || { bad "$1: chromium made no PDF"; return 1; }
    rm -f "$ART/$1"-*.png
    pdftoppm -r 50 -png "$ART/$1.pdf" "$ART/$1"
    # and a phone-sized screenshot of the page itself
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$T/chromium" --window-size=390,1400 --hide-scrollbars \
        --screenshot="$ART/$1-phone.png" "file://$T/$1.html" >/dev/null 2>&1
    [ -s "$ART/$1-phone.png" ] && ok || bad "$1: no phone screenshot"
}
pages() {    # name min max
    n=$(pdfinfo "$ART/$1.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
    if [ -n "$n" ] && [ "$n" -ge "$2" ] && [ "$n" -le "$3" ]; then ok; else bad "$1: $n pages, expected $2-$3"; fi
}
says() {     # name text...
    f=$1; shift
    pdftotext "$ART/$f.pdf" "$T/$f.txt" 2>/dev/null
    # the text layer may break lines anywhere: compare without white space
    tr -d ' \n\r\t' < "$T/$f.txt" > "$T/$f.flat"
    for s in "$@"; do
        flat=$(printf '%s' "$s" | tr -d ' \n\r\t')
        if grep -qF -- "$flat" "$T/$f.flat"; then ok; else bad "$f: PDF text lacks '$s'"; fi
    done
}
valid() {    # name: tidy finds no errors or warnings
    if tidy -q -e "$T/$1.html" > "$T/$1.tidy" 2>&1; then ok; else bad "$1: tidy: $(head -3 "$T/$1.tidy")"; fi
}

# a site whose name and notes try to inject markup
cat > "$T/xss.yaml" <<'YAML'
inspection:
  id: xss-1
  site: {id: x1, name: "<script>alert(1)</script>某厂 & \"Co\"", district: 章丘区, contact: "<b>张</b>", dust: {dry_collection: true}}
  checklist: mini
  date: 2026-09-09
  inspector: 孟凡辉
answers:
  D03: {explosion_control: none, note: "<img src=x onerror=alert(2)>泄爆口缺失", evidence: ["a\"b.jpg"]}
  G01: {thickness_mm: 2.5, blown: yes}
  G02: {devices: [rotary_valve], code: "</td>", count: 1}
YAML
$HC $P record "$T/xss.yaml" >/dev/null 2>&1
$HC $P record "$D/mini-inspection.yaml" >/dev/null 2>&1

# 1. the inspection report with its rectification notice
$HC report insp-0001 --format html -o "$T/report.html" && ok || bad "report html"
valid report
render report && {
    pages report 3 5
    says report 章丘某木制品加工有限公司 隐患整改通知书 整改复查记录 重大事故隐患 应急管理部令第10号）第十一条 停止使用相关设施设备 2026-11-08
}
# 1b. a re-inspection: only what it re-checked, and the 整改复查意见书 filled in
cat > "$T/re.yaml" <<'YAML'
inspection: {id: insp-0001-re, site: "370181-0042", checklist: mini, date: 2026-09-30, inspector: 孟凡辉}
answers:
  D03: {explosion_control: venting}
YAML
$HC $P reinspect insp-0001 "$T/re.yaml" >/dev/null 2>&1
$HC report insp-0001-re --format html -o "$T/opinion.html" && ok || bad "re-inspection report html"
valid opinion
render opinion && {
    pages opinion 2 3
    says opinion 整改复查意见书 已整改合格 "2026年9月9日" "2026年9月30日" 复查人员（签名） 被复查单位负责人（签名）
    if grep -qF "未作答" "$T/opinion.txt"; then bad "opinion: lists unanswered items"; else ok; fi
}

# 2. escaping: the injected site renders as text
$HC report xss-1 --format html -o "$T/xss.html" && ok || bad "report html (xss)"
valid xss
if grep -q "<script>alert" "$T/xss.html" || grep -q "<img src=x" "$T/xss.html" || grep -q "<b>张</b>" "$T/xss.html"; then
    bad "xss: markup from the data reached the page"
else ok; fi
if grep -q "&lt;script&gt;alert(1)&lt;/script&gt;" "$T/xss.html"; then ok; else bad "xss: the name is not shown escaped"; fi
render xss && says xss "<script>alert(1)</script>某厂" "<img src=x onerror=alert(2)>泄爆口缺失"
# 3. monthly figures with charts
python3 - "$T" <<'PY'
import sys, random
random.seed(7)
t = sys.argv[1]
with open(f"{t}/figures.yaml", "w") as out:
    for i in range(60):
        m, site = 4 + i % 6, i % 12
        out.write(f"---\ninspection: {{id: f{i}, site: {{id: s{site}, name: 企业{site}, district: {['章丘区','历城区','长清区'][site % 3]}, "
                  f"squad: {['一中队','二中队','三中队','四中队'][site % 4]}, industry: {['woodworking','metal'][site % 2]}, dust: {{dry_collection: true}}}}, "
                  f"checklist: mini, date: 2026-{m:02d}-{1 + i % 27:02d}}}\n")
        out.write(f"answers: {{D03: {{explosion_control: {'none' if random.random() < .2 else 'venting'}}}, "
                  f"G01: {{thickness_mm: {3 if random.random() < .4 else 0.2}, blown: no}}, G02: {{devices: [rotary_valve], code: X, count: 1}}}}\n")
PY
$HC $P record "$T/figures.yaml" >/dev/null 2>&1
$HC enforce s1 penalty --amount 30000 --date 2026-07-09 >/dev/null 2>&1
$HC --today 2026-09-30 stats --since 2026-04-01 --until 2026-09-30 --format html -o "$T/stats.html" && ok || bad "stats html"
valid stats
render stats && {
    pages stats 1 3
    says stats 安全检查工作统计 各月检查与隐患 各中队发现隐患 各辖区发现隐患 2026-04 一中队 章丘区 30,000
}
grep -q "<svg" "$T/stats.html" && grep -q 'class="major"' "$T/stats.html" && ok || bad "stats: no SVG bars"
# 4. the checklist as a blank form
$HC $P show mini --format html -o "$T/form.html" && ok || bad "show html"
valid form
render form && { pages form 1 3; says form 测试检查表 控爆措施 干式除尘系统应采取控爆措施 符合 不适用; }
# a shipped pack's form: applicability in words and choices by their labels, never Lua or codes
$HC --packs "$(pwd)/checklists" --rules "$(pwd)/rules" show dust-explosion --format html -o "$T/dust-form.html" && ok || bad "show html (dust)"
if grep -qE "site\.|obs\.|==|~=" "$T/dust-form.html"; then bad "dust form: a Lua condition is printed"; else ok; fi
grep -qF "适用于：采用干式除尘的" "$T/dust-form.html" && ok || bad "dust form: applicability in words"
grep -qF "适用范围：涉及可燃性粉尘的" "$T/dust-form.html" && ok || bad "dust form: the pack's scope in words"
if grep -qE "☐</span> [a-z][a-z_]*[　<]" "$T/dust-form.html"; then bad "dust form: a choice shown by its code"; else ok; fi
grep -qF "☐</span> 星型卸灰阀" "$T/dust-form.html" && ok || bad "dust form: a choice by its label"
# 5. CSV for spreadsheets: byte order mark, RFC 4180
$HC actions --format csv > "$T/actions.csv" && ok || bad "actions csv"
head -c 3 "$T/actions.csv" | od -An -tx1 | grep -q "ef bb bf" && ok || bad "actions csv has no BOM"
python3 - "$T/actions.csv" "$T/findings.csv" <<'PY' && ok || bad "csv does not parse back"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert rows[0][:4] == ["编号", "单位编号", "单位名称", "检查编号"], rows[0]   # headings in Chinese
assert all(len(r) == len(rows[0]) for r in rows), "a row is not as wide as the headings"
assert any("<script>alert(1)</script>某厂 & \"Co\"" == r[2] for r in rows[1:]), "quoted name lost"
PY
$HC report xss-1 --format csv > "$T/findings.csv" && ok || bad "findings csv"
python3 -c "
import csv,sys
rows=list(csv.reader(open('$T/findings.csv',encoding='utf-8-sig',newline='')))
assert rows[0][0]=='检查编号' and len(rows)==4, rows
assert any('<img src=x onerror=alert(2)>泄爆口缺失' in r for r in rows)
" && ok || bad "findings csv content"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
