"""The proposals' dataset: the published proposals with their supports, never their author nor
their text, read in a bounded number of queries."""

import json

import pytest
from django.utils import timezone

from enfance.core import opendata
from enfance.proposals.enums import ProposalState
from enfance.proposals.models import Theme
from tests.assemblies.factories import InstanceFactory
from tests.core.test_opendata import downloads
from tests.factories import UserFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _rows(client):
    dataset = opendata.get("propositions")
    return json.loads(client.get(dataset.urls()["json"]).content)["lignes"]


def test_a_published_proposal_is_a_row_and_a_draft_or_a_hidden_one_is_not(client):
    instance = InstanceFactory()
    author = UserFactory(first_name="Nadia", last_name="Ferreira")
    proposal = ProposalFactory(
        author=author,
        instance=instance,
        departement=instance.departement,
        region=instance.departement.region,
        state=ProposalState.ADOPTED,
        support_count=7,
    )
    proposal.themes.add(Theme.objects.get(slug="justice"), Theme.objects.get(slug="prevention"))
    national = ProposalFactory()
    ProposalFactory(state=ProposalState.DRAFT, published_at=None)
    ProposalFactory(state=ProposalState.PENDING_MODERATION, published_at=None)
    ProposalFactory(danger_hidden_at=timezone.now())
    rows = _rows(client)
    assert {r["id"] for r in rows} == {proposal.pk, national.pk}
    themes = " ; ".join(t.label for t in proposal.themes.all())
    assert next(r for r in rows if r["id"] == proposal.pk) == {
        "id": proposal.pk,
        "adresse": proposal.get_absolute_url(),
        "instance": instance.slug,
        "departement": instance.departement.code,
        "region": instance.departement.region.code,
        "etat": "Adoptée par une instance",
        "phare": False,
        "themes": themes,
        "publiee_le": timezone.localdate(proposal.published_at).isoformat(),
        "soutiens": 7,
    }
    whole_country = next(r for r in rows if r["id"] == national.pk)
    assert (whole_country["departement"], whole_country["region"]) == ("", "")


def test_the_downloads_answer_with_the_schemas_columns_and_no_author(client):
    ProposalFactory(author=UserFactory(first_name="Nadia", last_name="Ferreira"))
    dataset = opendata.get("propositions")
    text, table, payload, schema = downloads(client, dataset)
    assert table[0] == [
        "id",
        "adresse",
        "instance",
        "departement",
        "region",
        "etat",
        "phare",
        "themes",
        "publiee_le",
        "soutiens",
    ]
    assert [f["name"] for f in schema["fields"]] == table[0]
    assert len(table) == 2 and len(payload["lignes"]) == 1
    assert dataset.date_field == "publiee_le"
    assert "Ferreira" not in text and "@" not in text


def test_the_rows_are_read_in_a_number_of_queries_that_does_not_grow_with_them(
    client, django_assert_max_num_queries
):
    instance = InstanceFactory()
    justice = Theme.objects.get(slug="justice")
    for proposal in ProposalFactory.create_batch(25, instance=instance):
        proposal.themes.add(justice)
    dataset = opendata.get("propositions")
    with django_assert_max_num_queries(4):
        response = client.get(dataset.urls()["csv"])
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 26
    with django_assert_max_num_queries(4):
        assert len(client.get(dataset.urls()["json"]).json()["lignes"]) == 25
