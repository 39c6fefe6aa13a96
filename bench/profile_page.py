"""One page of the benchmark, from the inside: its SQL queries (time, text) and where the time goes.

Runs the page through Django's test client, in-process, against the database of the environment
(run it with the variables of bench/run.sh to read the bench database):

    DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=x SECURE_SSL_REDIRECT=0 \\
    ENCRYPTION_KEYS=GjPJ28HJp-_BoGXDNi5Sd3aA-dVPTtpd4DjpyP2Ha_w= \\
    ALLOWED_HOSTS=testserver DATABASE_URL=postgres://postgres@127.0.0.1:5432/enfance_bench \\
    uv run python bench/profile_page.py /agenda/ [--repeat 5] [--explain] [--profile] [--as EMAIL]

Prints the median wall time, the number of queries and the slowest ones; `--explain` adds
PostgreSQL's EXPLAIN ANALYZE of the slowest; `--profile` a cProfile of one request.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# A measurement in one process: its own memory cache is accepted when REDIS_URL is not given.
os.environ.setdefault("CACHE_PER_PROCESS_ACCEPTED", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=5, help="slowest queries shown")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--as", dest="email", default="", help="signed in as this account")
    args = parser.parse_args()

    django.setup()

    client = Client()
    if args.email:
        client.force_login(get_user_model().objects.get(email=args.email))
    response = client.get(args.path)  # warm: connection, caches, templates
    if response.status_code != 200:
        raise SystemExit(f"{args.path} répond {response.status_code}")
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        client.get(args.path)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        client.get(args.path)
        total = time.perf_counter() - started
    queries = [(float(q["time"]), q["sql"]) for q in captured.captured_queries]
    sql_seconds = sum(t for t, _ in queries)
    print(
        f"{args.path}: médiane {statistics.median(timings) * 1000:.1f} ms sur {args.repeat}, "
        f"{len(queries)} requêtes SQL, {sql_seconds * 1000:.1f} ms de SQL sur "
        f"{total * 1000:.1f} ms"
    )
    slowest = sorted(queries, key=lambda q: q[0], reverse=True)[: args.top]
    for seconds, sql in slowest:
        print(f"\n-- {seconds * 1000:.1f} ms\n{sql}")
        if args.explain and connection.vendor == "postgresql" and sql.lstrip().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                print("\n".join(row[0] for row in cursor.fetchall()))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(args.path)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        # Own time first (where the CPU goes), then the project's code by cumulative time.
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(r"enfance|templatetags|dsfr", 25)
        print(out.getvalue())


if __name__ == "__main__":
    main()
