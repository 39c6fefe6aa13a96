"""Public response times of the support module, per subject, over the last twelve months: the
median time to a first answer and the share of requests answered within the target
(``settings.SUPPORT_FIRST_ANSWER_HOURS``). Nothing about anyone: counts and durations only,
under statistical secrecy (a subject with fewer than SECRECY_THRESHOLD requests shows none).
Computed once an hour for every visitor."""

from dataclasses import dataclass
from datetime import timedelta
from statistics import median

from django.conf import settings
from django.utils import timezone

from enfance.core.cache import rebuilt_once
from enfance.measures.stats import SECRECY_THRESHOLD

from .enums import Subject
from .models import SupportRequest

PERIOD = timedelta(days=365)
FRESH_SECONDS = 3600


@dataclass(frozen=True)
class SubjectTimes:
    subject: str
    label: str
    requests: int
    median_hours: float | None
    within_percent: int | None

    @property
    def hidden(self) -> bool:
        return 0 < self.requests < SECRECY_THRESHOLD


def compute(now=None) -> list[SubjectTimes]:
    now = now or timezone.now()
    target = timedelta(hours=settings.SUPPORT_FIRST_ANSWER_HOURS)
    written = SupportRequest.objects.filter(created_at__gte=now - PERIOD).values_list(
        "subject", "created_at", "first_answer_at"
    )
    answered: dict[str, list[float]] = {s: [] for s in Subject.values}
    eligible = dict.fromkeys(Subject.values, 0)
    within = dict.fromkeys(Subject.values, 0)
    for subject, created, first in written.iterator(chunk_size=5_000):
        if first is not None:
            delay = first - created
            answered[subject].append(delay.total_seconds() / 3600)
            eligible[subject] += 1
            within[subject] += delay <= target
        elif now - created > target:
            eligible[subject] += 1
    rows = []
    for subject, label in Subject.choices:
        count = eligible[subject]
        shown = count >= SECRECY_THRESHOLD
        rows.append(
            SubjectTimes(
                subject=subject,
                label=label,
                requests=count,
                median_hours=round(median(answered[subject]), 1)
                if shown and answered[subject]
                else None,
                within_percent=round(100 * within[subject] / count) if shown else None,
            )
        )
    return rows


def response_times() -> list[SubjectTimes]:
    return rebuilt_once(
        "support-response-times",
        compute,
        fresh_for=FRESH_SECONDS,
        token=timezone.localdate().isoformat(),
    )
