"""The recurring jobs run from one command, once per slot, on the clock they are given."""

from datetime import datetime, time, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from enfance.core import scheduler
from enfance.core.models import ScheduledRun
from enfance.texts import services
from enfance.texts.enums import TextState
from tests.texts.factories import charter

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def run_scheduler(moment: datetime) -> str:
    out = StringIO()
    call_command("scheduler", "--une-fois", "--maintenant", moment.isoformat(), stdout=out)
    return out.getvalue()


def test_a_daily_job_runs_on_the_fixed_clock_once_its_hour_has_come(admin_national):
    closes_on = datetime.now(PARIS).date() + timedelta(days=30)
    text = services.open_consultation(
        charter(admin_national, state=TextState.DRAFTING), by=admin_national, closes_on=closes_on
    )
    next_day = closes_on + timedelta(days=1)

    before = run_scheduler(at(next_day, 0, 4))
    text.refresh_from_db()
    assert text.state == TextState.CONSULTATION
    # At 00:04 the latest slot is yesterday's, run on yesterday's clock: nothing due then.
    assert "close_due_consultations : terminée. 0 consultation close à sa date." in before

    output = run_scheduler(at(next_day, 0, 5))
    text.refresh_from_db()
    assert text.state == TextState.DRAFTING
    assert "close_due_consultations : terminée. 1 consultation close à sa date." in output
    run = ScheduledRun.objects.get(job="close_due_consultations", slot=at(next_day, 0, 5))
    assert run.succeeded and run.finished_at


def test_a_slot_runs_once_however_often_the_scheduler_looks():
    moment = at(datetime(2026, 6, 1).date(), 8, 30)
    first = scheduler.run_due(moment)
    again = scheduler.run_due(moment + timedelta(seconds=40))
    next_minute = scheduler.run_due(moment + timedelta(minutes=1))

    assert {run.job for run in first} == {job.command for job in scheduler.JOBS}
    # Each command accepted the clock it was given (« --date », « --maintenant » with an offset).
    assert [run.job for run in first if not run.succeeded] == []
    assert again == []
    assert [run.job for run in next_minute] == ["send_petition_emails"]


def test_a_stopped_scheduler_catches_up_the_latest_slot_only():
    day = datetime(2026, 6, 1).date()
    scheduler.run_due(at(day, 8, 30))
    # Three days and a half without a scheduler: each daily job runs once, for today.
    runs = scheduler.run_due(at(day + timedelta(days=3), 20, 0))
    daily = [run for run in runs if run.job == "send_event_reminders"]
    assert [run.slot for run in daily] == [at(day + timedelta(days=3), 7, 0)]


def test_a_failing_job_is_recorded_and_the_others_still_run(caplog):
    jobs = (
        scheduler.Job("no_such_command", "minute"),
        scheduler.Job("send_petition_emails", "minute"),
    )
    runs = scheduler.run_due(at(datetime(2026, 6, 1).date(), 9, 0), jobs=jobs)

    assert [(run.job, run.succeeded) for run in runs] == [
        ("no_such_command", False),
        ("send_petition_emails", True),
    ]
    assert "Unknown command" in runs[0].output
    assert "Scheduled job failed: no_such_command" in caplog.text


def test_the_jobs_are_told_the_scheduler_s_clock():
    moment = at(datetime(2026, 6, 1).date(), 7, 0)
    jobs = {job.command: job for job in scheduler.JOBS}

    assert jobs["send_proposal_digests"].arguments(moment) == ["--date", "2026-06-01"]
    assert jobs["send_event_reminders"].arguments(moment) == [
        "--maintenant",
        "2026-06-01T07:00+02:00",
    ]
    assert jobs["send_places_reminders"].slot(at(moment.date(), 7, 5)) == at(moment.date(), 6, 10)


def test_old_runs_are_pruned_after_a_week():
    day = datetime(2026, 6, 1).date()
    scheduler.run_due(at(day, 8, 30))
    scheduler.run_due(at(day + timedelta(days=8), 8, 30))
    assert not ScheduledRun.objects.filter(slot__date__lt=day + timedelta(days=1)).exists()


def test_the_list_says_when_each_job_last_ran():
    scheduler.run_due(at(datetime(2026, 6, 1).date(), 8, 30))
    out = StringIO()
    call_command("scheduler", "--liste", stdout=out)
    lines = out.getvalue().splitlines()

    assert len(lines) == len(scheduler.JOBS)
    assert any(
        line.startswith("close_due_consultations")
        and "chaque jour à 00:05" in line
        and "réussie (échéance 01/06 00:05)" in line
        for line in lines
    )


def test_the_deployment_guide_lists_every_job():
    guide = (Path(__file__).resolve().parents[2] / "deploy" / "README.md").read_text()
    section = guide.split("## 9. Tâches récurrentes", 1)[1].split("\n## ", 1)[0]
    assert [job.command for job in scheduler.JOBS if f"| `{job.command}` |" not in section] == []
