"""Every date of every form of the platform has bounds (core.dates, core.forms): a date far in
the past, far in the future or malformed is refused with a French message, and never breaks the
form. The forms are discovered, so that a new form cannot be forgotten."""

import importlib
import inspect
import pkgutil
from datetime import date, datetime, timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import enfance
from enfance.assemblies.models import Instance
from enfance.care.models import Cooperative, FamilyUnit
from enfance.core.dates import (
    BIRTH,
    FIRST_DAY,
    HAPPENED,
    PLANNED,
    PLATFORM_START,
    DateBounds,
    written_date,
)
from enfance.core.forms import BoundedDateField, BoundedDateTimeField
from enfance.inspections.models import Referentiel
from enfance.territories.models import Departement

pytestmark = pytest.mark.django_db

# What a form needs beyond its data to be built. A new form that needs more fails
# test_every_form_with_a_date_is_checked with its name: add it here.
BUILT_WITH = {
    "PaperSheetForm": lambda: {"instances": Instance.objects.none()},
    "CollegeElectionForm": lambda: {"instance": Instance(departement_id=1)},
    "ActionForm": lambda: {"referentiel": Referentiel.objects.get(version="2026")},
    "CooperativeForm": lambda: {"instances": Instance.objects.none()},
    "TransferForm": lambda: {"instances": Instance.objects.none()},
    # A SCIC not saved has no colleges to offer: the form's date is what is checked here.
    "AssociateForm": lambda: {"cooperative": Cooperative(pk=0)},
    "StayForm": lambda: {"units": FamilyUnit.objects.none(), "departements": []},
    "FactForm": lambda: {"departements": Departement.objects.none()},
}

# Django's own refusals of a text that is not a date, in French, and the practices' wording.
NOT_A_DATE = {
    "Saisissez une date valide.",
    "Saisissez une date et une heure valides.",
    "Saisissez une date au format JJ/MM/AAAA.",
}


def _forms_of_the_platform() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(enfance.__path__, "enfance."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("enfance.") and subclass not in found:
                found.append(subclass)
    return sorted(found, key=lambda form: (form.__module__, form.__qualname__))


FORMS = _forms_of_the_platform()
DATE_FIELDS = [
    (form, name)
    for form in FORMS
    for name, field in getattr(form, "base_fields", {}).items()
    if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField)
]


def _id(pair) -> str:
    form, name = pair
    return f"{form.__module__.split('.')[1]}.{form.__name__}.{name}"


def test_the_discovery_sees_the_forms_of_every_module():
    seen = {_id(pair) for pair in DATE_FIELDS}
    assert {
        "petitions.PaperSheetForm.collected_on",
        "assemblies.ApplicationForm.birth_date",
        "assemblies.MeetingForm.starts_at",
        "practices.PracticeForm.implemented_on",
        "texts.FollowUpForm.happened_on",
        "events.AtelierForm.date",
        "interpellations.PostalAnswerForm.received_on",
    } <= seen


@pytest.mark.parametrize("pair", DATE_FIELDS, ids=_id)
def test_every_date_field_has_bounds(pair):
    form, name = pair
    field = form.base_fields[name]
    assert isinstance(field, BoundedDateField | BoundedDateTimeField), (
        "Un champ de date sans bornes : utilisez core.forms.BoundedDateField "
        "(ou BoundedDateTimeField) avec les bornes de core.dates qui lui conviennent."
    )


def _build(form, data):
    extra = BUILT_WITH.get(form.__name__, dict)()
    return form(data=data, **extra)


@pytest.mark.parametrize(
    "form", [f for f in FORMS if f in {p[0] for p in DATE_FIELDS}], ids=lambda f: f.__name__
)
def test_every_form_with_a_date_is_checked(form):
    needs = [
        name
        for name, parameter in inspect.signature(form.__init__).parameters.items()
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty
    ]
    assert not set(needs) - set(BUILT_WITH.get(form.__name__, dict)()), (
        f"Ajoutez {form.__name__} à BUILT_WITH : il demande {needs}."
    )
    _build(form, {}).is_valid()


def _typed(field, day: date) -> list[str]:
    """The ways a person or a browser types ``day`` in this field."""
    iso = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    if isinstance(field, forms.DateTimeField):
        return [f"{iso}T00:00", f"{iso}T23:59"]
    return [iso, f"{day.day:02d}/{day.month:02d}/{day.year:04d}"]


def _own_words(field) -> set[str]:
    """The field's own messages for an empty or unreadable value (Django's French, or its own)."""
    return {str(field.error_messages["required"]), str(field.error_messages["invalid"])}


def _refusals(pair, text: str) -> list[str]:
    """The form built with ``text`` in the field: it must not raise; the field's messages."""
    form, name = pair
    built = _build(form, {name: text})
    built.is_valid()
    return list(built.errors.get(name, []))


