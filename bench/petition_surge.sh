#!/usr/bin/env bash
# The petition surge (QUALITY.md: >= 500 accepted signatures/s, >= 60 % of a bare one-INSERT
# Django view in the same run, nothing lost or counted twice under double submits).
#
# Starts its own granian (production settings, 2 workers) with the bench-only view switched on
# (BENCH_VIEWS=1) and the signing rate limits raised (every request comes from 127.0.0.1 and
# from one e-mail domain), then loads, in alternating rounds, the bare one-INSERT view and the
# signing form with wrk + bench/petition_surge.lua, and checks the database with
# bench/petition_check.py (which deletes the run's rows afterwards). See bench/README.md.
#
# The server may take up to SURGE_START_TIMEOUT seconds (180) to answer on a busy machine; if it
# does not, the script says why, with the end of the server's log. Whatever the way out, it stops
# the granian it started (its own PID, from its PID file) and its workers.
#
# Called by bench/run.sh after the page loads (same environment: DATABASE_URL, SECRET_KEY,
# DJANGO_SETTINGS_MODULE…); runs alone too:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/enfance_bench bench/petition_surge.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SURGE_PORT="${SURGE_PORT:-8766}"
SURGE_WORKERS="${SURGE_WORKERS:-${BENCH_WORKERS:-2}}"
SURGE_BLOCKING_THREADS="${SURGE_BLOCKING_THREADS-${BENCH_BLOCKING_THREADS-}}"  # empty: granian's default
SURGE_CONNECTIONS="${SURGE_CONNECTIONS:-${BENCH_CONNECTIONS:-16}}"
SURGE_DURATION="${SURGE_DURATION:-${BENCH_DURATION:-15s}}"  # per round and view
SURGE_ROUNDS="${SURGE_ROUNDS:-2}"
SURGE_WARMUP="${SURGE_WARMUP:-3s}"
SURGE_DUPLICATE_EVERY="${SURGE_DUPLICATE_EVERY:-5}"
SURGE_RESULTS="${SURGE_RESULTS:-$ROOT/bench/results/run}"
SURGE_START_TIMEOUT="${SURGE_START_TIMEOUT:-180}"  # seconds the server may take to answer
SURGE_STOP_TIMEOUT="${SURGE_STOP_TIMEOUT:-20}"     # seconds it may take to stop, then killed
SURGE_LOG_LINES="${SURGE_LOG_LINES:-40}"           # lines of its log shown when it fails
BASE_URL="http://127.0.0.1:${SURGE_PORT}"

export UV_PYTHON_DOWNLOADS=never
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"
export SECRET_KEY="${SECRET_KEY:-bench-only-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export ENCRYPTION_KEYS="${ENCRYPTION_KEYS:-GjPJ28HJp-_BoGXDNi5Sd3aA-dVPTtpd4DjpyP2Ha_w=}"  # bench/run.sh's, for generated data only
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SECURE_SSL_REDIRECT=0
export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
: "${DATABASE_URL:?DATABASE_URL doit désigner la base PostgreSQL du banc d’essai}"
export DATABASE_URL
# Only this server: the bench view, and limits a surge from one machine does not hit.
export BENCH_VIEWS=1
export PETITION_RATE_PER_IP="${PETITION_RATE_PER_IP:-100000000/h}"
export PETITION_RATE_PER_DOMAIN="${PETITION_RATE_PER_DOMAIN:-100000000/h}"

RUN_ID="$(date +%s)$$"
WORK="$SURGE_RESULTS/petition_surge"
rm -rf "$WORK"
mkdir -p "$WORK"

say() { printf '\n== %s\n' "$*"; }

if [[ ! -f "${VAR_DIR:-$ROOT/var}/static/staticfiles.json" ]]; then
    say "Pétition : fichiers statiques"
    uv run python manage.py collectstatic --noinput -v 0
fi

say "Pétition : communes du banc d'essai"
uv run python bench/petition_check.py communes --output "$WORK/communes.txt"

# What this script starts, it stops, on every way out (success, failure, Ctrl-C): granian's own
# process (from its PID file: `uv run` is only its parent), its workers, and `uv` itself.
SERVER_PID=""                      # `uv run`, the parent
PID_FILE="$WORK/granian.pid"       # granian's own PID, written by granian
LOG="$WORK/granian.log"

granian_pid() {
    if [[ -s "$PID_FILE" ]]; then
        cat "$PID_FILE"
    elif [[ -n "$SERVER_PID" ]]; then
        pgrep -P "$SERVER_PID" | head -1 || true
    fi
    return 0
}

