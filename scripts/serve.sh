#!/usr/bin/env bash
# Starts the background-job worker and the development server; stops both on Ctrl+C.
set -euo pipefail
host="$1"
port="$2"
uv_cmd=$(command -v uv || echo "python3 -m uv")
$uv_cmd run python manage.py db_worker >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  La plateforme est prête : http://${host}:${port}/
  Les e-mails (confirmation d'adresse, mot de passe oublié) sont écrits dans var/mail/.
  Les tâches de fond tournent en arrière-plan (journal : var/worker.log).
  Arrêter : Ctrl+C

MSG
$uv_cmd run python manage.py runserver "${host}:${port}"
