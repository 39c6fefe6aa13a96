#!/usr/bin/env bash
# The fault scenario (issue 16; not in CI: it restarts this machine's PostgreSQL and Redis).
#
# A production server (granian, 2 workers, granian's default threads, PostgreSQL through
# psycopg's pool, Redis as the shared cache, workers respawned by granian) takes signatures of
# the petition from FAULT_THREADS people; meanwhile PostgreSQL is restarted, then Redis, then one
# granian worker is killed. During each outage signing must answer the French 503 page (never a
# 500 or a traceback), the server must come back by itself, and the database check afterwards
# must find no confirmed signature lost and none stored twice. Report:
# bench/results/run/fault_report.txt (seconds of unavailability per fault).
#
#   bash bench/fault_scenario.sh      (after `make bench` has generated the bench database)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

FAULT_PORT="${FAULT_PORT:-8767}"
FAULT_WORKERS="${FAULT_WORKERS:-2}"
FAULT_THREADS="${FAULT_THREADS:-12}"
FAULT_DURATION="${FAULT_DURATION:-90}"
FAULT_SCHEDULE="${FAULT_SCHEDULE:-pg@15,redis@40,worker@65}"
BENCH_DB="${BENCH_DB:-enfance_bench}"
WORK="$ROOT/bench/results/run/faults"
BASE_URL="http://127.0.0.1:${FAULT_PORT}"

export UV_PYTHON_DOWNLOADS=never
export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${BENCH_DB}}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/14}"
export SECRET_KEY="bench-only-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ENCRYPTION_KEYS="${ENCRYPTION_KEYS:-GjPJ28HJp-_BoGXDNi5Sd3aA-dVPTtpd4DjpyP2Ha_w=}"  # bench/run.sh's
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=0
export VAR_DIR="${BENCH_VAR_DIR:-$ROOT/var/bench}"
export LOG_LEVEL=WARNING
# Every signature comes from 127.0.0.1 and one e-mail domain.
export PETITION_RATE_PER_IP="100000000/h"
export PETITION_RATE_PER_DOMAIN="100000000/h"

say() { printf '\n== %s\n' "$*"; }
rm -rf "$WORK"
mkdir -p "$WORK"

pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL ne répond pas." >&2; exit 1; }
redis-cli -u "$REDIS_URL" ping >/dev/null || { echo "Redis ne répond pas à $REDIS_URL." >&2; exit 1; }
[[ -f "$VAR_DIR/static/staticfiles.json" ]] || uv run python manage.py collectstatic --noinput -v 0
uv run python bench/petition_check.py communes --output "$WORK/communes.txt"

SERVER_PID=""
stop_server() {
    local granian
    granian=$(cat "$WORK/granian.pid" 2>/dev/null || true)
    [[ -n "$granian" ]] && kill -TERM "$granian" 2>/dev/null || true
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 40); do
        [[ -n "$granian" ]] && kill -0 "$granian" 2>/dev/null || break
        sleep 0.5
    done
    return 0
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if curl -s -o /dev/null "$BASE_URL/healthz"; then
    echo "Le port ${FAULT_PORT} est déjà occupé : choisir FAULT_PORT." >&2
    exit 1
fi
say "granian (${FAULT_WORKERS} workers, fils par défaut, connexions en pool, port ${FAULT_PORT})"
uv run granian --interface wsgi config.wsgi:application --host 127.0.0.1 --port "$FAULT_PORT" \
    --workers "$FAULT_WORKERS" --respawn-failed-workers --respawn-interval 1 \
    --no-access-log --log-level warning --pid-file "$WORK/granian.pid" >"$WORK/granian.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 120); do
    curl -sf -o /dev/null --max-time 5 "$BASE_URL/healthz" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -40 "$WORK/granian.log" >&2; exit 1; }
    sleep 1
done

say "Signatures pendant ${FAULT_DURATION} s, ${FAULT_THREADS} personnes ; pannes : ${FAULT_SCHEDULE}"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
uv run python bench/fault_scenario.py load --url "$BASE_URL" --granian-pid-file "$WORK/granian.pid" \
    --communes "$WORK/communes.txt" --out "$WORK" --threads "$FAULT_THREADS" \
    --duration "$FAULT_DURATION" --faults "$FAULT_SCHEDULE"
echo "Charge de la machine : $load_before -> $(cut -d' ' -f1-3 /proc/loadavg)"
healthy_after=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE_URL/healthz")
echo "/healthz après les pannes : $healthy_after"
stop_server

say "Vérification en base"
uv run python bench/fault_scenario.py check --out "$WORK" | tee "$ROOT/bench/results/run/fault_report.txt"
[[ "$healthy_after" == "200" ]]