def _check_out_of_bounds(pair, day: date):
    field = pair[0].base_fields[pair[1]]
    code, message = field.bounds.refusal(day)
    for text in _typed(field, day):
        assert message in _refusals(pair, text), (text, code)


FAR = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("pair", DATE_FIELDS, ids=_id)
@FAR
@given(data=st.data())
def test_a_date_far_in_the_past_is_refused_in_french(pair, data):
    field = pair[0].base_fields[pair[1]]
    earliest = field.bounds.earliest
    day = data.draw(
        st.dates(max_value=earliest - timedelta(days=1)) | st.just(date(1, 1, 1)), label="day"
    )
    _check_out_of_bounds(pair, day)


@pytest.mark.parametrize("pair", DATE_FIELDS, ids=_id)
@FAR
@given(data=st.data())
def test_a_date_far_in_the_future_is_refused_in_french(pair, data):
    field = pair[0].base_fields[pair[1]]
    # A day of margin: the test may straddle midnight.
    after = field.bounds.latest() + timedelta(days=2)
    day = data.draw(st.dates(min_value=after) | st.just(date(9999, 12, 31)), label="day")
    _check_out_of_bounds(pair, day)


MALFORMED = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A-?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}(T[0-9]{1,3}:[0-9]{1,3})?\Z"),
    st.from_regex(r"\A[0-9]{1,3}/[0-9]{1,3}/-?[0-9]{1,6}\Z"),
)


@pytest.mark.parametrize("pair", DATE_FIELDS, ids=_id)
@FAR
@given(text=MALFORMED)
@example(text="0000-00-00")
@example(text="99999-01-01")
@example(text="2025-02-30")
@example(text="31/12/10000")
@example(text="2025-01-01T25:61")
@example(text="2025-03-30T02:30")  # a time that does not exist in Paris (clocks go forward)
@example(text="\x00")
@example(text="1e10")
def test_a_malformed_date_never_breaks_the_form(pair, text):
    form, name = pair
    field = form.base_fields[name]
    bounds = field.bounds
    out_of_bounds = {
        bounds.refusal(bounds.earliest - timedelta(days=1))[1],
        bounds.refusal(bounds.latest() + timedelta(days=1))[1],
    }
    messages = _refusals(pair, text)
    try:
        value = field.clean(text)
    except ValidationError:
        # Refused: each reason in French (not a date, out of bounds, empty, a time Paris skips).
        assert messages
        for message in messages:
            assert (
                message in NOT_A_DATE | out_of_bounds | _own_words(field)
                or "dans le fuseau horaire Europe/Paris" in message
            ), message
    else:
        # Read as a date after all: then one within the bounds.
        day = value.date() if isinstance(value, datetime) else value
        assert day is None or bounds.refusal(day) is None


# The rule itself ----------------------------------------------------------------------------


def test_the_bounds_of_each_kind():
    today = date(2026, 6, 15)
    assert BIRTH.refusal(date(1899, 12, 31), today) == (
        "too_early",
        "Indiquez une date de naissance à partir du 1er janvier 1900.",
    )
    assert BIRTH.refusal(today, today) is None
    assert BIRTH.refusal(today + timedelta(days=1), today)[0] == "too_late"
    assert HAPPENED.refusal(PLATFORM_START, today) is None
    assert HAPPENED.refusal(PLATFORM_START - timedelta(days=1), today) == (
        "too_early",
        "Cette date précède le lancement de l'initiative, le 14 novembre 2024 : vérifiez l'année.",
    )
    assert PLANNED.refusal(date(2028, 6, 15), today) is None
    assert PLANNED.refusal(date(2028, 6, 16), today) == (
        "too_late",
        "Choisissez une date au plus tard le 15 juin 2028, dans les deux ans qui viennent.",
    )
    assert written_date(FIRST_DAY) == "1er janvier 1900"


def test_a_field_or_a_service_words_its_own_refusal():
    bounds = HAPPENED.worded(too_late="La date de collecte ne peut pas être dans le futur.")
    with pytest.raises(ValidationError) as error:
        bounds.check(date(9999, 1, 1), field="collected_on")
    assert error.value.message_dict == {
        "collected_on": ["La date de collecte ne peut pas être dans le futur."]
    }
    bounds.check(None)
    field = BoundedDateField(bounds=BIRTH, required=False)
    assert field.clean("") is None
    with pytest.raises(ValidationError, match="à partir du 1er janvier 1900"):
        field.clean("01/01/0001")


def test_the_database_refuses_a_date_before_the_lower_bound():
    bounds = DateBounds(PLATFORM_START, "", 0, "")
    constraint = bounds.constraint("collected_on", model="papersheet", nullable=True)
    assert constraint.name == "papersheet_collected_on_within_bounds"
    assert constraint.condition == (
        models.Q(collected_on__gte=PLATFORM_START) | models.Q(collected_on__isnull=True)
    )
