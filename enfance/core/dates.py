"""Ages and birthdays, counted as French law counts them; the days a typed date may take."""

from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q
from django.utils import timezone
from django.utils.formats import date_format


def birthday(birth_date: date, age: int) -> date:
    """The day a person born on ``birth_date`` turns ``age`` (29 February: 1 March)."""
    year = birth_date.year + age
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def age_on(birth_date: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


# --- The days a date may take -------------------------------------------------------------------
# Every date a person types is checked against one of the bounds below, chosen per field: by the
# form (``core.forms.BoundedDateField``), by the service that writes it (``DateBounds.check``),
# and, for the lower bound of a date that is counted or shown, by a database check constraint
# (``DateBounds.constraint``). A mistyped year (0001, 20255) is refused with a French message
# before it is counted, shown, or overflows a computation.

# Seed 001: the initiative began on 14 November 2024; nothing it records happened before.
PLATFORM_START = date(2024, 11, 14)
# A birth, a practice put in place: nothing this platform records is older.
FIRST_DAY = date(1900, 1, 1)
# Seed 004: the Observatoire national de la protection de l'enfance (ONPE), whose fiches and
# reviews the library of practices carries, was created in 2004.
LIBRARY_START = date(2004, 1, 1)


def written_date(day: date) -> str:
    """« 1er janvier 1900 », « 14 novembre 2024 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {date_format(day, 'F')} {day.year}"


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (29 February: 1 March)."""
    return birthday(day, years)


@dataclass(frozen=True)
class DateBounds:
    """From ``earliest`` to ``years_ahead`` years after today (0: today, not in the future), each
    refusal with its message. ``{earliest}`` and ``{latest}`` in a message are written out
    (« 14 novembre 2024 »)."""

    earliest: date
    too_early: str
    years_ahead: int
    too_late: str

    def latest(self, today: date | None = None) -> date:
        return years_after(today or timezone.localdate(), self.years_ahead)

    def worded(self, *, too_early: str | None = None, too_late: str | None = None):
        """The same bounds with a field's own messages (its service's, for instance)."""
        return replace(
            self, too_early=too_early or self.too_early, too_late=too_late or self.too_late
        )

    def refusal(self, day: date, today: date | None = None) -> tuple[str, str] | None:
        """(code, message) when ``day`` is out of bounds, None when it is within."""
        latest = self.latest(today)
        if day < self.earliest:
            code, message = "too_early", self.too_early
        elif day > latest:
            code, message = "too_late", self.too_late
        else:
            return None
        return code, message.format(
            earliest=written_date(self.earliest), latest=written_date(latest)
        )

    def check(self, day: date | None, *, field: str | None = None, today=None) -> None:
        """A ValidationError (keyed by ``field`` when given) when ``day`` is out of bounds; an
        empty date is the caller's to allow or not."""
        found = self.refusal(day, today) if day is not None else None
        if found:
            code, message = found
            error = ValidationError(message, code=code)
            raise ValidationError({field: error}) if field else error

    def constraint(self, field: str, *, model: str, nullable: bool = False):
        """The database's share of the rule: no date before ``earliest`` (the upper bound moves
        with the days and stays with the forms and services)."""
        condition = Q(**{f"{field}__gte": self.earliest})
        if nullable:
            condition |= Q(**{f"{field}__isnull": True})
        return CheckConstraint(condition=condition, name=f"{model}_{field}_within_bounds")


_PRECEDES_PLATFORM = (
    "Cette date précède le lancement de l'initiative, le {earliest} : vérifiez l'année."
)
_NOT_IN_THE_FUTURE = "Cette date ne peut pas être dans le futur."

# A date of birth.
BIRTH = DateBounds(
    FIRST_DAY,
    "Indiquez une date de naissance à partir du {earliest}.",
    0,
    "Une date de naissance ne peut pas être dans le futur.",
)
# What happened within the initiative: a sheet collected, a letter received, a consent given.
HAPPENED = DateBounds(PLATFORM_START, _PRECEDES_PLATFORM, 0, _NOT_IN_THE_FUTURE)
# What is planned: a meeting, an event, a ballot, a deadline (two years ahead at most).
PLANNED = DateBounds(
    PLATFORM_START,
    "Choisissez une date à venir.",
    2,
    "Choisissez une date au plus tard le {latest}, dans les deux ans qui viennent.",
)
# A mandate's dates: from the initiative's start, up to ten years ahead.
MANDATE = DateBounds(
    PLATFORM_START,
    _PRECEDES_PLATFORM,
    10,
    "Choisissez une date au plus tard le {latest}, dans les dix ans qui viennent.",
)
# When a practice was put in place: any time, but not in the future.
PRACTICE_HISTORY = DateBounds(
    FIRST_DAY, "Indiquez une date à partir du {earliest}.", 0, _NOT_IN_THE_FUTURE
)
# A review or an agreement of the library of practices.
LIBRARY = DateBounds(
    LIBRARY_START,
    "Cette date précède la création de l'Observatoire national de la protection de l'enfance, "
    "en 2004 : vérifiez l'année.",
    0,
    _NOT_IN_THE_FUTURE,
)
