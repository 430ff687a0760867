#!/bin/sh
# A PostgreSQL server of the tests' own: `tests/pg.sh start DIR` makes a
# cluster in DIR (initdb), starts it on a Unix socket in DIR only (no TCP
# port), and prints the libpq URI of its database "hazcheck"; `tests/pg.sh
# stop DIR` stops it. Debian's postgresql package; as root, the server runs as
# the user postgres (it refuses root). fsync is off: a test server's crash
# loses nothing worth keeping, and the tests that kill a writer kill hazcheck,
# not the server; PG_DURABLE=1 keeps it on (the benchmarks compare durable
# writes on both databases).
set -e
cmd=$1
dir=$2
[ -n "$dir" ] || { echo "usage: tests/pg.sh start|stop DIR" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "tests/pg.sh: no PostgreSQL server (Debian package postgresql)" >&2; exit 1; }
as() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        # the server's user must reach DIR: each folder above it searchable
        up=$(dirname "$dir")
        while [ "$up" != / ]; do chmod o+x "$up"; up=$(dirname "$up"); done
    fi
    as "$bin/initdb" -D "$dir/data" -U hazcheck --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-k $dir -c listen_addresses='' $([ -n "$PG_DURABLE" ] || echo -c fsync=off) -c max_connections=60" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    as "$bin/createdb" -h "$dir" -U hazcheck hazcheck
    # the user in the authority, not as "&user=": the URI passes through sh -c unquoted
    echo "postgresql://hazcheck@/hazcheck?host=$dir"
    ;;
stop)
    [ -d "$dir/data" ] && as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: tests/pg.sh start|stop DIR" >&2
    exit 2
    ;;
esac
