"""Files joined to a support message: checked from their first bytes, 5 MB at most, encrypted in
the storage, read only by the parent and the professional handling the request, removed with
it."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from enfance.support import attachments, services
from enfance.support.models import Attachment, RequestRead
from tests.factories import DepartementFactory, UserFactory

from .factories import professional, written

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def taken():
    rhone = DepartementFactory()
    return services.take(written(UserFactory(), rhone), by=professional(rhone))


def test_a_pdf_is_stored_encrypted_and_read_by_the_two_sides_only(client, taken):
    services.send_message(
        taken,
        by=taken.parent,
        body="Voici le jugement.",
        attachment=SimpleUploadedFile("jugement.pdf", PDF, content_type="application/pdf"),
    )
    joined = Attachment.objects.get()
    with default_storage.open(joined.stored_as, "rb") as stored:
        assert b"Catalog" not in stored.read()
    url = reverse("support:attachment", args=[joined.pk])
    client.force_login(taken.parent)
    response = client.get(url)
    assert response.content == PDF and "jugement.pdf" in response["Content-Disposition"]
    assert not RequestRead.objects.exists()
    client.force_login(taken.handler)
    assert client.get(url).content == PDF
    assert RequestRead.objects.filter(reader=taken.handler).exists()  # the read is recorded
    for outsider in (UserFactory(), professional(taken.departement)):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_a_file_that_is_not_what_it_says_or_too_heavy_is_refused(taken):
    with pytest.raises(ValidationError, match="ne contient pas ce que son nom annonce"):
        services.send_message(
            taken, by=taken.parent, body="Bonjour", attachment=SimpleUploadedFile("a.pdf", PNG)
        )
    with pytest.raises(ValidationError, match="un PDF ou une image"):
        services.send_message(
            taken, by=taken.parent, body="Bonjour", attachment=SimpleUploadedFile("a.exe", PDF)
        )
    heavy = SimpleUploadedFile("scan.pdf", PDF + b"0" * 20_000_000)
    with pytest.raises(ValidationError) as refused:
        services.send_message(taken, by=taken.parent, body="Bonjour", attachment=heavy)
    assert "pèse 20 Mo : 5 Mo au plus" in refused.value.message_dict["attachment"][0]
    assert not taken.messages.exists() and not Attachment.objects.exists()


def test_the_file_leaves_the_storage_with_its_request(taken, django_capture_on_commit_callbacks):
    services.send_message(
        taken, by=taken.parent, body="Photo", attachment=SimpleUploadedFile("p.png", PNG)
    )
    stored_as = Attachment.objects.get().stored_as
    assert default_storage.exists(stored_as)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete(taken, by=taken.parent)
    assert not default_storage.exists(stored_as)


def test_the_thread_form_joins_a_file(client, taken):
    client.force_login(taken.handler)
    client.post(
        reverse("support:message", args=[taken.pk]),
        {"body": "Le modèle de lettre.", "attachment": SimpleUploadedFile("modele.pdf", PDF)},
    )
    joined = Attachment.objects.get()
    client.force_login(taken.parent)
    page = client.get(taken.get_absolute_url()).content.decode()
    assert "modele.pdf" in page and joined.get_absolute_url() in page
    data = client.get(reverse("support:download_json", args=[taken.pk]))
    assert b"modele.pdf" in b"".join(data)


def test_a_key_rotation_covers_the_files(taken, settings, django_capture_on_commit_callbacks):
    services.send_message(
        taken, by=taken.parent, body="Scan", attachment=SimpleUploadedFile("scan.pdf", PDF)
    )
    before = Attachment.objects.get().stored_as
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *settings.ENCRYPTION_KEYS]
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_encryption_keys", stdout=out)
    assert "support.attachment (fichiers) : 1" in out.getvalue()
    settings.ENCRYPTION_KEYS = [new_key]
    joined = Attachment.objects.get()
    assert joined.stored_as != before and not default_storage.exists(before)
    assert attachments.read(joined) == PDF


def test_a_rotation_that_meets_an_unreadable_file_changes_nothing(taken, settings):
    services.send_message(
        taken, by=taken.parent, body="Scan", attachment=SimpleUploadedFile("scan.pdf", PDF)
    )
    before = Attachment.objects.get().stored_as
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="Rien n'a été modifié"):
        call_command("rotate_encryption_keys")
    still = Attachment.objects.values_list("stored_as", flat=True).get()
    assert still == before and default_storage.exists(before)
