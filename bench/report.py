"""Read the wrk runs of bench/run.sh, print a table and write bench/results/latest.json.

Each figure is also given as a ratio to the reference view measured in the same run (QUALITY.md:
the machine is noisy, the ratio means something). Standard library only.

    python bench/report.py --targets bench/results/run/targets.tsv \\
        --output bench/results/latest.json
"""

import argparse
import json
import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

REFERENCE = "reference"
P95_BUDGET_MS = 150.0  # every main page, 16 concurrent clients (QUALITY.md)
# Tighter budgets: the practices search with facets and a fiche (QUALITY.md, issue 3).
# The API's list endpoints too (issue 18).
PAGE_BUDGETS_MS = {
    "pratiques_recherche": 100.0,
    "pratiques_fiche": 100.0,
    "api_pratiques": 100.0,
    "api_instances": 100.0,
}
TALLY_BUDGET_MS = 2000.0  # majority judgment, 1,000,000 ballots, 10 options (QUALITY.md)
GENERATOR_BUDGET_S = 600.0  # the whole national dataset (QUALITY.md)
MARKER = "BENCH_JSON "
# Lines of manage.py bench_tally: "tally_counters_ms=123.4".
TALLY_LINE = re.compile(r"^(tally_\w+_ms)=([0-9.]+)$")
TALLY_LABELS = {
    "tally_counters_ms": "dépouillement (compteurs)",
    "tally_recount_ms": "recomptage intégral (bulletins)",
}
# Lines of generate_national_data after "Durées :": "  utilisateurs   2 min 09,3 s".
STEP_LINE = re.compile(r"^\s+(\S+)\s+(?:(\d+) min )?([0-9]+,[0-9]) s$")


def parse_wrk_output(text: str) -> dict:
    for line in text.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    raise ValueError("pas de ligne BENCH_JSON : wrk a-t-il tourné avec bench/wrk_report.lua ?")


def read_targets(path: Path) -> list[dict]:
    results = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, url_path, output = line.split("\t")
        figures = parse_wrk_output(Path(output).read_text(encoding="utf-8"))
        errors = sum(figures[k] for k in figures if k.startswith("errors_"))
        results.append({"name": name, "path": url_path, **figures, "errors": errors})
    return results


def add_ratios(results: list[dict]) -> None:
    reference = next((r for r in results if r["name"] == REFERENCE), None)
    for result in results:
        if reference and reference["rps"]:
            result["ratio_to_reference"] = round(result["rps"] / reference["rps"], 4)
        else:
            result["ratio_to_reference"] = None
        budget = PAGE_BUDGETS_MS.get(result["name"], P95_BUDGET_MS)
        result["p95_budget_ms"] = budget
        # A page that answered nothing in the whole run (every request timed out) is no success.
        result["within_p95_budget"] = (
            None
            if result["name"] == REFERENCE
            else bool(result["requests"]) and result["p95_ms"] <= budget
        )


def parse_tally(text: str) -> dict:
    """The medians printed by bench_tally, in ms, by key."""
    tally = {}
    for line in text.splitlines():
        match = TALLY_LINE.match(line.strip())
        if match:
            tally[match[1]] = float(match[2])
    if not tally:
        raise ValueError("pas de ligne tally_*_ms= : bench_tally a-t-il tourné ?")
    return tally


