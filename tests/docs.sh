#!/bin/sh
# The man pages, the bash completion and make install/uninstall: they follow the
# binary's command table, and install and uninstall leave nothing behind.
# Ends with "N passed, M failed".
BUILD=${BUILD:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

for page in hazcheck.1 hazcheck-checklist.5; do
    [ -s "$BUILD/man/$page" ] && grep -q '^\.TH' "$BUILD/man/$page" && ok || bad "man page $page built"
done
# every command the binary has is in hazcheck(1)
for c in $("$BUILD/hazcheck" --help | sed -n 's/^  \([a-z]\+\) .*/\1/p' | sort -u); do
    grep -q "^\*$c\*\|^\*export\*, \*$c\*\|\*$c\* _FILE_" doc/hazcheck.1.scd && ok || bad "hazcheck(1) describes '$c'"
done
# completion: commands, a command's own options, formats
complete_words() {   # WORDS...: what bash would offer for the last word
    bash -c '
        PATH="'"$(pwd)/$BUILD"':$PATH"
        . contrib/hazcheck.bash
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _hazcheck hazcheck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' hazcheck "$@"
}
complete_words hazcheck pa > "$T/c1"
grep -qx packs "$T/c1" && ok || bad "completion: 'pa' offers packs"
complete_words hazcheck actions --st > "$T/c2"
grep -qx -- --status "$T/c2" && ok || bad "completion: actions --st offers --status"
complete_words hazcheck packs --co > "$T/c3"
grep -qx -- --cost "$T/c3" && bad "completion: packs does not offer another command's --cost" || ok
complete_words hazcheck stats --format "" > "$T/c4"
grep -qx html "$T/c4" && ok || bad "completion: stats --format offers html"
# install and uninstall
make -s install PREFIX=/opt/hc DESTDIR="$T/root" BUILD="$BUILD" >/dev/null 2>&1 && ok || bad "make install"
for f in bin/hazcheck share/hazcheck/checklists/dust-explosion.yaml share/hazcheck/rules/gb18218.lua \
         share/hazcheck/templates/report.html share/hazcheck/schema/checklist.schema.json \
         share/bash-completion/completions/hazcheck share/man/man1/hazcheck.1 \
         share/man/man5/hazcheck-checklist.5 share/locale/zh_CN/LC_MESSAGES/hazcheck.mo; do
    [ -e "$T/root/opt/hc/$f" ] && ok || bad "installed $f"
done
make -s uninstall PREFIX=/opt/hc DESTDIR="$T/root" BUILD="$BUILD" >/dev/null 2>&1 && ok || bad "make uninstall"
left=$(find "$T/root" -type f | wc -l)
[ "$left" = 0 ] && ok || bad "uninstall left $left files"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
