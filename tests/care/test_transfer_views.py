"""The transfer pages: public list, totals and history; each step a button of the receiving
instance's secretary, refused to anyone else."""

import html
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enfance.care import transfers
from enfance.care.models import Transfer
from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of
from tests.factories import UserFactory

from .test_transfers import _vote

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode())


@pytest.fixture
def instance():
    return InstanceFactory()


@pytest.fixture
def secretary(instance):
    return secretary_of(instance)


def test_a_secretary_proposes_then_takes_each_step(client, instance, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(secretary)
    assert "Aucun transfert" in _page(client.get(reverse("care:transfers")))
    start = (timezone.localdate() + timedelta(days=1)).isoformat()
    form = {
        "instance": instance.pk,
        "competence": "gestion_foyers",
        "phase": 4,
        "starts_on": start,
        "yearly_budget": -5,
    }
    assert "supérieure ou égale à 0" in _page(client.post(reverse("care:transfer_new"), form))
    done = client.post(reverse("care:transfer_new"), {**form, "yearly_budget": 2_400_000})
    transfer = Transfer.objects.get()
    assert done.url == transfer.get_absolute_url()
    page = _page(client.get(transfer.get_absolute_url()))
    assert "Mettre le transfert au vote" in page and "2 400 000 € par an" in page.replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    members = [seat_directly(instance, "parents").user for _ in range(2)]
    _vote(transfer, secretary, [*members, secretary])
    client.post(reverse("care:transfer_step", args=[transfer.pk, "vote-adopte"]))
    pdf = SimpleUploadedFile("convention.pdf", b"%PDF-1.7\nsigned", "application/pdf")
    client.post(reverse("care:transfer_convention", args=[transfer.pk]), {"convention": pdf})
    transfer.refresh_from_db()
    assert transfer.status == "conventionne"
    response = client.post(
        reverse("care:transfer_step", args=[transfer.pk, "effectif"]), follow=True
    )
    assert "prend effet le" in _page(response)
    Transfer.objects.filter(pk=transfer.pk).update(starts_on=timezone.localdate())
    client.post(reverse("care:transfer_step", args=[transfer.pk, "effectif"]))
    transfer.refresh_from_db()
    assert transfer.status == "effectif"
    client.logout()
    page = _page(client.get(reverse("care:transfers")))
    assert "Gestion des foyers" in page and "2 400 000" in page.replace("\u202f", " ").replace(
        "\xa0", " "
    )
    page = _page(client.get(transfer.get_absolute_url()))
    assert "Transfert proposé" in page and "rendre le transfert effectif" in page.lower()
    assert client.get(reverse("care:convention_file", args=[transfer.pk])).status_code == 200


def test_the_steps_are_refused_to_anyone_else(client, instance, secretary):
    transfer = transfers.propose_transfer(
        by=secretary,
        instance=instance,
        competence="accueil_urgence",
        phase=4,
        starts_on=timezone.localdate(),
        yearly_budget=800_000,
    )
    citizen = UserFactory()
    client.force_login(citizen)
    assert client.get(reverse("care:transfer_new")).status_code == 403
    for person in (citizen, secretary_of(InstanceFactory(departement=instance.departement))):
        client.force_login(person)
        page = _page(client.get(transfer.get_absolute_url()))
        assert "Mettre le transfert au vote" not in page
        now = timezone.now()
        response = client.post(
            reverse("care:transfer_vote", args=[transfer.pk]),
            {
                "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
                "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        assert response.status_code == 403
    assert (
        client.post(reverse("care:transfer_step", args=[transfer.pk, "voler"])).status_code == 404
    )
    transfer.refresh_from_db()
    assert transfer.status == "propose"


def test_the_list_filters_and_is_capped(client, instance, secretary, django_assert_max_num_queries):
    for competence in ("gestion_foyers", "milieu_ouvert"):
        transfers.propose_transfer(
            by=secretary,
            instance=instance,
            competence=competence,
            phase=4,
            starts_on=timezone.localdate(),
            yearly_budget=1_000_000,
        )
    with django_assert_max_num_queries(6):
        page = _page(client.get(reverse("care:transfers"), {"phase": "4"}))
    assert "2 transferts" in page
    assert "Aucun transfert" in _page(client.get(reverse("care:transfers"), {"phase": "5"}))
