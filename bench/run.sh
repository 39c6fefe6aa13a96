#!/usr/bin/env bash
# Load benchmark on the national-scale dataset (QUALITY.md): PostgreSQL, production settings,
# granian with 2 workers, wrk at 16 connections. See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BENCH_USERS="${BENCH_USERS:-1000000}"
BENCH_SEED="${BENCH_SEED:-2025}"
BENCH_DB="${BENCH_DB:-enfance_bench}"
BENCH_PORT="${BENCH_PORT:-8765}"
BENCH_WORKERS="${BENCH_WORKERS:-2}"
BENCH_THREADS="${BENCH_THREADS:-2}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-16}"
BENCH_DURATION="${BENCH_DURATION:-15s}"
BENCH_WARMUP="${BENCH_WARMUP:-3s}"
BENCH_INSTANCES="${BENCH_INSTANCES:-1200}"
BENCH_EVENTS="${BENCH_EVENTS:-20000}"
BENCH_REGISTRATIONS="${BENCH_REGISTRATIONS:-500000}"
BENCH_DEPARTEMENT="${BENCH_DEPARTEMENT:-62}"
# The instance page loaded: empty = the first generated instance by slug (read from the database).
BENCH_INSTANCE="${BENCH_INSTANCE:-}"
# Measures of the national ballot's tally (manage.py bench_tally --repeat); 0 skips the tally.
BENCH_TALLY_REPEAT="${BENCH_TALLY_REPEAT:-5}"
# The pages loaded, by name (TARGETS below), space-separated; empty = all. The reference is
# always loaded: every ratio is computed against it.
BENCH_PAGES="${BENCH_PAGES:-}"
# 0 skips the petition surge.
BENCH_SURGE="${BENCH_SURGE:-1}"
# Threads per worker; empty: granian's default, as production runs it (deploy/). Connections
# come from each process's pool (DATABASE_POOL_MAX_SIZE, 4), whatever the threads: before the
# pool, each thread kept its own and granian's default (256 threads) exhausted PostgreSQL's 100
# connections, so the bench capped the threads at 2.
BENCH_BLOCKING_THREADS="${BENCH_BLOCKING_THREADS-}"
# The shared cache, as in production (README): Redis, this database emptied at the start. Empty:
# each process's own memory cache (figures then not those of a production server).
BENCH_REDIS_URL="${BENCH_REDIS_URL-redis://127.0.0.1:6379/14}"
RESULTS_DIR="$ROOT/bench/results"
RUN_DIR="$RESULTS_DIR/run"
PG_HOST=127.0.0.1
PG_PORT=5432
BASE_URL="http://127.0.0.1:${BENCH_PORT}"

export UV_PYTHON_DOWNLOADS=never
export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL="postgres://postgres@${PG_HOST}:${PG_PORT}/${BENCH_DB}"
export SECRET_KEY="bench-only-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# The bench database outlives a run: its encrypted rows need the same key every time (a key for
# generated data only, never for real people's).
export ENCRYPTION_KEYS="${ENCRYPTION_KEYS:-GjPJ28HJp-_BoGXDNi5Sd3aA-dVPTtpd4DjpyP2Ha_w=}"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=0
export VAR_DIR="${BENCH_VAR_DIR:-$ROOT/var/bench}"
export LOG_LEVEL=WARNING
# The API's throttle per address (core.api.RATE): the load comes from 127.0.0.1 alone.
export API_RATE="${API_RATE:-100000000/m}"

say() { printf '\n== %s\n' "$*"; }
manage() { uv run python manage.py "$@"; }

# --- Tools ---------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
    say "Installation de wrk"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

# --- PostgreSQL ----------------------------------------------------------------------------------
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    say "Démarrage de PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    for _ in $(seq 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
fi
if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '${BENCH_DB}'" | grep -q 1; then
    say "Création de la base ${BENCH_DB}"
    createdb -h "$PG_HOST" -p "$PG_PORT" -U postgres "$BENCH_DB"
fi

# --- Redis -------------------------------------------------------------------------------------
BENCH_CACHE="mémoire de chaque processus"
if [[ -n "$BENCH_REDIS_URL" ]]; then
    if ! redis-cli -u "$BENCH_REDIS_URL" ping >/dev/null 2>&1 && command -v redis-server >/dev/null; then
        say "Démarrage de Redis"
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
        sleep 1
    fi
    redis-cli -u "$BENCH_REDIS_URL" flushdb >/dev/null || {
        echo "Redis ne répond pas à $BENCH_REDIS_URL : le démarrer, ou BENCH_REDIS_URL= pour s'en passer." >&2
        exit 1
    }
    export REDIS_URL="$BENCH_REDIS_URL"
    BENCH_CACHE="Redis"
