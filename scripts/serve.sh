#!/usr/bin/env bash
# `make run`: the demo served as in production (config/settings/demo.py: DEBUG off, the project's
# error pages, static files under hashed names from WhiteNoise, granian) with the background-job
# worker; the address is printed once the server answers. Ctrl+C stops both.
set -euo pipefail
host="$1"
port="$2"
uv_cmd=$(command -v uv || echo "python3 -m uv")
mkdir -p var

# Collected again only when the sources or the dependencies changed: a second run stays fast.
# Beside the demo's preparation rather than after it: two cores, half the wait.
manifest=var/static/staticfiles.json
collecting=""
if [[ ! -f "$manifest" || -n "$(find enfance/static uv.lock -newer "$manifest" -print -quit)" ]]; then
    echo "Préparation des fichiers statiques…"
    DJANGO_SETTINGS_MODULE=config.settings.demo $uv_cmd run python manage.py collectstatic \
        --noinput -v0 >var/collectstatic.log 2>&1 &
    collecting=$!
fi
bash scripts/demo.sh
if [[ -n "$collecting" ]] && ! wait "$collecting"; then
    echo "Les fichiers statiques n'ont pas pu être préparés :" >&2
    cat var/collectstatic.log >&2
    exit 1
fi

export DJANGO_SETTINGS_MODULE=config.settings.demo

$uv_cmd run python manage.py db_worker >var/worker.log 2>&1 &
worker=$!
# One process: the demo's cache is that process's memory, so a page invalidated by a write is
# seen by the next request (production shares Redis between its processes).
$uv_cmd run granian --interface wsgi config.wsgi:application --host "$host" --port "$port" \
    --workers 1 --blocking-threads 4 --no-access-log --log-level warning >var/server.log 2>&1 &
server=$!
trap 'kill "$worker" "$server" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 120); do
    python3 -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
        "http://${host}:${port}/healthz" 2>/dev/null && break
    if ! kill -0 "$server" 2>/dev/null; then
        echo "Le serveur n'a pas démarré :" >&2
        cat var/server.log >&2
        exit 1
    fi
    sleep 0.25
done
cat <<MSG

  La plateforme est prête : http://${host}:${port}/
  Les e-mails (confirmation d'adresse, mot de passe oublié) sont écrits dans var/mail/.
  Journaux : var/server.log (serveur), var/worker.log (tâches de fond).
  Un autre port : make run PORT=8001. Arrêter : Ctrl+C

MSG
wait "$server"
