"""The platform's recurring jobs, run by one long-lived command (`manage.py scheduler`).

Each job has slots (every minute, every hour at a minute, every day at a Paris time). A slot is
claimed by inserting its row (ScheduledRun, unique per job and slot) before the job runs, so that
a slot runs once even with two schedulers or after a restart; a scheduler that was stopped runs
the latest missed slot of each job once, never every missed one (the jobs act on what is due, so
one run catches up)."""

import io
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)

# A run's output kept for the operator (`manage.py scheduler --liste`).
OUTPUT_CHARACTERS = 2000
# Runs are kept this long, so that a week of failures can be read back.
KEEP_RUNS = timedelta(days=7)


@dataclass(frozen=True)
class Job:
    command: str
    # "minute", "hour" (at ``at.minute``) or "day" (at ``at``, Paris time).
    every: str
    at: time = time(0, 0)
    # How the command is told the scheduler's clock: "--date" (a day), "--maintenant" (a
    # moment) or "" (it reads the clock itself: nothing of it depends on a given day).
    clock_option: str = ""

    def slot(self, now: datetime) -> datetime:
        """The latest moment at or before ``now`` when this job is due."""
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        if self.every == "minute":
            return local
        if self.every == "hour":
            slot = local.replace(minute=self.at.minute)
            return slot if slot <= local else slot - timedelta(hours=1)
        slot = local.replace(hour=self.at.hour, minute=self.at.minute)
        return slot if slot <= local else slot - timedelta(days=1)

    def arguments(self, now: datetime) -> list[str]:
        local = timezone.localtime(now)
        if self.clock_option == "--date":
            return ["--date", local.date().isoformat()]
        if self.clock_option == "--maintenant":
            return ["--maintenant", local.isoformat(timespec="minutes")]
        return []


# The order within one minute is the order of this table.
JOBS = (
    # Consultations closed at their date, just after midnight.
    Job("close_due_consultations", "day", time(0, 5), "--date"),
    Job("end_adult_child_mandates", "day", time(0, 15), "--date"),
    Job("anonymise_petitions", "day", time(2, 0)),
    Job("purge_support_requests", "day", time(2, 30)),
    # E-mails to people in the morning, not in the night.
    Job("send_event_reminders", "day", time(7, 0), "--maintenant"),
    Job("send_interpellation_reminders", "day", time(7, 30), "--maintenant"),
    Job("send_proposal_digests", "day", time(8, 0), "--date"),
    Job("send_places_reminders", "hour", time(0, 10), "--maintenant"),
    # The safety net of the petition's confirmation e-mails.
    Job("send_petition_emails", "minute"),
)


def _claim(job: Job, slot: datetime) -> ScheduledRun | None:
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job.command, slot=slot)
    except IntegrityError:
        return None


def run(job: Job, now: datetime) -> ScheduledRun | None:
    """Runs the job for its slot at ``now`` unless that slot already ran; a failure is recorded
    and logged, never raised: the other jobs still run."""
    slot = job.slot(now)
    claimed = _claim(job, slot)
    if claimed is None:
        return None
    output = io.StringIO()
    try:
        # The job is told its slot's clock, not the moment it runs: a slot caught up late acts
        # as it would have on time (yesterday's closing at 00:05 closes yesterday's due ones).
        call_command(job.command, *job.arguments(slot), stdout=output, stderr=output)
    except Exception as error:
        logger.exception("Scheduled job failed: %s", job.command)
        claimed.succeeded = False
        output.write(f"\n{type(error).__name__}: {error}")
    else:
        claimed.succeeded = True
    claimed.finished_at = timezone.now()
    claimed.output = output.getvalue()[-OUTPUT_CHARACTERS:]
    claimed.save(update_fields=["succeeded", "finished_at", "output"])
    return claimed


def run_due(now: datetime | None = None, jobs: tuple[Job, ...] = JOBS) -> list[ScheduledRun]:
    """Every job whose slot at ``now`` has not run yet, in the table's order."""
    now = now or timezone.now()
    runs = [ran for job in jobs if (ran := run(job, now)) is not None]
    ScheduledRun.objects.filter(slot__lt=now - KEEP_RUNS).delete()
    return runs


def seconds_to_next_minute(now: datetime) -> float:
    return 60 - now.second - now.microsecond / 1_000_000
