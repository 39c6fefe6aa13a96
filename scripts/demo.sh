#!/usr/bin/env bash
# `make demo` (and so `make run` and `make dev`): the SQLite database migrated, the territories
# imported and the demo data loaded, in one Django start (manage.py prepare_demo). Skipped when
# nothing that could change them (the code, the data files) changed since the last time it was
# done: a second `make run` then starts at once and prints the demo accounts it kept.
set -euo pipefail
uv_cmd=$(command -v uv || echo "python3 -m uv")
mkdir -p var
stamp=var/demo.fingerprint
accounts=var/demo.txt
fingerprint=$(
    {
        find enfance config data -type f -not -path '*/__pycache__/*' -printf '%p %s %T@\n' | sort
        echo "${DATABASE_URL:-}"
    } | sha1sum | cut -d' ' -f1
)
# Only the embedded database is known to be this checkout's own.
if [[ -z "${DATABASE_URL:-}" && -f var/enfance.sqlite3 && -f "$stamp" && -f "$accounts" \
    && "$(cat "$stamp")" == "$fingerprint" ]]; then
    echo "Données de démonstration déjà en place : rien n'a changé depuis leur chargement."
    sed -n '/^Comptes de démonstration/,$p' "$accounts"
    exit 0
fi
rm -f "$stamp"
LOG_LEVEL=WARNING $uv_cmd run python manage.py prepare_demo | tee "$accounts"
echo "$fingerprint" >"$stamp"
