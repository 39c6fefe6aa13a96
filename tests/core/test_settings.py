"""The settings read from the environment (config/settings/base.py) build what they promise."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_with(environment: dict[str, str], code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **environment}
    env.setdefault("SECRET_KEY", "settings-test-" + "x" * 50)
    env.setdefault("ALLOWED_HOSTS", "localhost")
    env.setdefault("ENCRYPTION_KEYS", "GjPJ28HJp-_BoGXDNi5Sd3aA-dVPTtpd4DjpyP2Ha_w=")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_redis_url_gives_a_redis_cache_whose_client_loads():
    # Building the client imports the redis package without connecting: a missing dependency
    # used to stop the server at its first cached request.
    result = run_with(
        {"REDIS_URL": "redis://127.0.0.1:6399/0"},
        "from django.core.cache import caches; cache = caches['default']; "
        "cache.client.get_client(); print(type(cache).__name__)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RedisCache"


def test_with_redis_reference_data_stays_in_the_process():
    result = run_with(
        {"REDIS_URL": "redis://127.0.0.1:6399/0"},
        "from django.core.cache import caches; print(type(caches['local']).__name__)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "LocMemCache"


def test_without_redis_the_process_cache_is_large_enough_for_a_surge():
    result = run_with(
        {"REDIS_URL": "", "CACHE_PER_PROCESS_ACCEPTED": "1"},
        "from django.core.cache import caches; cache = caches['default']; "
        "print(type(cache).__name__, cache._max_entries, caches['local']._max_entries)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["LocMemCache", "20000", "20000"]


def test_production_refuses_to_start_without_a_shared_cache():
    result = run_with({"REDIS_URL": ""}, "print('démarré')")
    assert result.returncode != 0
    assert "ImproperlyConfigured: REDIS_URL manque" in result.stderr
    assert "démarré" not in result.stdout


def test_production_refuses_to_serve_without_collected_static_files(tmp_path):
    # An empty VAR_DIR: no static files collected there.
    environment = {"REDIS_URL": "redis://127.0.0.1:6399/0", "VAR_DIR": str(tmp_path)}
    result = run_with(environment, "import config.wsgi; print('démarré')")
    assert result.returncode != 0
    assert "Les fichiers statiques ne sont pas collectés" in result.stderr
    assert "collectstatic --noinput" in result.stderr
    assert "démarré" not in result.stdout
    check = run_with(
        environment,
        "from django.core.management import call_command; call_command('check', deploy=True)",
    )
    assert "enfance.E001" in check.stderr


def test_production_serves_once_the_static_files_are_collected(tmp_path):
    environment = {"REDIS_URL": "redis://127.0.0.1:6399/0", "VAR_DIR": str(tmp_path)}
    collect = run_with(
        environment,
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)",
    )
    assert collect.returncode == 0, collect.stderr
    result = run_with(environment, "import config.wsgi; print('démarré')")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "démarré"


def test_production_refuses_to_start_without_an_encryption_key():
    result = run_with({"ENCRYPTION_KEYS": ""}, "print('démarré')")
    assert result.returncode != 0
    assert "ENCRYPTION_KEYS doit être défini" in result.stderr


def test_the_local_demo_runs_without_debug_yet_with_its_demo_accounts():
    # As `make run` starts it: no key, host or DEBUG in the environment.
    unset = {"SECRET_KEY", "ENCRYPTION_KEYS", "ALLOWED_HOSTS", "DEBUG", "LOCAL_DEMO"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.DEMO_ACCOUNTS_ALLOWED, s.ALLOWED_HOSTS[0], "
            "s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[1])",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.demo"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "localhost",
        "CompressedManifestStaticFilesStorage",
    ]


def test_production_refuses_the_local_demo_switch():
    result = run_with({"LOCAL_DEMO": "1", "REDIS_URL": "redis://127.0.0.1:6399/0"}, "print(1)")
    assert result.returncode != 0
    assert "LOCAL_DEMO sert à la démonstration locale" in result.stderr
