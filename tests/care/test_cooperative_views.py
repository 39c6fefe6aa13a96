"""The SCIC pages: public without a name of an associate, the register for the supervising
instance only, every form's refusal told in French."""

import html
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enfance.care import cooperatives
from enfance.care.cooperatives import Entry
from enfance.care.models import Associate, Cooperative
from tests.assemblies.factories import InstanceFactory, secretary_of
from tests.factories import UserFactory

from .test_cooperatives import FOUNDED, siren

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


@pytest.fixture
def scic(instance, secretary):
    found = cooperatives.register_cooperative(
        by=secretary,
        name="SCIC Enfance Rhône",
        siren=siren(),
        registered_on=FOUNDED,
        instance=instance,
        missions=["foyers"],
    )
    for category, name in (("salaries", "Léa Martin"), ("beneficiaires", "Famille Benali")):
        cooperatives.add_associate(
            found,
            by=secretary,
            entry=Entry(category=category, name=name, shares=2, joined_on=FOUNDED),
        )
    return found


def test_a_secretary_registers_a_scic_and_keeps_its_register(client, instance, secretary):
    client.force_login(UserFactory())
    assert client.get(reverse("care:cooperative_new")).status_code == 403
    client.force_login(secretary)
    page = _page(client.get(reverse("care:cooperatives")))
    assert "Enregistrer une SCIC" in page and "Aucune SCIC" in page
    refused = client.post(
        reverse("care:cooperative_new"),
        {"name": "SCIC", "siren": "123", "registered_on": "2025-03-01", "instance": instance.pk},
    )
    page = _page(refused)
    assert "neuf chiffres" in page and not Cooperative.objects.exists()
    done = client.post(
        reverse("care:cooperative_new"),
        {
            "name": "SCIC Enfance Rhône",
            "siren": siren(),
            "registered_on": "2025-03-01",
            "instance": instance.pk,
            "missions": ["foyers", "placements"],
        },
    )
    scic = Cooperative.objects.get()
    assert done.url == reverse("care:cooperative_register", args=[scic.pk])
    form = {"category": "salaries", "name": "Léa Martin", "shares": 0, "joined_on": "2025-03-01"}
    assert "supérieure ou égale à 1" in _page(
        client.post(reverse("care:cooperative_register", args=[scic.pk]), form)
    )
    client.post(reverse("care:cooperative_register", args=[scic.pk]), {**form, "shares": 3})
    assert Associate.objects.get().shares == 3
    response = client.post(
        reverse("care:cooperative_colleges", args=[scic.pk]),
        {"colleges": "Salariés = 30\nUsagers = 40\nPartenaires = 20"},
        follow=True,
    )
    assert "totalisent 90 %" in _page(response)
    client.post(
        reverse("care:cooperative_colleges", args=[scic.pk]),
        {"colleges": "Salariés = 30\nUsagers = 40\nPartenaires = 30"},
    )
    assert scic.colleges.count() == 3


def test_the_public_page_counts_associates_and_never_names_them(client, scic):
    page = _page(client.get(scic.get_absolute_url()))
    assert "SCIC Enfance Rhône" in page and "Bénéficiaires" in page
    assert "Famille Benali" not in page and "Léa Martin" not in page
    assert "Ce que la loi demande encore" in page and "au moins 3 catégories" in page
    assert "Tenir le registre" not in page


def test_the_register_is_for_the_supervising_instance_only(client, scic, instance):
    register = reverse("care:cooperative_register", args=[scic.pk])
    associate = scic.associates.first()
    leave = reverse("care:associate_leave", args=[scic.pk, associate.pk])
    colleges = reverse("care:cooperative_colleges", args=[scic.pk])
    assert client.get(register).status_code == 302  # to the login page
    neighbour = secretary_of(InstanceFactory(departement=instance.departement))
    client.force_login(neighbour)
    assert client.get(register).status_code == 403
    assert client.post(leave, {"left_on": "2026-01-01"}).status_code == 403
    assert client.post(colleges, {"colleges": "A = 50\nB = 50"}).status_code == 403
    assert Associate.objects.filter(left_on__isnull=False).count() == 0
    assert client.get(reverse("care:cooperative_register", args=[999_999])).status_code == 404


def test_an_associate_leaves_and_the_register_keeps_them(client, scic, secretary):
    client.force_login(secretary)
    associate = scic.associates.get(name="Léa Martin")
    client.post(
        reverse("care:associate_leave", args=[scic.pk, associate.pk]), {"left_on": "2026-01-05"}
    )
    associate.refresh_from_db()
    assert associate.left_on == date(2026, 1, 5)
    page = _page(client.get(reverse("care:cooperative_register", args=[scic.pk])))
    assert "Léa Martin" in page and "5 janvier 2026" in page


def test_the_list_filters_by_departement_and_is_capped(client, scic, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = _page(client.get(reverse("care:cooperatives")))
    assert "SCIC Enfance Rhône" in page
    page = _page(client.get(reverse("care:cooperatives"), {"departement": "33"}))
    assert "Aucune SCIC" in page
    with django_assert_max_num_queries(10):
        _page(client.get(scic.get_absolute_url()))


def test_statutes_are_a_pdf_of_limited_size_and_public(client, scic, secretary, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CARE_STATUTES_MAX_BYTES = 2_000
    url = reverse("care:statutes", args=[scic.pk])
    client.force_login(secretary_of(InstanceFactory(departement=scic.departement)))
    pdf = SimpleUploadedFile("statuts.pdf", b"%PDF-1.7\n" + b"x" * 100, "application/pdf")
    assert client.post(url, {"statutes": pdf}).status_code == 403
    client.force_login(secretary)
    fake = SimpleUploadedFile("statuts.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(url, {"statutes": fake}, follow=True)
    assert "ne contient pas ce que son nom annonce (PDF)" in _page(response)
    image = SimpleUploadedFile("statuts.png", b"\x89PNG\r\n\x1a\n....", "image/png")
    assert "Joignez un PDF, rien d'autre" in _page(
        client.post(url, {"statutes": image}, follow=True)
    )
    heavy = SimpleUploadedFile("statuts.pdf", b"%PDF-1.7\n" + b"x" * 3_000, "application/pdf")
    assert "Mo au plus" in _page(client.post(url, {"statutes": heavy}, follow=True))
    scic.refresh_from_db()
    assert not scic.statutes
    pdf.seek(0)
    assert "Les statuts sont déposés" in _page(client.post(url, {"statutes": pdf}, follow=True))
    client.logout()
    response = client.get(reverse("care:statutes_file", args=[scic.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.7")