else
    # Production settings refuse to start without Redis unless told that this is a measurement.
    export CACHE_PER_PROCESS_ACCEPTED=1
fi

# --- Schema, data, static files ------------------------------------------------------------------
mkdir -p "$RUN_DIR"
rm -f "$RUN_DIR"/*.txt "$RUN_DIR"/*.log "$RUN_DIR"/targets.tsv "$RUN_DIR/granian.pid"

say "Migrations"
manage migrate --noinput

say "Jeu de données national (${BENCH_USERS} comptes, graine ${BENCH_SEED})"
generator_started=$(date +%s.%N)
# The log keeps the generator's own per-step durations (read by report.py).
manage generate_national_data --users "$BENCH_USERS" --seed "$BENCH_SEED" \
    --instances "$BENCH_INSTANCES" --events "$BENCH_EVENTS" \
    --registrations "$BENCH_REGISTRATIONS" --allow-production | tee "$RUN_DIR/generator.log"
generator_seconds=$(awk -v a="$generator_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

if [[ -z "$BENCH_INSTANCE" ]]; then
    BENCH_INSTANCE=$(manage shell -c "
from enfance.assemblies.national_data import generated_instances
print(generated_instances().order_by('slug').values_list('slug', flat=True).first() or '')
" | tail -n 1)
fi
if [[ -z "$BENCH_INSTANCE" ]]; then
    echo "Aucune instance générée : l'étape « instances » du générateur n'a rien produit." >&2
    exit 1
fi

# --- Practices: the library fiche whose page is measured (the first generated one) -------------
BENCH_PRACTICE="${BENCH_PRACTICE:-}"
if [[ -z "$BENCH_PRACTICE" ]]; then
    BENCH_PRACTICE=$(manage shell -c "
from enfance.practices.national_data import generated_practices
print(generated_practices().published().order_by('pk').values_list('pk', flat=True).first() or '')
" | tail -n 1)
fi
if [[ -z "$BENCH_PRACTICE" ]]; then
    echo "Aucune fiche générée : l'étape « pratiques » du générateur n'a rien produit." >&2
    exit 1
fi

# --- Proposals: the generated proposal with 500 comments whose page is measured -----------------
BENCH_PROPOSAL="${BENCH_PROPOSAL:-}"
if [[ -z "$BENCH_PROPOSAL" ]]; then
    BENCH_PROPOSAL=$(manage shell -c "
from enfance.proposals.national_data import bench_proposal_id
print(bench_proposal_id() or '')
" | tail -n 1)
fi
if [[ -z "$BENCH_PROPOSAL" ]]; then
    echo "Aucune proposition générée : l'étape « propositions » du générateur n'a rien produit." >&2
    exit 1
fi

# --- Texts: the generated law proposal whose comparison page is measured -------------------------
BENCH_LAW_PROPOSAL="${BENCH_LAW_PROPOSAL:-}"
if [[ -z "$BENCH_LAW_PROPOSAL" ]]; then
    BENCH_LAW_PROPOSAL=$(manage shell -c "
from enfance.texts.national_data import bench_law_proposal_slug
print(bench_law_proposal_slug() or '')
" | tail -n 1)
fi
if [[ -z "$BENCH_LAW_PROPOSAL" ]]; then
    echo "Aucune proposition de loi générée : l'étape « propositions_de_loi » n'a rien produit." >&2
    exit 1
fi

# --- Interpellations: an answered generated interpellation whose page is measured --------------
BENCH_INTERPELLATION="${BENCH_INTERPELLATION:-}"
if [[ -z "$BENCH_INTERPELLATION" ]]; then
    BENCH_INTERPELLATION=$(manage shell -c "
from enfance.interpellations.national_data import generated_interpellations
print(generated_interpellations().filter(state='answered').order_by('pk').values_list('pk', flat=True).first() or '')
" | tail -n 1)
fi
if [[ -z "$BENCH_INTERPELLATION" ]]; then
    echo "Aucune interpellation générée : l'étape « interpellations » du générateur n'a rien produit." >&2
    exit 1
fi

# --- Care network and control body: the signed-in magistrate, gestionnaire and contrôleur of
# BENCH_DEPARTEMENT -------------------------------------------------------------------------------
read -r MAGISTRATE_SESSION BENCH_STRUCTURE MANAGER_SESSION CONTROLEUR_SESSION < <(
    uv run python bench/care_sessions.py "$BENCH_DEPARTEMENT" | tail -n 1
)

# --- SCIC, transfers, villages (issue 17): the generated SCIC with the most associates (about
# 500), and the first generated village of BENCH_DEPARTEMENT, seen by its magistrate -------------
BENCH_SCIC="${BENCH_SCIC:-}"
if [[ -z "$BENCH_SCIC" ]]; then
    BENCH_SCIC=$(manage shell -c "
from enfance.care.cooperative_national_data import bench_cooperative_id
print(bench_cooperative_id() or '')
" | tail -n 1)
fi
if [[ -z "$BENCH_SCIC" ]]; then
    echo "Aucune SCIC générée : l'étape « scic » du générateur n'a rien produit." >&2
    exit 1
fi
BENCH_VILLAGE="${BENCH_VILLAGE:-}"
if [[ -z "$BENCH_VILLAGE" ]]; then
    BENCH_VILLAGE=$(manage shell -c "
from enfance.care.cooperative_national_data import bench_village_id
print(bench_village_id('${BENCH_DEPARTEMENT}') or '')
" | tail -n 1)
fi
if [[ -z "$BENCH_VILLAGE" ]]; then
    echo "Aucun village généré dans le département ${BENCH_DEPARTEMENT} : l'étape « villages » n'a rien produit." >&2
    exit 1
fi

# --- Support: a professional of BENCH_DEPARTEMENT and a request they handle, with its thread ------
read -r PROFESSIONAL_SESSION BENCH_SUPPORT_REQUEST < <(
    uv run python bench/support_sessions.py "$BENCH_DEPARTEMENT" | tail -n 1
)

# --- Control body: a published generated report (its page, its structure's history) -----------
read -r BENCH_REPORT BENCH_REPORT_STRUCTURE < <(manage shell -c "
from enfance.inspections.national_data import generated_inspections
report = generated_inspections().published().select_related('structure__departement').order_by('pk').first()
print(report.pk, report.public_identifier) if report else print('', '')
" | tail -n 1)
if [[ -z "$BENCH_REPORT" ]]; then
    echo "Aucun rapport d'inspection généré : l'étape « inspections » n'a rien produit." >&2
    exit 1
fi
BENCH_PLAN_YEAR="$(date +%Y)"

say "Fichiers statiques"
manage collectstatic --noinput -v 0

# --- Server --------------------------------------------------------------------------------------
SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 20); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    fi
    if [[ -s "$RUN_DIR/granian.pid" ]]; then
        local pid
        pid=$(cat "$RUN_DIR/granian.pid")
        kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
    fi
    return 0
}
trap stop_server EXIT INT TERM

if curl -s -o /dev/null "$BASE_URL/healthz"; then
    echo "Le port ${BENCH_PORT} est déjà occupé : arrêter ce serveur ou choisir BENCH_PORT." >&2
    exit 1
fi

say "Démarrage de granian (${BENCH_WORKERS} workers, port ${BENCH_PORT})"
granian_extra=()
[[ -n "$BENCH_BLOCKING_THREADS" ]] && granian_extra+=(--blocking-threads "$BENCH_BLOCKING_THREADS")
uv run granian --interface wsgi config.wsgi:application \
    --host 127.0.0.1 --port "$BENCH_PORT" --workers "$BENCH_WORKERS" \
    --no-access-log --log-level warning --pid-file "$RUN_DIR/granian.pid" "${granian_extra[@]}" \
    >"$RUN_DIR/granian.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 60); do
    curl -sf -o /dev/null "$BASE_URL/healthz" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$RUN_DIR/granian.log" >&2; exit 1; }
    sleep 0.5
done
curl -sf -o /dev/null "$BASE_URL/healthz" || { echo "/healthz ne répond pas" >&2; exit 1; }

# --- Load ----------------------------------------------------------------------------------------
# name, path[, session key of the signed-in person]: the reference first (the ceiling every
# ratio is computed against).
TARGETS=(
    "reference /bench/reference"
    "accueil /"
    "departement /territoires/departement/${BENCH_DEPARTEMENT}/"
    "instances /instances/"
    "instance /instances/${BENCH_INSTANCE}/"
    "agenda /agenda/"
    "interpellations /interpellations/"
    "interpellations_institutions /interpellations/institutions/"
    "interpellation /interpellations/${BENCH_INTERPELLATION}/"
    "petition /petition/"
    "pratiques_recherche /pratiques/?q=parents&niveau=1&echelle=departementale"
    "pratiques_fiche /pratiques/${BENCH_PRACTICE}/"
    "propositions_recherche /propositions/?q=familles+enfants"
    "proposition_500_commentaires /propositions/${BENCH_PROPOSAL}/"
    "loi_comparaison /propositions-de-loi/${BENCH_LAW_PROPOSAL}/comparer/?de=1&a=3"
    "delais_mesures /delais/"
    "places_recherche_magistrat /accueil/recherche/?departement=${BENCH_DEPARTEMENT}&age_band=13-17 ${MAGISTRATE_SESSION}"
    "places_declaration /accueil/structures/${BENCH_STRUCTURE}/places/ ${MANAGER_SESSION}"
    "controle_rapport /controle/rapports/${BENCH_REPORT}/"
    "controle_historique /controle/etablissements/${BENCH_REPORT_STRUCTURE}/"
    "controle_plan /controle/plans/${BENCH_DEPARTEMENT}/${BENCH_PLAN_YEAR}/ ${CONTROLEUR_SESSION}"
    "soutien_file /soutien/file/ ${PROFESSIONAL_SESSION}"
    "soutien_demande /soutien/demandes/${BENCH_SUPPORT_REQUEST}/ ${PROFESSIONAL_SESSION}"
    "scic /accueil/scic/${BENCH_SCIC}/"
    "transferts /accueil/transferts/"
    "village /accueil/villages/${BENCH_VILLAGE}/ ${MAGISTRATE_SESSION}"
    "strategie_tableau /strategie/tableau-de-bord/"
    "strategie_departement /strategie/departements/${BENCH_DEPARTEMENT}/"
    "api_pratiques /api/v1/pratiques/?limit=20"
    "api_instances /api/v1/donnees/instances-locales/?departement=69"
)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for target in "${TARGETS[@]}"; do
    read -r name path session <<<"$target"
    if [[ -n "$BENCH_PAGES" && "$name" != reference && " $BENCH_PAGES " != *" $name "* ]]; then
        continue
    fi
    url="$BASE_URL$path"
    cookie=()
    [[ -n "${session:-}" ]] && cookie=(-H "Cookie: sessionid=${session}")
    status=$(curl -s -o /dev/null -w '%{http_code}' "${cookie[@]}" "$url")
    if [[ "$status" != "200" ]]; then
        echo "$url répond $status au lieu de 200 : mesure annulée." >&2
        exit 1
    fi
    say "Charge : $name ($path), ${BENCH_CONNECTIONS} connexions, ${BENCH_DURATION}"
    wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_WARMUP" "${cookie[@]}" "$url" >/dev/null
    wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --timeout 10s --latency \
        "${cookie[@]}" -s "$ROOT/bench/wrk_report.lua" "$url" | tee "$RUN_DIR/$name.txt"
    printf '%s\t%s\t%s\n' "$name" "$path" "$RUN_DIR/$name.txt" >>"$RUN_DIR/targets.tsv"
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_server

# --- Petition surge (enfance/petitions/README.md) --------------------------------------------
# Its own granian (BENCH_VIEWS=1, raised rate limits): the bare one-INSERT view, then signing,
# then the database check (nothing lost or duplicated). Results: $RUN_DIR/petition_surge.txt.
if [[ "$BENCH_SURGE" != "0" ]]; then
    SURGE_RESULTS="$RUN_DIR" bash "$ROOT/bench/petition_surge.sh" \
        || echo "Pétition : mesure de l'afflux en échec (voir $RUN_DIR/petition_surge/)." >&2
fi

# --- Tally ---------------------------------------------------------------------------------------
# Server stopped: the tally has the machine to itself (with PostgreSQL, where it is computed).
tally_args=()
if [[ "$BENCH_TALLY_REPEAT" != "0" ]]; then
    say "Dépouillement du scrutin national (${BENCH_TALLY_REPEAT} mesures)"
    manage bench_tally --repeat "$BENCH_TALLY_REPEAT" | tee "$RUN_DIR/tally.txt"
    tally_args=(--tally "$RUN_DIR/tally.txt")
fi

# --- Report --------------------------------------------------------------------------------------
say "Résultats"
uv run python bench/report.py \
    --targets "$RUN_DIR/targets.tsv" \
    --output "$RESULTS_DIR/latest.json" \
    --users "$BENCH_USERS" \
    --generator-seconds "$generator_seconds" \
    --generator-log "$RUN_DIR/generator.log" \
    "${tally_args[@]}" \
    --server "granian wsgi, ${BENCH_WORKERS} workers${BENCH_BLOCKING_THREADS:+, ${BENCH_BLOCKING_THREADS} blocking threads}, pool de ${DATABASE_POOL_MAX_SIZE:-4} connexions par processus, cache : ${BENCH_CACHE}" \
    --loadavg-before "$load_before" --loadavg-after "$load_after" \
    --load "wrk -t${BENCH_THREADS} -c${BENCH_CONNECTIONS} -d${BENCH_DURATION}"
