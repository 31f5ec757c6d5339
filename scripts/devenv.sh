#!/usr/bin/env bash
# Local services for perfmgmt: find PostgreSQL and Redis, or start private ones.
#
# Sourced by scripts/demo.sh and scripts/test.sh (functions devenv_*), or run directly:
#   scripts/devenv.sh up        find or start PostgreSQL and Redis and leave them running
#   scripts/devenv.sh down      stop every server that was started under .local/
#   scripts/devenv.sh status    tell what DATABASE_URL and REDIS_URL point at
#   scripts/devenv.sh chromium  make sure Chromium for the browser tests is installed
#
# For each of DATABASE_URL and REDIS_URL (defaults as in perfmgmt/settings/base.py):
# if something accepts connections at its host and port, it is used (for PostgreSQL the
# database is created when missing). Otherwise, for a local address, a private server is
# started under .local/ in the repository, listening on 127.0.0.1 and that port only.
#
# Environment: DATABASE_URL, REDIS_URL, PG_BIN (PostgreSQL 15 server binaries, default
# /usr/lib/postgresql/15/bin), CHROMIUM_PATH (default /usr/bin/chromium),
# DEVENV_WAIT (seconds to wait for a server, default 60).
#
# shellcheck disable=SC2016  # single-quoted bash -c scripts take their values as arguments
# shellcheck disable=SC2154  # pg_* and redis_* are assigned by _devenv_parse_url (eval)

DEVENV_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DEVENV_LOCAL="$DEVENV_ROOT/.local"
DEVENV_WAIT="${DEVENV_WAIT:-60}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/perfmgmt}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

# What this shell started, as "pg:<data dir>" and "redis:<pid file>", for devenv_down_started.
DEVENV_STARTED=()

devenv_log() { printf 'devenv: %s\n' "$*" >&2; }
devenv_die() {
    printf 'devenv: error: %s\n' "$*" >&2
    exit 1
}

DEVENV_PY="$DEVENV_ROOT/.venv/bin/python"
_devenv_need_python() {
    [[ -x "$DEVENV_PY" ]] || devenv_die "no virtualenv at .venv; run 'make venv' first"
}

_devenv_is_root() { [[ "$(id -u)" == 0 ]]; }

# A path as shown in messages: relative to the repository when inside it.
_devenv_rel() { printf '%s' "${1#"$DEVENV_ROOT"/}"; }

# A folder under /tmp that is the same for this repository every time (used when the
# PostgreSQL user cannot reach .local/, or a socket path would be too long).
_devenv_tmp_dir() {
    local hash
    hash="$(printf '%s' "$DEVENV_ROOT" | sha1sum | cut -c1-12)"
    printf '/tmp/perfmgmt-%s\n' "$hash"
}

# _devenv_parse_url PREFIX URL DEFAULT_PORT -> sets PREFIX_host PREFIX_port PREFIX_user
# PREFIX_password PREFIX_path (all unquoted; PREFIX_host is empty for a socket-only URL).
_devenv_parse_url() {
    local out
    out="$("$DEVENV_PY" - "$@" <<'PY'
import shlex
import sys
from urllib.parse import unquote, urlsplit

prefix, url, default_port = sys.argv[1], sys.argv[2], int(sys.argv[3])
parts = urlsplit(url)
try:
    port = parts.port or default_port
except ValueError as exc:
    sys.exit(f"bad port in {url!r}: {exc}")
values = {
    "scheme": parts.scheme,
    "host": unquote(parts.hostname or ""),
    "port": str(port),
    "user": unquote(parts.username or ""),
    "password": unquote(parts.password or ""),
    "path": unquote(parts.path.lstrip("/")),
}
for key, value in values.items():
    print(f"{prefix}_{key}={shlex.quote(value)}")
PY
)" || devenv_die "cannot parse URL: $2"
    eval "$out"
}

_devenv_is_local_host() {
    case "$1" in
        127.0.0.1 | localhost | ::1 | "") return 0 ;;
        *) return 1 ;;
    esac
}

_devenv_listen_address() {
    if [[ "$1" == "::1" ]]; then printf '::1\n'; else printf '127.0.0.1\n'; fi
}

