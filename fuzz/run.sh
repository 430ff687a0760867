#!/bin/sh
# Run each fuzz target for FUZZ_SECONDS over a corpus seeded from the repository.
# Prints each target's executions; exits non-zero at the first crash (the input is in
# $FUZZ_DIR/crashes/<target>/).
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
BUILD=${BUILD:-build}
set -u
seed() {   # target -> corpus folder with seeds
    c="$FUZZ_DIR/corpus/$1"
    mkdir -p "$c"
    case $1 in
    doc) cp tests/data/*.yaml tests/data/*.json tests/data/bad/* checklists/*.yaml examples/*.yaml "$c"/ ;;
    checklist) cp checklists/*.yaml tests/data/packs/*.yaml bench/pack.yaml "$c"/ ;;
    inspection) cp tests/data/*.yaml tests/data/*.json "$c"/ ;;
    split) cp tests/data/*.yaml tests/data/bad/*.yaml examples/*.yaml "$c"/ ;;
    lua) cp rules/*.lua tests/data/rules/testmod.lua "$c"/
         i=0
         for f in checklists/*.yaml; do   # every rule of the shipped packs is a seed
             python3 - "$f" "$c" <<'PY'
import sys, yaml
pack = yaml.safe_load(open(sys.argv[1]))
for it in pack.get("items", []):
    code = it.get("rule") or ("return " + it["check"] if "check" in it else None)
    if code:
        open(f"{sys.argv[2]}/{it['id']}-{abs(hash(code)) % 10**8}.lua", "w").write(code)
PY
         done ;;
    import)
        db="$FUZZ_DIR/seed.db"
        rm -f "$db" "$db"-wal "$db"-shm
        HAZCHECK_DB="$db" "$BUILD/hazcheck" --packs tests/data/packs record tests/data/mini-inspection.yaml >/dev/null 2>&1
        HAZCHECK_DB="$db" "$BUILD/hazcheck" --packs tests/data/packs --site tests/data/site.yaml record tests/data/batch.yaml >/dev/null 2>&1
        HAZCHECK_DB="$db" "$BUILD/hazcheck" action 1 rectify --note x --cost 10 >/dev/null 2>&1
        HAZCHECK_DB="$db" "$BUILD/hazcheck" enforce 370181-0042 interview >/dev/null 2>&1
        HAZCHECK_DB="$db" "$BUILD/hazcheck" export -o "$c/seed.bundle" >/dev/null 2>&1 ;;
    request) printf 'note=%%E6%%97%%A0+x&csrf=abc&a=&b' > "$c/form"
             printf 'hc_session=0123abcd; theme=dark' > "$c/cookie"
             printf '{"user": "王芳", "password": "correct horse"}' > "$c/login.json"
             printf '{"note": "已整改", "evidence": ["sha256:%s"], "cost": 1200}' \
                 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef > "$c/rectify.json"
             cp tests/data/*.json "$c"/ 2>/dev/null ;;
    esac
    [ -d "tests/data/fuzz/$1" ] && cp tests/data/fuzz/"$1"/* "$c"/ 2>/dev/null
    true
}
status=0
for t in "$@"; do
    seed "$t"
    dict=""
    case $t in lua) dict="-dict=fuzz/lua.dict" ;; *) dict="-dict=fuzz/yaml.dict" ;; esac
    mkdir -p "$FUZZ_DIR/crashes/$t"
    log="$FUZZ_DIR/$t.log"
    "$FUZZ_DIR/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 $dict -artifact_prefix="$FUZZ_DIR/crashes/$t/" \
        "$FUZZ_DIR/corpus/$t" > "$log" 2>&1
    rc=$?
    runs=$(grep -aE '^Done [0-9]+ runs' "$log" | tail -1)
    cov=$(grep -aE '#[0-9]+.*cov:' "$log" | tail -1 | sed -E 's/.*(cov: [0-9]+ ft: [0-9]+).*/\1/')
    printf 'fuzz %-11s %s (%s), corpus %s files\n' "$t" "${runs:-no summary}" "$cov" "$(ls "$FUZZ_DIR/corpus/$t" | wc -l)"
    if [ $rc != 0 ]; then
        echo "fuzz $t: FAILED (exit $rc); input in $FUZZ_DIR/crashes/$t/"
        grep -aE 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -20
        status=1
    fi
done
exit $status
