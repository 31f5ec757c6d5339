#!/usr/bin/env bash
# `make demo`: services, migrations and demo data, then the web server on 127.0.0.1:8000
# with a Celery worker and beat beside it. Ctrl-C stops all of them, and any PostgreSQL or
# Redis server this run started itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/devenv.sh
. scripts/devenv.sh

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-perfmgmt.settings.dev}"
export PYTHONUNBUFFERED=1
export PATH="$PWD/.venv/bin:$PATH"
ADDR=127.0.0.1
PORT=8000

PGIDS=()
NAMES=()

# shellcheck disable=SC2317  # invoked by trap
stop_all() {
    local status=$? i deadline
    trap - EXIT
    trap '' INT TERM
    if ((${#PGIDS[@]})); then
        echo
        devenv_log "stopping ${NAMES[*]}"
        for i in "${PGIDS[@]}"; do kill -TERM -- "-$i" 2>/dev/null || true; done
        deadline=$((SECONDS + 20))
        for i in "${PGIDS[@]}"; do
            while devenv_group_alive "$i" && ((SECONDS < deadline)); do sleep 0.2; done
            if devenv_group_alive "$i"; then kill -KILL -- "-$i" 2>/dev/null || true; fi
        done
    fi
    devenv_down_started
    exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME COMMAND...: run COMMAND in a process group of its own, its output prefixed.
start() {
    local name="$1"
    shift
    set -m
    "$@" > >(trap '' INT TERM && exec sed -u "s/^/[$name] /") 2>&1 &
    set +m
    PGIDS+=("$!")
    NAMES+=("$name")
}

if devenv_tcp_open "$ADDR" "$PORT"; then
    devenv_die "$ADDR:$PORT is already in use (is another 'make demo' running?)"
fi

devenv_up
mkdir -p .local/sent-emails

python manage.py migrate --noinput
logins="$(python manage.py seed_demo)"
printf '%s\n' "$logins"

start web python manage.py runserver "$ADDR:$PORT"
start worker celery -A perfmgmt worker -l info --concurrency 1
start beat celery -A perfmgmt beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler

for ((i = 0; i < 120; i++)); do
    if devenv_tcp_open "$ADDR" "$PORT"; then break; fi
    if ! devenv_group_alive "${PGIDS[0]}"; then break; fi
    sleep 0.5
done

cat <<EOF

================================================================================
 perfmgmt demo is running at http://$ADDR:$PORT/
$(printf '%s\n' "$logins" | sed 's/^/ /')
 E-mails are written to .local/sent-emails/. Ctrl-C stops everything.
================================================================================

EOF

# Run until Ctrl-C, or until one of the three exits (then stop the others too).
set +e
wait -n "${PGIDS[@]}"
status=$?
set -e
devenv_log "a process of the demo exited (status $status); stopping the others"
exit 1
