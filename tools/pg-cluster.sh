#!/usr/bin/env bash
# pg-cluster.sh - a private, throw-away PostgreSQL cluster for the tests.
#
#   tools/pg-cluster.sh start DIR   create a cluster in DIR (an empty folder the caller made, e.g.
#                                   with mktemp -d), start it on a free loopback port, wait until
#                                   it accepts connections, print its DSN on stdout (one line):
#                                     postgres://openapply:PASSWORD@127.0.0.1:PORT/postgres
#                                   and write the same line to DIR/dsn
#   tools/pg-cluster.sh stop DIR    stop it (pg_ctl stop -m fast); safe to call twice, or after a
#                                   start that failed. Removing DIR is the caller's job.
#
# The cluster: Debian's server binaries (the newest /usr/lib/postgresql/N/bin, or pg_config
# --bindir), data in DIR/data, the unix socket in DIR/sock, the server log in DIR/log (initdb's
# output in DIR/initdb.log), listen_addresses=127.0.0.1 on a random free port in 20000-60000,
# scram-sha-256 password authentication for every connection, superuser `openapply` with a random
# password. Durability is off (fsync, synchronous_commit, full_page_writes): a test cluster lives
# for one `make test` and is thrown away, speed matters more.
#
# PostgreSQL refuses to run as root. Run as root (CI), the server runs as the unprivileged
# `postgres` system user of Debian's postgresql package (or `oa-pg`, created as a system user, if
# there is no `postgres` user) and DIR is chowned to it; otherwise it runs as the current user.
#
# Errors are one line on stderr (`pg-cluster.sh: ...`) and a non-zero exit.
set -euo pipefail

PROG=pg-cluster.sh
SUPERUSER=openapply
PORT_MIN=20000
PORT_MAX=60000
PORT_TRIES=50   # random ports tried before giving up
WAIT_S=60       # start/stop/ready timeout, seconds

die() { echo "$PROG: $*" >&2; exit 1; }

usage() { die "usage: $PROG start|stop DIR"; }

