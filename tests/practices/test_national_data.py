"""The generator step of the library: published fiches of both levels, history, search."""

import pytest
from django.core.management import call_command

from enfance.core import fulltext
from enfance.core.models import SearchEntry
from enfance.core.national_data import load_steps
from enfance.practices.enums import PracticeLevel, Scale
from enfance.practices.models import Practice, PracticeMessage
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def _national_data():
    # At the top, the import would register the module's generator step at collection, before
    # the steps it builds on (as in tests/events/test_data.py).
    # Imported here: after the registered steps.
    from enfance.practices import national_data

    return national_data


def _generate(practices):
    _national_data().generate_practices(
        None, {"log": lambda line: None, "seed": 7, "practices": practices}
    )


def _snapshot():
    return list(
        Practice.objects.order_by("pk").values_list(
            "title", "level", "published_at", "departement_id", "evidence_stage"
        )
    )


def test_generated_fiches_are_published_reproducible_resumable_and_searchable(monkeypatch):
    national_data = _national_data()
    # Small chunks: resuming inside a chunk and across chunks, with few rows.
    monkeypatch.setattr(national_data, "PRACTICES_CHUNK", 40)
    CommuneFactory()
    call_command(
        "generate_national_data", users=60, steps="utilisateurs", verbosity=0, allow_production=True
    )
    load_steps()
    generated_practices = national_data.generated_practices
    _generate(30)
    assert generated_practices().count() == 30
    _generate(90)
    _generate(90)
    practices = generated_practices()
    assert practices.count() == practices.published().count() == 90
    assert {1, 2} == set(practices.values_list("level", flat=True))
    # History: dates in order, a committee member in charge, a publication message.
    for practice in practices.filter(level=PracticeLevel.DECLARED):
        assert practice.created_at <= practice.submitted_at < practice.published_at
        assert practice.reviewer.roles.filter(kind="comite_selection").exists()
        assert practice.has_departement_agreement
        assert (practice.scale == Scale.LOCALE) == (practice.commune_id is not None)
    assert PracticeMessage.objects.filter(from_committee=True).count() == 90
    assert SearchEntry.objects.filter(kind="practices.Practice").count() == 90
    assert fulltext.search(Practice.objects.all(), "parents").count() > 5

    first = _snapshot()
    SearchEntry.objects.all().delete()
    Practice.objects.all().delete()
    _generate(90)
    assert _snapshot() == first
    assert SearchEntry.objects.filter(kind="practices.Practice").count() == 90
