"""The petition surge's helper (bench/petition_surge.sh), against the bench database.

    petition_check.py communes --output FILE   commune labels for the load (URL-encoded)
    petition_check.py verify --run ID --dir D  figures of the run, then the database check:
        every new signature the server accepted is stored, once; no double submit made a
        second row. Then the run's rows are deleted, so runs do not pile up.

Exits 1 if a signature was lost or duplicated.
"""

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import quote_plus

import django
from django.core.exceptions import ValidationError
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
# A measurement in one process: its own memory cache is accepted when REDIS_URL is not given.
os.environ.setdefault("CACHE_PER_PROCESS_ACCEPTED", "1")

COMMUNES = 300
BUDGET_PER_S = 500
BUDGET_RATIO = 0.60


def communes(output: Path) -> None:
    # Imported here: the models need django.setup(), which main() runs first.
    from enfance.territories.models import Commune

    # Imported here: it imports the models, which need django.setup() first.
    from enfance.territories.search import commune_label, resolve_commune

    labels = []
    for commune in Commune.objects.order_by("-population")[: COMMUNES * 2]:
        label = commune_label(commune)
        try:
            if resolve_commune(label).pk != commune.pk:
                continue
        except ValidationError:
            continue
        labels.append(quote_plus(label))
        if len(labels) == COMMUNES:
            break
    if not labels:
        sys.exit("Aucune commune en base : lancer d'abord le générateur (étape territoires).")
    output.write_text("\n".join(labels) + "\n", encoding="utf-8")
    print(f"{len(labels)} communes")


def _figures(directory: Path, mode: str) -> dict:
    """The rounds of one view put together: rates over the total time, the worst p95."""
    rounds = []
    for path in sorted(directory.glob(f"{mode}-*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("SURGE_JSON "):
                rounds.append(json.loads(line.removeprefix("SURGE_JSON ")))
    if not rounds:
        sys.exit(f"Pas de résultat wrk pour « {mode} » dans {directory}")
    total = {key: sum(r[key] for r in rounds) for key in rounds[0] if key != "mode"}
    seconds = total["duration_s"]
    accepted = total["accepted_new"] + total["accepted_duplicate"] + total["accepted_shared"]
    return {
        **total,
        "rounds": len(rounds),
        "accepted_per_s": accepted / seconds,
        "new_per_s": total["accepted_new"] / seconds,
        "p50_ms": max(r["p50_ms"] for r in rounds),
        "p95_ms": max(r["p95_ms"] for r in rounds),
        "per_round": [round(r["accepted_per_s"], 1) for r in rounds],
    }


def verify(run: str, directory: Path, loadavg: str) -> int:
    # Imported here: the models need django.setup(), which main() runs first.
    from enfance.petitions.models import Signature, SurgeBaseline

    bare = _figures(directory, "bare")
    sign = _figures(directory, "sign")
    accepted = set()
    # The warm-up's files ("-w-") are not part of the measure.
    for path in directory.glob("accepted-sign-[0-9]*.txt"):
        accepted.update(line for line in path.read_text().splitlines() if line)
    prefix = f"surge.{run}r"
    stored = list(
        Signature.objects.filter(email_normalized__startswith=prefix).values_list(
            "email_normalized", flat=True
        )
    )
    stored_set = set(stored)
    lost = accepted - stored_set
    duplicated = len(stored) - len(stored_set)
    second_rows = Signature.objects.filter(
        email_normalized__startswith=prefix, email_normalized__contains="+"
    ).count()
    unanswered = len(stored_set - accepted)
    ratio = sign["accepted_per_s"] / bare["accepted_per_s"] if bare["accepted_per_s"] else 0
    socket_errors = sum(sign[k] for k in ("errors_connect", "errors_read", "errors_write"))
    socket_errors += sign["errors_timeout"]

    def verdict(ok: bool) -> str:
        return "oui" if ok else "NON"

    print(f"Charge de la machine (1, 5, 15 min) : {loadavg}")
    print(
        f"Vue nue (un INSERT)   : {bare['accepted_per_s']:8.1f} req/s"
        f"  p50 {bare['p50_ms']:.1f} ms  p95 {bare['p95_ms']:.1f} ms"
        f"  (tours : {bare['per_round']})"
    )
    print(
        f"Signature (POST)      : {sign['accepted_per_s']:8.1f} req/s acceptées"
        f" dont {sign['new_per_s']:.1f} nouvelles signatures/s"
        f"  p50 {sign['p50_ms']:.1f} ms  p95 {sign['p95_ms']:.1f} ms"
        f"  (tours : {sign['per_round']})"
    )
    print(
        f"  ≥ {BUDGET_PER_S} signatures/s (requêtes acceptées) : "
        f"{verdict(sign['accepted_per_s'] >= BUDGET_PER_S)} ;"
        f" nouvelles seules : {verdict(sign['new_per_s'] >= BUDGET_PER_S)}"
    )
    print(f"  ratio à la vue nue : {ratio:.2f} (≥ {BUDGET_RATIO:.2f} : {verdict(ratio >= 0.6)})")
    print(
        f"  réponses : {sign['accepted_new']} nouvelles, {sign['accepted_duplicate']} doubles"
        f" envois, {sign['accepted_shared']} envois simultanés d'une même adresse,"
        f" {sign['refused']} refusées, {socket_errors} erreurs de connexion"
    )
    print(
        f"Vérification : {len(accepted)} signatures acceptées, {len(stored_set)} en base,"
        f" {len(lost)} perdue(s), {duplicated + second_rows} en double,"
        f" {unanswered} enregistrée(s) sans réponse reçue (en vol à la fin de la mesure)"
    )
    for email in sorted(lost)[:5]:
        print(f"  perdue : {email}")
    if socket_errors:
        print("  (erreurs de connexion : l'appariement requête/réponse n'est plus garanti)")
    print(
        "SURGE_RESULT "
        + json.dumps(
            {
                "bare_per_s": round(bare["accepted_per_s"], 1),
                "sign_per_s": round(sign["accepted_per_s"], 1),
                "sign_new_per_s": round(sign["new_per_s"], 1),
                "ratio": round(ratio, 3),
                "sign_p95_ms": sign["p95_ms"],
                "accepted": len(accepted),
                "stored": len(stored_set),
                "lost": len(lost),
                "duplicated": duplicated + second_rows,
                "loadavg": loadavg,
            }
        )
    )
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Signature._meta.db_table)
        cursor.execute(
            f"DELETE FROM {table} WHERE email_normalized LIKE %s",  # noqa: S608
            [f"surge.{run}%"],
        )
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(SurgeBaseline._meta.db_table)}")
    return 1 if lost or duplicated or second_rows else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("communes")
    c.add_argument("--output", type=Path, required=True)
    v = sub.add_parser("verify")
    v.add_argument("--run", required=True)
    v.add_argument("--dir", type=Path, required=True)
    v.add_argument("--loadavg", default="")
    args = parser.parse_args()
    django.setup()
    if args.command == "communes":
        communes(args.output)
    else:
        sys.exit(verify(args.run, args.dir, args.loadavg))


if __name__ == "__main__":
    main()
