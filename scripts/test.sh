#!/usr/bin/env bash
# `make test`: services and Chromium, then ruff, the format check, mypy and the whole pytest
# suite. Every step runs; the exit status is non-zero when any of them failed. Servers this
# run started itself are stopped at the end. Extra pytest arguments: PYTEST_ARGS="...".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/devenv.sh
. scripts/devenv.sh

trap devenv_down_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The test settings, whatever the calling shell has (pytest-django prefers the environment).
export DJANGO_SETTINGS_MODULE=perfmgmt.settings.test
export PATH="$PWD/.venv/bin:$PATH"

devenv_up
# Tests use a Redis database of their own (perfmgmt.settings.test): same server, db 15.
if [[ -z "${TEST_REDIS_URL:-}" ]]; then
    TEST_REDIS_URL="$(python -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p._replace(path="/15").geturl())' "$REDIS_URL")"
    export TEST_REDIS_URL
fi
devenv_chromium || devenv_log "warning: the browser tests will fail without Chromium"
devenv_gettext || devenv_log "warning: the translation tests will fail without GNU gettext"
devenv_xmlsec1 || devenv_log "warning: the SAML sign-in tests will fail without xmlsec1"

failed=()
step() {
    printf '\n==> %s\n' "$*"
    "$@" || failed+=("$*")
}

step ruff check .
step ruff format --check .
step mypy .
# The suite runs in PYTEST_WORKERS processes (pytest-xdist; default: one per core, at most
# 4), each with a test database and a Redis database of its own; PYTEST_WORKERS=0 runs it
# in this process. Work is handed out test by test and stolen by an idle worker.
workers="${PYTEST_WORKERS:-$(python -c 'import os; print(min(4, len(os.sched_getaffinity(0))))')}"
xdist=()
if ((workers > 0)); then
    xdist=(--numprocesses "$workers" --dist worksteal)
fi
# shellcheck disable=SC2086  # PYTEST_ARGS is split on purpose
step pytest "${xdist[@]}" ${PYTEST_ARGS:-}

if ((${#failed[@]})); then
    printf '\nmake test failed in:\n' >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
