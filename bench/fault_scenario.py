"""The fault scenario (bench/fault_scenario.sh): people sign the petition while PostgreSQL is
restarted, then Redis, then one granian worker is killed.

    fault_scenario.py load --url URL --granian-pid-file F --communes F --out DIR
        signs from --threads threads for --duration seconds and injects the faults at their
        second (--faults pg@15,redis@40,worker@65); a person whose signing fails retries the same
        address until the platform answers, as a person would press « Signer » again.
    fault_scenario.py check --out DIR
        the database check: every signature the platform confirmed is stored, and no address is
        stored twice; then the run's rows are deleted. Writes DIR/fault_report.txt.

Not in CI: it restarts the machine's PostgreSQL and Redis. Exits 1 on a lost or doubled
signature, on a 500 or a traceback during an outage, or when the service does not come back.
"""

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import unquote_plus, urlencode, urlsplit

import django
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The 503 page's own words (enfance/templates/503.html).
RETRY_PAGE_WORDS = "Réessayez dans un instant"
# A person whose signing failed waits this long before pressing again.
RETRY_PAUSE_S = 0.5
# After the load, the people still retrying have this long to be answered.
SETTLE_S = 60


class Signer(threading.Thread):
    """One person after another signs from this thread, each retried until answered."""

    def __init__(self, number, target, run, communes, deadline, log):
        super().__init__(daemon=True)
        self.number, self.target, self.run_id = number, target, run
        self.communes, self.deadline, self.log = communes, deadline, log
        self.connection = None
        self.csrf = None

    def _connect(self):
        self.connection = http.client.HTTPConnection(
            self.target.hostname, self.target.port, timeout=15
        )

    def _request(self, method, path, body=None, headers=None):
        if self.connection is None:
            self._connect()
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace"), response
        except (OSError, http.client.HTTPException):
            # A worker killed mid-request, a connection reset: no answer at all.
            self.connection.close()
            self.connection = None
            return 0, "", None

    def _token(self):
        status, page, response = self._request("GET", "/petition/signer/")
        if status != 200:
            return False
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not (cookie and token):
            return False
        self.csrf = (cookie.group(1), token.group(1))
        return True

    def run(self):
        sequence = 0
        while time.monotonic() < self.deadline:
            sequence += 1
            email = f"faute.{self.run_id}.{self.number}.{sequence}@exemple.fr"
            commune = self.communes[sequence % len(self.communes)]
            self._sign_until_answered(email, commune, self.deadline + SETTLE_S)

    def _sign_until_answered(self, email, commune, give_up_at):
        while time.monotonic() < give_up_at:
            if self.csrf is None and not self._token():
                self.log(time.monotonic(), "token", 0, email, "")
                time.sleep(RETRY_PAUSE_S)
                continue
            body = urlencode(
                {
                    "csrfmiddlewaretoken": self.csrf[1],
                    "first_name": "Camille",
                    "last_name": "Faute",
                    "consent": "on",
                    "website": "",
                    "email": email,
                    "commune": commune,
                }
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.csrf[0]}",
            }
            status, page, _ = self._request("POST", "/petition/signer/", body, headers)
            self.log(time.monotonic(), "sign", status, email, page if status >= 500 else "")
            if status == 302:
                return
            if status == 403:
                self.csrf = None
            time.sleep(RETRY_PAUSE_S)


def restart_postgresql():
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[
        -1
    ]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )


def restart_redis():
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"], check=False
    )
    time.sleep(1)
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        capture_output=True,
    )


def kill_worker(pid_file):
    def kill():
        granian = Path(pid_file).read_text().strip()
        workers = subprocess.run(
            ["pgrep", "-P", granian], capture_output=True, text=True, check=False
        ).stdout.split()
        subprocess.run(["kill", "-KILL", workers[0]], check=True)

    return kill


def load(args):
    target = urlsplit(args.url)
    # petition_check.py writes them URL-encoded, for wrk's bodies.
    communes = [unquote_plus(line) for line in Path(args.communes).read_text().splitlines() if line]
    run = uuid.uuid4().hex[:10]
    events, lock = [], threading.Lock()

    def log(*event):
        with lock:
            events.append(event)

    faults = {
        "pg": restart_postgresql,
        "redis": restart_redis,
        "worker": kill_worker(args.granian_pid_file),
    }
    schedule = [
        (name, float(second)) for name, second in (f.split("@") for f in args.faults.split(","))
    ]
    start = time.monotonic()
    signers = [
        Signer(n, target, run, communes, start + args.duration, log) for n in range(args.threads)
    ]
    for signer in signers:
        signer.start()
    injected = []
    for name, second in schedule:
        time.sleep(max(0.0, start + second - time.monotonic()))
        began = time.monotonic()
        faults[name]()
        injected.append(
            {
                "fault": name,
                "at_s": round(began - start, 2),
                "took_s": round(time.monotonic() - began, 2),
            }
        )
        print(
            f"Panne « {name} » à {began - start:.1f} s ({time.monotonic() - began:.1f} s)",
            flush=True,
        )
    for signer in signers:
        signer.join()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    records = [
        {
            "t": round(t - start, 3),
            "kind": kind,
            "status": status,
            "email": email,
            "retry_page": RETRY_PAGE_WORDS in page,
            "traceback": "Traceback" in page,
        }
        for t, kind, status, email, page in sorted(events)
    ]
    (out / "fault_events.json").write_text(
        json.dumps({"run": run, "faults": injected, "duration_s": args.duration, "events": records})
    )
    print(f"{len(records)} requêtes, run {run}")


