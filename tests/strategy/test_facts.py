"""The facts per département aimed at by 2022: recorded by the national administrator only,
dated and sourced, each refusal in French; the latest statement is the state, nobody's silence is
« non renseigné », never « absent »; public."""

import html
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from enfance.strategy import facts
from enfance.strategy.models import DepartementFact, FactKind
from tests.factories import DepartementFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE = "Rapport d'activité 2021 du département"


def _record(admin, departement, **fields):
    values = {
        "kind": FactKind.PARENTAL_CENTRE,
        "present": True,
        "observed_on": date(2021, 6, 1),
        "source": SOURCE,
    }
    return facts.record_fact(by=admin, departement=departement, **(values | fields))


def test_only_the_national_administrator_records_a_fact(admin_national):
    departement = DepartementFactory()
    with pytest.raises(PermissionDenied):
        _record(UserFactory(), departement)
    fact = _record(admin_national, departement)
    assert fact.recorded_by == admin_national and not fact.source_url


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"source": "  "}, "source", "Une valeur sans source est refusée"),
        ({"observed_on": date(2006, 1, 1)}, "observed_on", "loi du 5 mars 2007"),
        (
            {"observed_on": date.today() + timedelta(days=1)},
            "observed_on",
            "ne peut pas être daté dans le futur",
        ),
        ({"kind": "creche"}, "kind", "l'un des quatre dispositifs"),
        ({"source_url": "pas une adresse"}, "__all__", "adresse web complète"),
        (
            {"kind": FactKind.ODPE, "detail": ""},
            "detail",
            "précisez sa fonction (pas son nom)",
        ),
    ],
)
def test_a_fact_without_what_makes_it_true_is_refused(admin_national, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        _record(admin_national, DepartementFactory(), **fields)
    errors = (
        refused.value.message_dict
        if hasattr(refused.value, "error_dict")
        else {"__all__": refused.value.messages}
    )
    assert any(message in text for text in errors[field]), errors
    assert not DepartementFact.objects.exists()


def test_the_same_fact_twice_on_one_day_is_refused_and_the_database_agrees(admin_national):
    departement = DepartementFactory()
    _record(admin_national, departement)
    with pytest.raises(ValidationError, match="déjà enregistré à cette date"):
        _record(admin_national, departement, present=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartementFact.objects.create(
            departement=departement,
            kind=FactKind.MOBILE_TEAM,
            present=True,
            observed_on=date(2021, 1, 1),
            source="",
        )


def test_the_latest_statement_is_the_state_and_silence_is_unknown(admin_national):
    departement = DepartementFactory()
    other = DepartementFactory(code="23", name="Creuse")
    _record(admin_national, departement, kind=FactKind.MOBILE_TEAM, present=False)
    _record(
        admin_national,
        departement,
        kind=FactKind.MOBILE_TEAM,
        present=True,
        observed_on=date(2022, 2, 1),
    )
    _record(admin_national, other, kind=FactKind.MOBILE_TEAM, present=False)
    states = {item["kind"]: item["fact"] for item in facts.latest_for(departement)}
    assert states[FactKind.MOBILE_TEAM].present is True
    assert states[FactKind.ODPE] is None
    totals = {total["kind"]: total for total in facts.national()["totals"]}
    mobile = totals[FactKind.MOBILE_TEAM]
    assert (mobile["present"], mobile["absent"]) == (1, 1)
    assert mobile["unknown"] == mobile["target"] - 2


def test_a_visitor_reads_every_departement_against_the_target(
    client, admin_national, django_assert_max_num_queries
):
    departement = DepartementFactory(name="Creuse", code="23")
    _record(admin_national, departement, source_url="https://www.creuse.fr/rapport-2021")
    for code in ("01", "02", "03"):
        DepartementFactory(code=code, name=f"Département {code}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("strategy:facts"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "En place dans 1 département sur" in page
    assert "Creuse (23)" in page and SOURCE in page
    assert 'href="https://www.creuse.fr/rapport-2021"' in page
    assert "Non renseigné" in page
    assert "Enregistrer un fait" not in page
    assert client.post(reverse("strategy:facts"), {}).status_code in (302, 403)


def test_the_administrator_records_a_fact_from_the_page(client, admin_national):
    departement = DepartementFactory()
    client.force_login(admin_national)
    page = client.get(reverse("strategy:facts"))
    assert "Enregistrer un fait" in page.content.decode()
    data = {
        "departement": departement.pk,
        "kind": FactKind.ODPE,
        "present": "oui",
        "observed_on": "2021-09-01",
        "source": SOURCE,
        "source_url": "",
        "detail": "",
    }
    refused = client.post(reverse("strategy:facts"), data)
    assert refused.status_code == 200
    assert "précisez sa fonction" in html.unescape(refused.content.decode())
    data["detail"] = "La cheffe de projet de l'observatoire."
    response = client.post(reverse("strategy:facts"), data, follow=True)
    assert "Le fait est enregistré" in html.unescape(response.content.decode())
    assert DepartementFact.objects.get().present is True


def test_someone_else_signed_in_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(reverse("strategy:facts"), {"kind": FactKind.ODPE})
    assert response.status_code == 403
    assert not DepartementFact.objects.exists()