# The server's bin directory: the newest installed /usr/lib/postgresql/N/bin with an initdb,
# else pg_config --bindir. A cluster that exists already names its version in DATA/PG_VERSION:
# then that version's binaries (stop must use the binaries that started it).
find_bindir() {
    local data=${1:-} ver
    if [ -n "$data" ] && [ -r "$data/PG_VERSION" ]; then
        ver=$(tr -dc '0-9' <"$data/PG_VERSION")
        if [ -n "$ver" ] && [ -x "/usr/lib/postgresql/$ver/bin/pg_ctl" ]; then
            echo "/usr/lib/postgresql/$ver/bin"
            return
        fi
    fi
    local newest="" f
    for f in /usr/lib/postgresql/*/bin/initdb; do
        [ -x "$f" ] && newest=$(printf '%s\n' "$newest" "$f" | sed '/^$/d' | sort -V | tail -n 1)
    done
    if [ -n "$newest" ]; then
        dirname "$newest"
        return
    fi
    if command -v pg_config >/dev/null 2>&1; then
        local b
        b=$(pg_config --bindir 2>/dev/null || true)
        if [ -n "$b" ] && [ -x "$b/initdb" ] && [ -x "$b/pg_ctl" ]; then
            echo "$b"
            return
        fi
    fi
    return 1
}

# Runs a command as the cluster's user ($RUN_AS; empty: the current user), from inside DIR
# (the server tools want a current directory they can read, root's may be closed to them).
as_pg() {
    if [ -z "$RUN_AS" ]; then
        (cd "$DIR" && "$@")
    else
        # setpriv execs the command directly (no PAM session, no extra process left behind).
        (cd "$DIR" && setpriv --reuid="$RUN_AS" --regid="$(id -g "$RUN_AS")" --init-groups -- "$@")
    fi
}

# Is something listening on 127.0.0.1:PORT? (bash's /dev/tcp: a connect that succeeds.)
port_in_use() {
    local port=$1
    if command -v timeout >/dev/null 2>&1; then
        timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

random_port() {
    # $RANDOM is 15 bits: two of them cover the 40001 ports of the range.
    echo $((PORT_MIN + (RANDOM * 32768 + RANDOM) % (PORT_MAX - PORT_MIN + 1)))
}

# The last line of a log file, for a one-line error.
last_line() { if [ -r "$1" ]; then grep -v '^[[:space:]]*$' "$1" | tail -n 1 || true; fi; }

# Is the cluster in DIR running? (pg_ctl status: 0 running, 3 not running, 4 no data dir.)
is_running() { as_pg "$BINDIR/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

stop_cluster() {
    [ -f "$DATA/PG_VERSION" ] || return 0 # initdb never ran (or did not get far): nothing to stop
    BINDIR=$(find_bindir "$DATA") || die "no PostgreSQL server binaries to stop the cluster in $DIR with"
    # The user who owns the data directory runs the server (root never does).
    RUN_AS=""
    if [ "$(id -u)" = 0 ]; then RUN_AS=$(stat -c %U "$DATA"); fi
    is_running || return 0
    if as_pg "$BINDIR/pg_ctl" stop -D "$DATA" -m fast -w -t "$WAIT_S" >/dev/null 2>&1; then
        return 0
    fi
    # A fast shutdown that does not finish in time: immediate (no checkpoint; the data is
    # thrown away anyway).
    as_pg "$BINDIR/pg_ctl" stop -D "$DATA" -m immediate -w -t "$WAIT_S" >/dev/null 2>&1 ||
        die "could not stop the cluster in $DIR: $(last_line "$DIR/log")"
}

cmd_start() {
    [ ! -e "$DATA" ] || die "$DIR already holds a cluster ($DATA exists); use a new folder"
    BINDIR=$(find_bindir) ||
        die "no PostgreSQL server binaries (initdb) found: install the Debian package postgresql (apt-get install postgresql)"

    # The socket path must fit in sun_path (107 bytes): DIR/sock/.s.PGSQL.NNNNN.
    local sockdir="$DIR/sock"
    [ $((${#sockdir} + 18)) -le 107 ] || die "$DIR is too long a path for a unix socket; use a shorter folder (e.g. under /tmp)"

    # Who runs the server.
    RUN_AS=""
    if [ "$(id -u)" = 0 ]; then
        if id -u postgres >/dev/null 2>&1; then
            RUN_AS=postgres
        else
            if ! id -u oa-pg >/dev/null 2>&1; then
                useradd -r -M -d /nonexistent -s /usr/sbin/nologin -c "openapply test PostgreSQL" oa-pg ||
                    die "running as root and there is no postgres user; creating the system user oa-pg failed"
            fi
            RUN_AS=oa-pg
        fi
        command -v setpriv >/dev/null 2>&1 || die "running as root needs setpriv (Debian package util-linux) to run PostgreSQL as $RUN_AS"
    fi

    mkdir -p "$sockdir"
    chmod 700 "$DIR" "$sockdir"
    if [ -n "$RUN_AS" ]; then
        chown -R "$RUN_AS": "$DIR"
        as_pg test -w "$DIR" 2>/dev/null ||
            die "user $RUN_AS cannot write to $DIR (a parent folder is closed to it); use a folder under /tmp"
    fi

    # A random password: hex, so the DSN needs no URL escaping. initdb reads it from a file
    # (never on a command line, where ps would show it), removed right after.
    local password pwfile="$DIR/pwfile"
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    [ ${#password} -eq 32 ] || die "could not read random bytes for the password from /dev/urandom"
    (umask 077 && printf '%s\n' "$password" >"$pwfile")
    if [ -n "$RUN_AS" ]; then chown "$RUN_AS": "$pwfile"; fi

    # -N: no fsync of the new files. C locale: no dependency on the locales of the machine.
    if ! as_pg "$BINDIR/initdb" -D "$DATA" -U "$SUPERUSER" --pwfile="$pwfile" --auth=scram-sha-256 \
        -E UTF8 --locale=C -N >"$DIR/initdb.log" 2>&1; then
        rm -f "$pwfile"
        die "initdb failed: $(last_line "$DIR/initdb.log") (log: $DIR/initdb.log)"
    fi
    rm -f "$pwfile"

    # Settings of a test cluster (later lines of postgresql.conf win over initdb's). The port is
    # given to pg_ctl, so a retry on another port does not rewrite the file.
    cat >>"$DATA/postgresql.conf" <<EOF

# --- tools/pg-cluster.sh: a private test cluster, speed over durability ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
password_encryption = scram-sha-256
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
lc_messages = 'C'
EOF

    # Stop the server again if anything below fails (the caller only gets a DSN for a server
    # that is ready).
    STARTED_OK=0
    trap 'if [ "$STARTED_OK" != 1 ]; then stop_cluster >/dev/null 2>&1 || true; fi' EXIT

    # A random free port: skip ports something listens on, then let the server bind; another
    # program may take the port in between, so "Address already in use" means the next port.
    local port="" try off
    for ((try = 1; try <= PORT_TRIES; try++)); do
        local p
        p=$(random_port)
        port_in_use "$p" && continue
        off=0
        if [ -f "$DIR/log" ]; then off=$(wc -c <"$DIR/log"); fi
        if as_pg "$BINDIR/pg_ctl" start -D "$DATA" -l "$DIR/log" -w -t "$WAIT_S" -o "-p $p" >/dev/null 2>&1; then
            port=$p
            break
        fi
        # (Read the new part of the log into a variable: a grep -q in a pipe would make tail
        # die of SIGPIPE, and pipefail would count that as a failure.)
        local newlog
        newlog=$(tail -c +$((off + 1)) "$DIR/log" 2>/dev/null || true)
        case "$newlog" in *'Address already in use'*) continue ;; esac
        die "the server did not start: $(last_line "$DIR/log") (log: $DIR/log)"
    done
    [ -n "$port" ] || die "no free loopback port found in $PORT_MIN-$PORT_MAX after $PORT_TRIES tries"

    # pg_ctl -w waited for the postmaster; pg_isready confirms it accepts TCP connections.
    local waited=0
    until "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -t 5; do
        waited=$((waited + 1))
        [ "$waited" -lt "$WAIT_S" ] || die "the server on port $port does not accept connections after ${WAIT_S}s (log: $DIR/log)"
        sleep 1
    done

    # The DSN works: log in with the password over TCP (psql comes with the server package).
    if [ -x "$BINDIR/psql" ]; then
        local out
        out=$(PGPASSWORD=$password PGCONNECT_TIMEOUT=10 "$BINDIR/psql" -X -At -h 127.0.0.1 -p "$port" \
            -U "$SUPERUSER" -d postgres -c 'SELECT 1' 2>&1) || die "cannot log in to the new cluster: $out"
    fi

    local dsn="postgres://$SUPERUSER:$password@127.0.0.1:$port/postgres"
    (umask 077 && printf '%s\n' "$dsn" >"$DIR/dsn")
    STARTED_OK=1
    printf '%s\n' "$dsn"
}

[ $# -eq 2 ] || usage
CMD=$1
[ -n "$2" ] || usage
if [ "$CMD" = stop ] && [ ! -d "$2" ]; then exit 0; fi # removed already: nothing runs there
DIR=$(cd "$2" 2>/dev/null && pwd -P) || die "$2 is not a directory (make one first, e.g. with mktemp -d)"
DATA="$DIR/data"
BINDIR=""
RUN_AS=""
STARTED_OK=0

case "$CMD" in
start) cmd_start ;;
stop) stop_cluster ;;
*) usage ;;
esac