def unavailability(records, begin, end):
    """Seconds from the last answered signing before the first failure of the window to the
    first answered signing after its last failure; 0 when nothing failed."""
    window = [r for r in records if begin <= r["t"] < end]
    failures = [r["t"] for r in window if r["status"] != 302]
    if not failures:
        return 0.0
    before = [r["t"] for r in records if r["status"] == 302 and r["t"] < failures[0]]
    after = [r["t"] for r in records if r["status"] == 302 and r["t"] > failures[-1]]
    if not after:
        return None
    return round(after[0] - (before[-1] if before else begin), 2)


def check(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    django.setup()
    # Imported here: the models need django.setup() first.
    from enfance.petitions.models import Signature

    out = Path(args.out)
    data = json.loads((out / "fault_events.json").read_text())
    records = [r for r in data["events"] if r["kind"] == "sign"]
    confirmed = {r["email"] for r in records if r["status"] == 302}
    attempted = {r["email"] for r in records}
    prefix = f"faute.{data['run']}."
    stored = list(
        Signature.objects.filter(email_normalized__startswith=prefix).values_list(
            "email_normalized", flat=True
        )
    )
    lost = confirmed - set(stored)
    doubled = len(stored) - len(set(stored))
    unanswered = attempted - confirmed
    statuses = {}
    for r in records:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    errors_500 = sum(1 for r in records if r["status"] >= 500 and r["status"] != 503)
    tracebacks = sum(1 for r in records if r["traceback"])
    bare_503 = sum(1 for r in records if r["status"] == 503 and not r["retry_page"])

    lines = [
        f"Signatures confirmées : {len(confirmed)} ; en base : {len(set(stored))} ; perdues : "
        f"{len(lost)} ; en double : {doubled} ; jamais confirmées malgré les reprises : "
        f"{len(unanswered)}",
        "Réponses : "
        + ", ".join(f"{status or 'sans réponse'} × {n}" for status, n in sorted(statuses.items())),
        f"Erreurs 500 : {errors_500} ; pages avec une trace d'erreur : {tracebacks} ; "
        f"503 sans la page « {RETRY_PAGE_WORDS} » : {bare_503}",
    ]
    faults = data["faults"]
    bounds = [f["at_s"] for f in faults] + [data["duration_s"]]
    report = []
    for fault, end in zip(faults, bounds[1:], strict=True):
        seconds = unavailability(records, fault["at_s"], end)
        report.append({**fault, "unavailable_s": seconds})
        shown = "pas revenu" if seconds is None else f"{seconds:.1f} s"
        lines.append(f"Panne « {fault['fault']} » à {fault['at_s']:.0f} s : indisponible {shown}")
    text = "\n".join(lines)
    print(text)
    ok = not (lost or doubled or unanswered or errors_500 or tracebacks or bare_503) and all(
        r["unavailable_s"] is not None for r in report
    )
    result = {
        "confirmed": len(confirmed),
        "stored": len(set(stored)),
        "lost": len(lost),
        "doubled": doubled,
        "unanswered": len(unanswered),
        "statuses": statuses,
        "errors_500": errors_500,
        "tracebacks": tracebacks,
        "faults": report,
        "ok": ok,
    }
    print("FAULT_RESULT " + json.dumps(result))
    (out / "fault_report.txt").write_text(text + "\nFAULT_RESULT " + json.dumps(result) + "\n")
    # As petition_check.py does: the run's rows only, straight in SQL.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Signature._meta.db_table)
        cursor.execute(f"DELETE FROM {table} WHERE email_normalized LIKE %s", [f"{prefix}%"])  # noqa: S608
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("load")
    run.add_argument("--url", required=True)
    run.add_argument("--granian-pid-file", required=True)
    run.add_argument("--communes", required=True)
    run.add_argument("--out", required=True)
    run.add_argument("--threads", type=int, default=12)
    run.add_argument("--duration", type=float, default=90)
    run.add_argument("--faults", default="pg@15,redis@40,worker@65")
    verify = sub.add_parser("check")
    verify.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.command == "load":
        load(args)
        return 0
    return check(args)


if __name__ == "__main__":
    sys.exit(main())
