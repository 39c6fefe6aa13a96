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
        {"REDIS_URL": ""},
        "from django.core.cache import caches; cache = caches['default']; "
        "print(type(cache).__name__, cache._max_entries, caches['local']._max_entries)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["LocMemCache", "20000", "20000"]
