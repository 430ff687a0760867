#!/bin/sh
# The catalogue's two jobs:
#   po.sh extract OUT.pot   every word for people: _("...") and N_("...") in src/,
#                           {{_ ...}} in templates/ (xgettext cannot read those)
#   po.sh check             every one of them has a Chinese translation in po/zh_CN.po
#                           (and po/parts/*.po while work is being merged); lists the
#                           missing ones and fails if any is missing or fuzzy
set -e
cd "$(dirname "$0")/.."
case "$1" in
extract)
    out=$2
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=hc_trn:1,2 \
        --keyword=hc_diags_add:6 --flag=hc_diags_add:6:c-format --keyword=fail_at:5 --flag=fail_at:5:c-format \
        --keyword=perr:3 --keyword=rerr:3 --keyword=problem:3 --flag=problem:3:c-format \
        --keyword=bad:3 --flag=bad:3:c-format --keyword=hc_store_error:3 --add-comments=TRANSLATORS \
        --package-name=hazcheck --msgid-bugs-address=none --no-wrap --sort-by-file \
        -o "$tmp/src.pot" $(ls src/*/*.c src/*/*.h)
    python3 - "$tmp/tpl.pot" templates/* <<'PY'
import re, sys
out, files = sys.argv[1], sys.argv[2:]
seen = {}
for f in files:
    text = open(f, encoding="utf-8").read()
    for m in re.finditer(r"\{\{_\s+(.*?)\s*\}\}", text, re.S):
        line = text.count("\n", 0, m.start()) + 1
        seen.setdefault(m.group(1), []).append(f"{f}:{line}")
def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
with open(out, "w", encoding="utf-8") as o:
    o.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    for msgid, refs in seen.items():
        o.write("#: " + " ".join(refs) + "\n")
        o.write(f"msgid {q(msgid)}\nmsgstr \"\"\n\n")
PY
    msgcat --use-first --no-wrap -o "$out" "$tmp/src.pot" "$tmp/tpl.pot"
    ;;
check)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    sh tools/po.sh extract "$tmp/all.pot"
    msgcat --use-first --no-wrap -o "$tmp/cat.po" po/zh_CN.po $(ls po/parts/*.po 2>/dev/null)
    msgmerge -q --no-fuzzy-matching --no-wrap -o "$tmp/merged.po" "$tmp/cat.po" "$tmp/all.pot"
    msgattrib --untranslated --no-obsolete --no-wrap -o "$tmp/missing.po" "$tmp/merged.po"
    msgattrib --only-fuzzy --no-obsolete --no-wrap -o "$tmp/fuzzy.po" "$tmp/merged.po"
    # entries besides the header (msgid ""); msgattrib writes no file when none is left
    entries() { if [ -f "$1" ]; then n=$(grep -c '^msgid ' "$1" || true); echo $((n - 1)); else echo 0; fi; }
    missing=$(entries "$tmp/missing.po")
    fuzzy=$(entries "$tmp/fuzzy.po")
    total=$(entries "$tmp/all.pot")
    if [ "$missing" != 0 ] || [ "$fuzzy" != 0 ]; then
        echo "po: $missing of $total words for people have no Chinese translation, $fuzzy are fuzzy:"
        cat "$tmp/missing.po" "$tmp/fuzzy.po" 2>/dev/null | grep -v '^#' | head -300
        exit 1
    fi
    echo "po: all $total words for people are translated"
    ;;
*)
    echo "usage: tools/po.sh extract OUT.pot | check" >&2
    exit 2
    ;;
esac
