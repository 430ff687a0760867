#!/bin/sh
# make bench-serve: hazcheck serve under load on this machine, traffic to
# 127.0.0.1 only, bounded in time (BENCH_SECONDS, default 60): 100 clients
# reading pages and 20 submitting inspections at once, with wrk. Reports the
# throughput, p50 and p99 of each, checks that every submission was recorded
# exactly once and that `audit verify` is clean afterwards. The floor, measured
# in the same run: the static style sheet (no database, no template).
# BENCH_DB=postgresql: the same on a PostgreSQL server of the bench's own
# (tests/pg.sh, durable), evidence in the temporary folder.
set -e
BUILD=${BUILD:-build}
SECS=${BENCH_SECONDS:-60}
HC="$(pwd)/$BUILD/hazcheck"
T=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null; [ -n "$PGDIR" ] && sh tests/pg.sh stop "$PGDIR"; [ -n "$BENCH_KEEP" ] || rm -rf "$T"' EXIT
export HAZCHECK_USER=bench
DB="$T/bench.db"
PGDIR=
SQL="sqlite3 $DB"
if [ "$BENCH_DB" = postgresql ]; then
    PGDIR="$T/pg"
    DB=$(PG_DURABLE=1 sh tests/pg.sh start "$PGDIR") || { echo "bench-serve: cannot start PostgreSQL" >&2; exit 1; }
    SQL="psql -qAt $DB -c"
    echo "on PostgreSQL (a server of the bench's own, durable commits)"
fi
command -v wrk >/dev/null || { echo "bench-serve needs wrk (scripts/deps.sh installs it)" >&2; exit 1; }
NSITES=50
i=1
while [ $i -le $NSITES ]; do
    [ $i -gt 1 ] && echo ---
    printf 'id: b-%d\nname: 压测企业%d\nsquad: 一中队\ndust: {dry_collection: true}\n' $i $i
    i=$((i + 1))
done > "$T/sites.yaml"
"$HC" --db "$DB" site add "$T/sites.yaml" >/dev/null
echo "correct horse" | "$HC" --db "$DB" user add 压测员 --role inspector --squad 一中队 >/dev/null
"$HC" --db "$DB" --packs tests/data/packs --rules tests/data/rules serve --data "$T/evidence" --listen 127.0.0.1:0 2>"$T/log" &
SRV=$!
for _ in $(seq 100); do
    PORT=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/log" | head -1)
    [ -n "$PORT" ] && break
    sleep 0.1
done
URL="http://127.0.0.1:$PORT"
LOGIN=$(curl -s -i -H 'Content-Type: application/json' -d '{"user":"压测员","password":"correct horse"}' "$URL/api/v1/login")
export HC_COOKIE=$(printf '%s' "$LOGIN" | sed -n 's/^Set-Cookie: \(hc_session=[0-9a-f]*\);.*/\1/p')
export HC_CSRF=$(printf '%s' "$LOGIN" | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p')
export HC_SITES=$NSITES
[ -n "$HC_COOKIE" ] && [ -n "$HC_CSRF" ] || { echo "bench-serve: cannot sign in" >&2; exit 1; }

echo "floor: the style sheet, 100 clients, 10 s"
wrk -t2 -c100 -d10s --latency "$URL/static/web.css" > "$T/floor.txt"
echo "load: 100 clients reading pages and 20 submitting inspections, ${SECS} s"
wrk -t2 -c100 -d"${SECS}s" --latency -s bench/serve-pages.lua "$URL" > "$T/pages.txt" &
P1=$!
wrk -t1 -c20 -d"${SECS}s" --latency -s bench/serve-submit.lua "$URL" > "$T/submit.txt"
wait $P1
if [ -n "$BENCH_KEEP" ]; then echo "kept: $T ($URL, cookie $HC_COOKIE)"; sleep "$BENCH_KEEP"; fi
kill -TERM $SRV
wait $SRV || true
SRV=

row() {   # name file: requests/s, p50, p99, non-2xx
    rps=$(sed -n 's/^Requests\/sec: *//p' "$2")
    p50=$(awk '$1 == "50%" {print $2}' "$2")
    p99=$(awk '$1 == "99%" {print $2}' "$2")
    bad=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$2")
    errs=$(sed -n 's/^ *Socket errors: *//p' "$2")
    printf '%-34s %10s %10s %10s   %s%s\n' "$1" "$rps" "$p50" "$p99" "${bad:+non-2xx $bad }" "${errs:+socket errors: $errs}"
}
printf '\n%-34s %10s %10s %10s\n' "" "req/s" "p50" "p99"
row "floor (style sheet, no database)" "$T/floor.txt"
row "pages (100 clients)" "$T/pages.txt"
row "submissions (20 clients)" "$T/submit.txt"
grep -h "counts" "$T/pages.txt" "$T/submit.txt"
created=$(sed -n 's/.*created=\([0-9]*\).*/\1/p' "$T/submit.txt")
rows=$($SQL "SELECT count(*) FROM inspections WHERE id LIKE 'bench-%'")
dups=$($SQL "SELECT count(*) - count(DISTINCT id) FROM inspections")
echo "inspections answered 201: $created; in the database: $rows; duplicates: $dups"
# wrk stops at the deadline without reading the last answers: up to one
# submission per connection may be recorded without its 201 being counted
if [ "$dups" = 0 ] && [ "$rows" -ge "$created" ] && [ "$rows" -le $((created + 20)) ]; then
    echo "every submission recorded exactly once (none twice; $((rows - created)) in flight at the deadline)"
else
    echo "FAIL: the recorded inspections do not match the submissions"
    status=1
fi
"$HC" --db "$DB" audit verify
p99ms=$(awk '$1 == "99%" {v = $2; if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; print v}' "$T/pages.txt")
echo "pages p99: ${p99ms} ms (goal: under 100 ms)"
exit ${status:-0}
