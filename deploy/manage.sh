#!/usr/bin/env bash
# manage.py sur le serveur, comme les services le lancent : en tant qu'utilisateur enfance, dans
# /srv/enfance, avec /etc/enfance/enfance.env. À lancer en root ou en tant qu'enfance :
#
#   /srv/enfance/deploy/manage.sh migrate
#   /srv/enfance/deploy/manage.sh scheduler --liste
#
# Ailleurs : ENFANCE_DIR, ENFANCE_ENV_FILE et ENFANCE_USER changent ces trois valeurs.
set -euo pipefail
app_dir="${ENFANCE_DIR:-/srv/enfance}"
env_file="${ENFANCE_ENV_FILE:-/etc/enfance/enfance.env}"
app_user="${ENFANCE_USER:-enfance}"

if [[ "$(id -u)" == 0 && "$app_user" != root ]]; then
    exec runuser -u "$app_user" -- env ENFANCE_DIR="$app_dir" ENFANCE_ENV_FILE="$env_file" \
        ENFANCE_USER="$app_user" bash "$app_dir/deploy/manage.sh" "$@"
fi
if [[ "$(id -un)" != "$app_user" ]]; then
    echo "À lancer en root ou en tant que ${app_user}." >&2
    exit 1
fi
if [[ ! -r "$env_file" ]]; then
    echo "Le fichier d'environnement ${env_file} manque ou n'est pas lisible par ${app_user}." >&2
    exit 1
fi
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.production}"
cd "$app_dir"
exec "$app_dir/.venv/bin/python" manage.py "$@"