def parse_generator_steps(text: str) -> dict:
    """Per-step durations (seconds) from the « Durées : » block of generate_national_data."""
    steps = {}
    lines = text.splitlines()
    if "Durées :" not in lines:
        return steps
    for line in lines[lines.index("Durées :") + 1 :]:
        match = STEP_LINE.match(line)
        if not match:
            break
        minutes = int(match[2] or 0)
        steps[match[1]] = round(minutes * 60 + float(match[3].replace(",", ".")), 1)
    return steps


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def format_table(results: list[dict]) -> str:
    header = ("page", "chemin", "req/s", "p50 ms", "p95 ms", "ratio réf.", "budget", "erreurs")
    rows = []
    for r in results:
        ratio = "—" if r["ratio_to_reference"] is None else f"{r['ratio_to_reference']:.3f}"
        budget = {None: "—", True: "oui", False: "NON"}[r["within_p95_budget"]]
        rows.append(
            (
                r["name"],
                r["path"],
                f"{r['rps']:.0f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                ratio,
                budget,
                str(r["errors"]),
            )
        )
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    numeric = {2, 3, 4, 5, 7}

    def line(cells):
        return "  ".join(
            str(c).rjust(w) if i in numeric else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    separator = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), separator, *(line(row) for row in rows)])


def format_tally(tally: dict) -> str:
    rows = [
        (
            TALLY_LABELS.get(key, key),
            f"{ms:.0f}",
            "oui" if ms <= TALLY_BUDGET_MS else "NON",
        )
        for key, ms in tally.items()
    ]
    header = ("scrutin national", "médiane ms", f"≤ {TALLY_BUDGET_MS:.0f} ms")
    widths = [max(len(x) for x in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(
            c.rjust(w) if i == 1 else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()
        for cells in (header, *rows)
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=Path, required=True, help="targets.tsv de run.sh")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--users", type=int)
    parser.add_argument("--generator-seconds", type=float)
    parser.add_argument("--generator-log", type=Path, help="sortie de generate_national_data")
    parser.add_argument("--tally", type=Path, help="sortie de manage.py bench_tally")
    parser.add_argument("--server", default="")
    parser.add_argument("--load", default="")
    parser.add_argument("--loadavg-before", default="", help="/proc/loadavg avant la charge")
    parser.add_argument("--loadavg-after", default="", help="/proc/loadavg après la charge")
    args = parser.parse_args()

    results = read_targets(args.targets)
    add_ratios(results)
    generator_steps = {}
    if args.generator_log and args.generator_log.exists():
        generator_steps = parse_generator_steps(args.generator_log.read_text(encoding="utf-8"))
    tally = parse_tally(args.tally.read_text(encoding="utf-8")) if args.tally else {}
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            # Other processes on the machine skew every figure: the ratios less than the rest.
            "loadavg_before": args.loadavg_before,
            "loadavg_after": args.loadavg_after,
        },
        "server": args.server,
        "load": args.load,
        "dataset": {
            "users": args.users,
            # This run's generator: a few seconds when the data was already there.
            "generator_seconds": args.generator_seconds,
            "generator_steps_seconds": generator_steps,
            "generator_budget_seconds": GENERATOR_BUDGET_S,
        },
        "p95_budget_ms": P95_BUDGET_MS,
        "results": results,
        "tally": {
            **tally,
            "budget_ms": TALLY_BUDGET_MS,
            "within_budget": all(ms <= TALLY_BUDGET_MS for ms in tally.values()),
        }
        if tally
        else None,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")

    print(format_table(results))
    if tally:
        print()
        print(format_tally(tally))
    if args.generator_seconds is not None:
        print(f"\nGénérateur : {args.generator_seconds:.1f} s ({args.users} comptes visés)")
        if generator_steps:
            print("  " + ", ".join(f"{name} {sec:.1f} s" for name, sec in generator_steps.items()))
    if args.loadavg_before:
        print(f"Charge de la machine (loadavg 1/5/15 min) avant : {args.loadavg_before}")
    if args.loadavg_after:
        print(f"Charge de la machine (loadavg 1/5/15 min) après : {args.loadavg_after}")
    over = [r["name"] for r in results if r["within_p95_budget"] is False]
    if over:
        print(f"HORS BUDGET (p95 au-delà du budget de la page) : {', '.join(over)}")
    if any(r["errors"] for r in results):
        print("ATTENTION : des réponses non 2xx ou des erreurs faussent ces mesures.")
    print(f"Écrit : {args.output}")


if __name__ == "__main__":
    main()