# Does anything accept TCP connections at HOST PORT?
devenv_tcp_open() {
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Is any process of process group PGID alive (zombies do not count)?
devenv_group_alive() {
    ps -eo pgid=,stat= 2>/dev/null | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

_devenv_pid_alive() {
    local state
    [[ -n "$1" && -r "/proc/$1/stat" ]] || return 1
    state="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)"
    [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

_devenv_apt_install() {
    if ! _devenv_is_root || ! command -v apt-get >/dev/null; then
        return 1
    fi
    devenv_log "installing $* with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# --- PostgreSQL --------------------------------------------------------------------------

# Wait until DATABASE_URL's server answers; create its database when missing.
_devenv_pg_ready() {
    "$DEVENV_PY" - "$DATABASE_URL" "$DEVENV_WAIT" <<'PY'
import sys
import time

try:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict
except ImportError:
    sys.exit("devenv: error: psycopg is not installed in .venv; run 'make venv'")

url, wait = sys.argv[1], float(sys.argv[2])
try:
    params = conninfo_to_dict(url)
except psycopg.Error as exc:
    sys.exit(f"devenv: error: cannot use DATABASE_URL: {exc}")
dbname = params.get("dbname") or params.get("user") or "postgres"
where = f"{params.get('host', 'local socket')}:{params.get('port', 5432)}"
deadline = time.monotonic() + wait
last: Exception | None = None
while time.monotonic() < deadline:
    try:
        with psycopg.connect(url, connect_timeout=3, autocommit=True):
            sys.exit(0)
    except psycopg.errors.InvalidCatalogName:
        break  # the server is up; the database is missing
    except psycopg.OperationalError as exc:
        if "does not exist" in str(exc) and "database" in str(exc):
            break
        last = exc
        time.sleep(0.5)
else:
    sys.exit(
        f"devenv: error: PostgreSQL at {where} did not accept connections within "
        f"{wait:.0f}s: {str(last).strip()}"
    )

for maintenance in ("postgres", "template1"):
    try:
        conn = psycopg.connect(**{**params, "dbname": maintenance}, connect_timeout=5,
                               autocommit=True)
    except psycopg.OperationalError as exc:
        last = exc
        continue
    with conn:
        exists = conn.execute(
            "select 1 from pg_database where datname = %s", (dbname,)
        ).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(dbname)))
            except psycopg.errors.DuplicateDatabase:
                pass
            print(f"devenv: created database {dbname} at {where}", file=sys.stderr)
    sys.exit(0)
sys.exit(f"devenv: error: cannot create database {dbname} at {where}: {str(last).strip()}")
PY
}

# Print the folder for a private PostgreSQL on PORT, creating it; it must be reachable by
# the user that runs the server (postgres, when we are root).
_devenv_pg_dir() {
    local port="$1" dir fallback
    dir="$DEVENV_LOCAL/postgres-$port"
    mkdir -p "$dir" || devenv_die "cannot create $dir"
    if _devenv_is_root; then
        chmod go+x "$DEVENV_LOCAL" 2>/dev/null || true
        chown postgres: "$dir" || devenv_die "cannot hand $dir to the postgres user"
        if ! (cd / && runuser -u postgres -- test -w "$dir" -a -x "$dir"); then
            fallback="$(_devenv_tmp_dir)/postgres-$port"
            rmdir "$dir" 2>/dev/null || true
            devenv_log "the postgres user cannot reach .local/ in this repository (a parent" \
                "folder is closed to it); keeping the PostgreSQL data in $fallback instead"
            if ! mkdir -p "$fallback" || ! chmod 755 "$(dirname "$fallback")" ||
                ! chown postgres: "$fallback"; then
                devenv_die "cannot create $fallback"
            fi
            (cd / && runuser -u postgres -- test -w "$fallback") ||
                devenv_die "the postgres user cannot write to $fallback either"
            dir="$fallback"
        fi
    fi
    printf '%s\n' "$dir"
}

# Run a PostgreSQL binary as the user that owns the cluster (postgres when we are root).
_devenv_as_pg() {
    if _devenv_is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

_devenv_pg_start() {
    local host="$1" port="$2" user="${3:-postgres}" dir data sock log listen
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] ||
        devenv_die "nothing accepts connections at $host:$port and there are no PostgreSQL" \
            "server binaries in $PG_BIN to start one: install PostgreSQL 15" \
            "(apt-get install postgresql-15), set PG_BIN, or point DATABASE_URL at a server"
    if _devenv_is_root; then
        command -v runuser >/dev/null || devenv_die "runuser is needed to run PostgreSQL as postgres"
        id postgres >/dev/null 2>&1 ||
            devenv_die "there is no 'postgres' user to run PostgreSQL as (initdb refuses root)"
    fi
    dir="$(_devenv_pg_dir "$port")" || exit 1
    data="$dir/data"
    log="$dir/postgres.log"
    sock="$dir/run"
    if ((${#sock} + 20 > 100)); then # unix socket paths are limited to ~107 bytes
        sock="$(_devenv_tmp_dir)/pg-run-$port"
    fi
    mkdir -p "$sock" && chmod 755 "$(dirname "$sock")"
    if _devenv_is_root; then chown postgres: "$sock"; fi

    if [[ ! -s "$data/PG_VERSION" ]]; then
        rm -rf "$data" # never initialised, or a failed initdb: ours to redo
        devenv_log "initialising a PostgreSQL cluster in $(_devenv_rel "$data")"
        if ! _devenv_as_pg "$PG_BIN/initdb" -D "$data" -U "$user" --auth=trust \
            --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
            tail -n 20 "$dir/initdb.log" >&2
            devenv_die "initdb failed; see $(_devenv_rel "$dir/initdb.log")"
        fi
    fi

    listen="$(_devenv_listen_address "$host")"
    devenv_log "starting PostgreSQL on $listen:$port (data in $(_devenv_rel "$data"))"
    DEVENV_STARTED+=("pg:$data")
    if ! _devenv_as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t "$DEVENV_WAIT" \
        -o "-c listen_addresses='$listen' -p $port -k '$sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null; then
        tail -n 20 "$log" >&2 2>/dev/null
        devenv_die "PostgreSQL did not start on port $port within ${DEVENV_WAIT}s; see $(_devenv_rel "$log")"
    fi
}

_devenv_pg_stop() {
    local data="$1"
    [[ -f "$data/postmaster.pid" ]] || return 0
    devenv_log "stopping PostgreSQL ($(_devenv_rel "$data"))"
    _devenv_as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
        devenv_log "warning: PostgreSQL in $(_devenv_rel "$data") did not stop cleanly"
}

devenv_postgres() {
    _devenv_need_python
    _devenv_parse_url pg "$DATABASE_URL" 5432
    if [[ -z "$pg_host" || "$pg_host" == /* ]]; then
        devenv_log "using PostgreSQL on its unix socket"
    elif devenv_tcp_open "$pg_host" "$pg_port"; then
        devenv_log "using PostgreSQL at $pg_host:$pg_port"
        if [[ -f "$DEVENV_LOCAL/postgres-$pg_port/data/postmaster.pid" ]]; then
            devenv_log "(a server left running under .local/; 'make services-stop' stops it)"
        fi
    elif _devenv_is_local_host "$pg_host"; then
        _devenv_pg_start "$pg_host" "$pg_port" "$pg_user"
    else
        devenv_die "nothing accepts connections at $pg_host:$pg_port (DATABASE_URL), and a" \
            "server is only started for a local address; start it or change DATABASE_URL"
    fi
    _devenv_pg_ready || exit 1
}

# --- Redis -------------------------------------------------------------------------------

_devenv_redis_ready() {
    "$DEVENV_PY" - "$REDIS_URL" "$DEVENV_WAIT" <<'PY'
import sys
import time

try:
    import redis
except ImportError:
    sys.exit("devenv: error: redis is not installed in .venv; run 'make venv'")

url, wait = sys.argv[1], float(sys.argv[2])
deadline = time.monotonic() + wait
last: Exception | None = None
while time.monotonic() < deadline:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        if client.ping():
            sys.exit(0)
    except redis.exceptions.AuthenticationError as exc:
        sys.exit(f"devenv: error: Redis refused the credentials in REDIS_URL: {exc}")
    except (redis.exceptions.RedisError, OSError) as exc:
        last = exc
    time.sleep(0.5)
sys.exit(f"devenv: error: Redis at REDIS_URL did not answer PING within {wait:.0f}s: {last}")
PY
}

_devenv_redis_start() {
    local host="$1" port="$2" password="$3" dir listen extra=()
    if ! command -v redis-server >/dev/null; then
        _devenv_apt_install redis-server ||
            devenv_die "nothing accepts connections at $host:$port and redis-server is not" \
                "installed: install it (apt-get install redis-server) or point REDIS_URL at a Redis"
        command -v redis-server >/dev/null || devenv_die "redis-server is still missing"
    fi
    dir="$DEVENV_LOCAL/redis-$port"
    mkdir -p "$dir" || devenv_die "cannot create $dir"
    rm -f "$dir/redis.pid"
    if [[ -n "$password" ]]; then extra=(--requirepass "$password"); fi
    listen="$(_devenv_listen_address "$host")"
    devenv_log "starting Redis on $listen:$port (files in $(_devenv_rel "$dir"))"
    DEVENV_STARTED+=("redis:$dir/redis.pid")
    redis-server --bind "$listen" --port "$port" --save '' --appendonly no --daemonize yes \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" "${extra[@]}" ||
        devenv_die "redis-server failed to start; see $(_devenv_rel "$dir/redis.log")"
}

_devenv_redis_stop() {
    local pidfile="$1" pid i
    [[ -s "$pidfile" ]] || return 0
    pid="$(cat "$pidfile")"
    if _devenv_pid_alive "$pid"; then
        devenv_log "stopping Redis (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            _devenv_pid_alive "$pid" || break
            sleep 0.1
        done
        if _devenv_pid_alive "$pid"; then
            devenv_log "Redis (pid $pid) ignored SIGTERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile"
}

devenv_redis() {
    _devenv_need_python
    _devenv_parse_url redis "$REDIS_URL" 6379
    if [[ "$redis_scheme" == unix ]]; then
        devenv_log "using Redis on its unix socket"
    elif devenv_tcp_open "$redis_host" "$redis_port"; then
        devenv_log "using Redis at $redis_host:$redis_port"
        if [[ -s "$DEVENV_LOCAL/redis-$redis_port/redis.pid" ]]; then
            devenv_log "(a server left running under .local/; 'make services-stop' stops it)"
        fi
    elif _devenv_is_local_host "$redis_host"; then
        _devenv_redis_start "$redis_host" "$redis_port" "$redis_password"
    else
        devenv_die "nothing accepts connections at $redis_host:$redis_port (REDIS_URL), and a" \
            "server is only started for a local address; start it or change REDIS_URL"
    fi
    _devenv_redis_ready || exit 1
}

# --- Chromium ----------------------------------------------------------------------------

devenv_chromium() {
    [[ -x "$CHROMIUM_PATH" ]] && return 0
    if [[ "$CHROMIUM_PATH" == /usr/bin/chromium ]] && _devenv_apt_install chromium chromium-driver &&
        [[ -x "$CHROMIUM_PATH" ]]; then
        return 0
    fi
    devenv_log "Chromium is missing at $CHROMIUM_PATH, and the browser tests need it. Install it" \
        "as root with: apt-get update && apt-get install -y chromium chromium-driver" \
        "(or set CHROMIUM_PATH to a Chromium binary)."
    return 1
}

# GNU gettext: makemessages and the translation tests need xgettext, msgcmp and msgfmt.
devenv_gettext() {
    command -v msgcmp >/dev/null && command -v xgettext >/dev/null && return 0
    _devenv_apt_install gettext && command -v msgcmp >/dev/null && return 0
    devenv_log "GNU gettext is missing, and the translation tests need it. Install it as root" \
        "with: apt-get update && apt-get install -y gettext"
    return 1
}

# xmlsec1: the SAML identity provider the SSO tests start (pysaml2) signs its answers with it.
devenv_xmlsec1() {
    command -v xmlsec1 >/dev/null && return 0
    _devenv_apt_install xmlsec1 && command -v xmlsec1 >/dev/null && return 0
    devenv_log "xmlsec1 is missing, and the SAML sign-in tests need it. Install it as root" \
        "with: apt-get update && apt-get install -y xmlsec1"
    return 1
}

# --- Entry points --------------------------------------------------------------------------

devenv_up() {
    devenv_postgres
    devenv_redis
}

# Stop the servers this shell started itself, newest first.
devenv_down_started() {
    local i item
    for ((i = ${#DEVENV_STARTED[@]} - 1; i >= 0; i--)); do
        item="${DEVENV_STARTED[i]}"
        case "$item" in
            pg:*) _devenv_pg_stop "${item#pg:}" ;;
            redis:*) _devenv_redis_stop "${item#redis:}" ;;
        esac
    done
    DEVENV_STARTED=()
}

# Stop every server that was started under .local/ (or its /tmp fallback).
devenv_down_all() {
    local data pidfile
    for data in "$DEVENV_LOCAL"/postgres-*/data "$(_devenv_tmp_dir)"/postgres-*/data; do
        [[ -d "$data" ]] && _devenv_pg_stop "$data"
    done
    for pidfile in "$DEVENV_LOCAL"/redis-*/redis.pid; do
        [[ -f "$pidfile" ]] && _devenv_redis_stop "$pidfile"
    done
    return 0
}

_devenv_status_line() {
    if devenv_tcp_open "$2" "$3"; then
        printf '%-10s %s:%s  accepting connections\n' "$1" "$2" "$3"
    else
        printf '%-10s %s:%s  not reachable\n' "$1" "$2" "$3"
    fi
}

devenv_status() {
    _devenv_need_python
    _devenv_parse_url pg "$DATABASE_URL" 5432
    _devenv_parse_url redis "$REDIS_URL" 6379
    _devenv_status_line PostgreSQL "${pg_host:-127.0.0.1}" "$pg_port"
    _devenv_status_line Redis "${redis_host:-127.0.0.1}" "$redis_port"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
        up) devenv_up ;;
        down) devenv_down_all ;;
        status) devenv_status ;;
        chromium) devenv_chromium ;;
        *)
            echo "usage: $0 up|down|status|chromium" >&2
            exit 2
            ;;
    esac
fi
