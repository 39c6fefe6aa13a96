"""The path of a text as its page shows it: the steps it went through, dated from the public
event log (its creation and every recorded transition), then the steps to come."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from enfance.core.dates import written_date
from enfance.core.models import LogEntry

from .enums import TextState
from .models import LawProposal, Text

DONE, CURRENT, TO_COME = "fait", "en cours", "à venir"


@dataclass(frozen=True)
class Step:
    title: str
    status: str
    day: date | None = None
    detail: str = ""

    @property
    def css(self) -> str:
        return {DONE: "fait", CURRENT: "en-cours", TO_COME: "a-venir"}[self.status]

    @property
    def is_done(self) -> bool:
        return self.status == DONE

    @property
    def is_current(self) -> bool:
        return self.status == CURRENT


def _until(day: date | None) -> str:
    return f"jusqu'au {written_date(day)}" if day else "date de clôture non annoncée"


def _past_step(entry: LogEntry) -> Step | None:
    """The step an entry of the log records, or None for what is not a step of the path (a
    new version, a further transmission)."""
    name = entry.action.rsplit(".", 1)[-1]
    day = timezone.localdate(entry.occurred_at)
    data = entry.data or {}
    if name == "create":
        return Step("Rédaction de la version 1", DONE, day)
    if name == "open_consultation":
        closes_on = date.fromisoformat(data["closes_on"]) if data.get("closes_on") else None
        return Step("Ouverture de la consultation", DONE, day, _until(closes_on).capitalize())
    if name in ("close_consultation", "end_consultation"):
        return Step("Clôture de la consultation", DONE, day)
    if name == "transmit":
        recipients = data.get("recipients", "")
        return Step("Transmission", DONE, day, f"À : {recipients}" if recipients else "")
    if name == "record_follow_up":
        return Step("Premières suites données", DONE, day)
    return None


def _steps_to_come(text: Text, *, consulted: bool, today: date) -> list[Step]:
    state = text.state
    steps = []
    if state == TextState.CONSULTATION:
        closes_on = text.consultation_closes_on
        if closes_on is not None and closes_on < today:
            detail = f"Date de clôture annoncée passée le {written_date(closes_on)}"
        else:
            detail = f"Commentaires et propositions de rédaction {_until(closes_on)}"
        steps.append(Step("Consultation en cours", CURRENT, text.consultation_opens_on, detail))
        steps.append(Step("Clôture de la consultation", TO_COME, closes_on))
    elif state == TextState.DRAFTING:
        steps.append(Step("En rédaction", CURRENT, detail="L'équipe de rédaction prépare le texte"))
        if not consulted or not text.is_law_proposal:
            steps.append(Step("Ouverture de la consultation", TO_COME))
    if text.is_law_proposal:
        if state in (TextState.DRAFTING, TextState.CONSULTATION):
            steps.append(
                Step("Transmission", TO_COME, detail="Au Gouvernement ou aux parlementaires")
            )
        if state != TextState.FOLLOWED_UP:
            steps.append(Step("Suites données", TO_COME))
    elif state == TextState.CONSULTATION:
        steps.append(
            Step(
                "Nouvelle version",
                TO_COME,
                detail="Elle intègre les propositions de rédaction retenues",
            )
        )
    return steps


def path_of(text: Text, *, today: date | None = None) -> list[Step]:
    """The steps of ``text``, oldest first: what happened, then what is to come."""
    entries = (
        LogEntry.objects.public()
        .about((Text, [text.pk]), (LawProposal, [text.pk]))
        .order_by("occurred_at", "pk")
        .only("action", "occurred_at", "data")
    )
    past = [step for entry in entries if (step := _past_step(entry))]
    if not past:
        # A text created before the log knew it: its creation is still a dated step.
        past = [Step("Rédaction de la version 1", DONE, timezone.localdate(text.created_at))]
    consulted = any(step.title == "Ouverture de la consultation" for step in past)
    return past + _steps_to_come(text, consulted=consulted, today=today or timezone.localdate())