stop_surge_server() {
    local granian workers pid
    granian=$(granian_pid)
    workers=()
    [[ -n "$granian" ]] && mapfile -t workers < <(pgrep -P "$granian" || true)
    for pid in "$granian" "$SERVER_PID"; do
        [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in $(seq "$((SURGE_STOP_TIMEOUT * 2))"); do
        local alive=0
        for pid in "$granian" "$SERVER_PID" "${workers[@]}"; do
            [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && alive=1
        done
        (( alive )) || break
        sleep 0.5
    done
    for pid in "${workers[@]}" "$granian" "$SERVER_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            echo "Pétition : le processus $pid ne s'arrête pas en ${SURGE_STOP_TIMEOUT} s, arrêt forcé." >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    SERVER_PID=""
    rm -f "$PID_FILE"
    return 0
}
trap stop_surge_server EXIT
# An interruption ends the script (and so runs the EXIT trap) instead of resuming it.
trap 'exit 130' INT
trap 'exit 143' TERM

fail_to_start() {
    {
        echo "Pétition : le serveur du banc d'essai n'a pas démarré : $1"
        echo "--- fin du journal du serveur ($LOG) ---"
        tail -n "$SURGE_LOG_LINES" "$LOG" 2>/dev/null || echo "(journal vide)"
    } >&2
    exit 1
}

if curl -s -o /dev/null "$BASE_URL/healthz"; then
    echo "Le port ${SURGE_PORT} est déjà occupé : choisir SURGE_PORT." >&2
    exit 1
fi
say "Pétition : granian (${SURGE_WORKERS} workers, port ${SURGE_PORT}, BENCH_VIEWS=1)"
granian_extra=()
[[ -n "$SURGE_BLOCKING_THREADS" ]] && granian_extra+=(--blocking-threads "$SURGE_BLOCKING_THREADS")
rm -f "$PID_FILE"
uv run granian --interface wsgi config.wsgi:application \
    --host 127.0.0.1 --port "$SURGE_PORT" --workers "$SURGE_WORKERS" \
    --no-access-log --log-level warning --pid-file "$PID_FILE" "${granian_extra[@]}" \
    >"$LOG" 2>&1 &
SERVER_PID=$!
# A busy machine (the shared cores, the page loads just before) can take a long time to import
# Django in every worker: wait up to SURGE_START_TIMEOUT seconds, each try bounded too.
started=$SECONDS
until curl -sf -o /dev/null --max-time 5 "$BASE_URL/healthz"; do
    kill -0 "$SERVER_PID" 2>/dev/null \
        || fail_to_start "il s'est arrêté au bout de $((SECONDS - started)) s."
    (( SECONDS - started < SURGE_START_TIMEOUT )) \
        || fail_to_start "/healthz ne répond pas après ${SURGE_START_TIMEOUT} s (SURGE_START_TIMEOUT)."
    sleep 1
done
echo "Serveur prêt en $((SECONDS - started)) s."

# The CSRF strategy: GET the form once, as a browser does, and reuse its cookie and token for
# every request (Django accepts any number of forms posted with one pair). Nothing is exempt.
form_headers="$WORK/form.headers"
curl -sf -D "$form_headers" -o "$WORK/form.html" "$BASE_URL/petition/signer/"
SURGE_COOKIE=$(grep -io 'csrftoken=[^;]*' "$form_headers" | head -1 | cut -d= -f2 | tr -d '\r')
SURGE_TOKEN=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$WORK/form.html" | head -1 | sed -E 's/.*value="([^"]*)"/\1/')
if [[ -z "$SURGE_COOKIE" || -z "$SURGE_TOKEN" ]]; then
    echo "Pas de jeton CSRF sur /petition/signer/ : la pétition est-elle ouverte ?" >&2
    exit 1
fi
bench_status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d "email=sonde-$RUN_ID" "$BASE_URL/petition/banc/insertion/")
if [[ "$bench_status" != "204" ]]; then
    echo "La vue de référence répond $bench_status (204 attendu) : BENCH_VIEWS n'est pas pris en compte." >&2
    exit 1
fi
export SURGE_COOKIE SURGE_TOKEN SURGE_DUPLICATE_EVERY SURGE_DIR="$WORK" SURGE_COMMUNES="$WORK/communes.txt"

load() {  # mode path round
    local mode=$1 path=$2 round=$3
    say "Pétition : $mode ($path), tour $round, ${SURGE_CONNECTIONS} connexions, ${SURGE_DURATION}"
    if [[ "$round" == 1 ]]; then
        SURGE_MODE=$mode SURGE_RUN="${RUN_ID}w" SURGE_ROUND=w wrk -t"$SURGE_CONNECTIONS" \
            -c"$SURGE_CONNECTIONS" -d"$SURGE_WARMUP" -s bench/petition_surge.lua "$BASE_URL$path" \
            >/dev/null
    fi
    SURGE_MODE=$mode SURGE_RUN="${RUN_ID}r${round}" SURGE_ROUND=$round wrk -t"$SURGE_CONNECTIONS" \
        -c"$SURGE_CONNECTIONS" -d"$SURGE_DURATION" --timeout 10s -s bench/petition_surge.lua \
        "$BASE_URL$path" | tee "$WORK/$mode-$round.txt"
}

# Rounds alternate the two views, so that a change of the machine's load during the run (it is
# shared) weighs on both alike.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$SURGE_ROUNDS"); do
    load bare /petition/banc/insertion/ "$round"
    load sign /petition/signer/ "$round"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_surge_server

say "Pétition : vérification en base"
uv run python bench/petition_check.py verify --run "$RUN_ID" --dir "$WORK" \
    --loadavg "$load_before -> $load_after" | tee "$SURGE_RESULTS/petition_surge.txt"
