import html
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.support import services
from enfance.support.models import RequestRead, SupportMessage, SupportRequest
from tests.factories import DepartementFactory, RegionFactory, UserFactory

from .factories import SITUATION, professional, written

pytestmark = pytest.mark.django_db


def _ok(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode())


@pytest.fixture
def rhone():
    return DepartementFactory()


@pytest.fixture
def parent():
    return UserFactory()


def test_a_parent_reads_the_promise_then_writes_and_finds_the_request(client, rhone, parent):
    page = _ok(client.get(reverse("support:home")))
    assert "Qui le lit" in page and "119" in page and "connectez-vous" in page
    client.force_login(parent)
    page = _ok(client.get(reverse("support:new")))
    assert "Ce que nous ne ferons jamais" in page
    refused = client.post(reverse("support:new"), {"subject": "droits_visite", "situation": ""})
    assert "Dites-nous, avec vos mots" in _ok(refused) and not SupportRequest.objects.exists()
    answer = client.post(
        reverse("support:new"),
        {
            "subject": "droits_visite",
            "departement": rhone.pk,
            "child_age": "6-10",
            "situation": SITUATION,
            "contact": "",
        },
    )
    created = SupportRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == created.get_absolute_url()
    page = _ok(client.get(created.get_absolute_url()))
    assert SITUATION in page and "Personne ne l'a encore lue." in page
    assert "Demande n° " in _ok(client.get(reverse("support:home")))


def test_the_queue_shows_no_word_of_the_request_and_flags_the_late_ones(
    client, rhone, parent, django_assert_max_num_queries
):
    late = written(parent, rhone)
    SupportRequest.objects.filter(pk=late.pk).update(
        created_at=late.created_at.replace(year=late.created_at.year - 1)
    )
    for _ in range(3):
        written(UserFactory(), rhone)
    written(UserFactory(), rhone, subject="scolarite")
    jurist = professional(rhone)
    client.force_login(jurist)
    with django_assert_max_num_queries(10):
        page = _ok(client.get(reverse("support:queue")))
    assert "4 demandes en attente" in page and "En retard" in page
    assert "médiatisée" not in page
    # Before taking it, the professional sees what sorts it, not what the parent wrote.
    page = _ok(client.get(late.get_absolute_url()))
    assert "médiatisée" not in page and "Prendre cette demande" in page
    assert not RequestRead.objects.exists()
    client.post(reverse("support:transition", args=[late.pk, "prendre"]))
    page = _ok(client.get(late.get_absolute_url()))
    assert "médiatisée" in page and RequestRead.objects.get().reader == jurist
    client.post(reverse("support:message", args=[late.pk]), {"body": "Bonjour, je vous lis."})
    assert SupportMessage.objects.get().body == "Bonjour, je vous lis."
    client.force_login(parent)
    page = _ok(client.get(late.get_absolute_url()))
    assert "Bonjour, je vous lis." in page and "Qui a lu votre demande" in page
    assert jurist.display_name in page


def test_wrong_side_of_a_request_gets_a_404_or_a_403(client, rhone, parent):
    request = written(parent, rhone)
    finistere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    url = request.get_absolute_url()
    for outsider in (
        UserFactory(),  # another parent, changing the number in the address
        professional(finistere),
        professional(rhone, subjects=("sante",)),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        answer = client.post(reverse("support:message", args=[request.pk]), {"body": "Bonjour"})
        assert answer.status_code == 404
        assert (
            client.post(reverse("support:transition", args=[request.pk, "prendre"])).status_code
            == 404
        )
    assert client.get(reverse("support:queue")).status_code == 200  # their own, empty
    client.force_login(UserFactory())
    assert client.get(reverse("support:queue")).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    jurist = professional(rhone)
    services.take(request, by=jurist)
    client.force_login(professional(rhone))  # same subject and territory, not the one handling
    assert client.get(url).status_code == 404
    assert not SupportMessage.objects.exists()


def test_the_parent_downloads_everything_then_deletes_it(client, rhone, parent):
    request = services.take(written(parent, rhone), by=professional(rhone))
    services.send_message(request, by=request.handler, body="Écrivez au juge des enfants.")
    client.force_login(parent)
    data = json.loads(b"".join(client.get(reverse("support:download_json", args=[request.pk]))))
    assert data["situation"] == SITUATION
    assert data["messages"][0]["texte"] == "Écrivez au juge des enfants."
    pdf = client.get(reverse("support:download_pdf", args=[request.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "Supprimer définitivement" in _ok(
        client.get(reverse("support:delete", args=[request.pk]))
    )
    client.force_login(request.handler)  # the professional downloads nothing, deletes nothing
    for name in ("download_json", "download_pdf", "delete"):
        assert client.get(reverse(f"support:{name}", args=[request.pk])).status_code == 404
    client.force_login(parent)
    answer = client.post(reverse("support:delete", args=[request.pk]))
    assert answer.status_code == 302 and not SupportRequest.objects.exists()
    assert not SupportMessage.objects.exists() and not RequestRead.objects.exists()
    assert client.get(request.get_absolute_url()).status_code == 404


def test_a_professional_chooses_the_subjects_of_their_queue(client, rhone, parent):
    written(parent, rhone, subject="sante")
    nurse = professional(rhone, subjects=())
    client.force_login(nurse)
    page = _ok(client.get(reverse("support:queue")))
    assert "Choisissez d'abord" in page and "Demande n°" not in page
    client.post(reverse("support:subjects"), {"subjects": ["sante", "scolarite"]})
    assert "1 demande en attente" in _ok(client.get(reverse("support:queue")))
    refused = client.post(reverse("support:subjects"), {"subjects": ["loisirs"]}, follow=True)
    assert "Sélectionnez un choix valide" in _ok(refused)
    assert set(nurse.support_specialties.values_list("subject", flat=True)) == {
        "sante",
        "scolarite",
    }
    client.force_login(parent)
    assert client.post(reverse("support:subjects"), {"subjects": ["sante"]}).status_code == 403


def test_the_cached_queue_follows_a_request_taken_or_written(
    client, rhone, parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = written(parent, rhone)
    jurist, colleague = professional(rhone), professional(rhone)
    client.force_login(jurist)
    assert "1 demande en attente" in _ok(client.get(reverse("support:queue")))
    with django_capture_on_commit_callbacks(execute=True):
        services.take(first, by=colleague)
    assert "Aucune demande n'attend" in _ok(client.get(reverse("support:queue")))
    with django_capture_on_commit_callbacks(execute=True):
        written(UserFactory(), rhone)
    assert "1 demande en attente" in _ok(client.get(reverse("support:queue")))


def test_public_response_times_per_subject_under_statistical_secrecy(client, rhone, parent):
    now = timezone.now()
    for hours in (10, 10, 10, 10, 10, 96):  # one answered after four days
        request = written(UserFactory(), rhone)
        SupportRequest.objects.filter(pk=request.pk).update(
            created_at=now - timedelta(days=10),
            first_answer_at=now - timedelta(days=10) + timedelta(hours=hours),
        )
    old = written(parent, rhone, subject="sante")  # unanswered for a week, alone: secret
    SupportRequest.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=7))
    page = _ok(client.get(reverse("support:figures")))
    assert "83 %" in page and "10,0 h" in page
    assert "moins de 5 demandes" in page
    csv = b"".join(client.get(reverse("support:figures_csv"))).decode("utf-8-sig")
    assert '"Droits de visite et d\'hébergement";"6";"10.0";"83"' in csv
    assert '"La santé";"";"";""' in csv
