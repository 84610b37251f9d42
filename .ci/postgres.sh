# Starts a throwaway PostgreSQL server for tests (trust auth, loopback only). Source it, then call
# `start_test_postgres PORT`; `stop_test_postgres` stops it and removes its data.
start_test_postgres() {
    local port="$1"
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    PG_DATA="$(mktemp -d /tmp/switchboard-pg.XXXXXX)"
    chown postgres "$PG_DATA"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DATA -c max_connections=500 -c fsync=off" start >/dev/null
    export PG_BIN PG_DATA
}

stop_test_postgres() {
    if [ -n "${PG_DATA:-}" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DATA"
    fi
}
