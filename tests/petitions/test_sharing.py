"""After confirming a signature, the page offers to share the petition: an e-mail written in
advance with its address, and the address to copy (a button from a static script loaded with
the page's nonce, the field and its hint without JavaScript). No third-party script."""

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import mail
from django.urls import reverse

from enfance.petitions.models import Signature
from tests.factories import CommuneFactory

from .factories import PetitionFactory
from .test_signing import _link, _sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition():
    return PetitionFactory()


def _confirmed_page(client, django_capture_on_commit_callbacks) -> tuple[str, str]:
    with django_capture_on_commit_callbacks(execute=True):
        _sign(client)
    url = "/petition/" + _link(mail.outbox[0]).split("/petition/", 1)[1]
    response = client.post(url)
    assert response["Location"] == reverse("petitions:confirmed")
    assert Signature.objects.get().confirmed_at is not None
    return url, html.unescape(client.get(reverse("petitions:confirmed")).content.decode())


def test_the_confirmed_page_offers_to_share_by_email(
    client, petition, django_capture_on_commit_callbacks
):
    CommuneFactory()
    _, page = _confirmed_page(client, django_capture_on_commit_callbacks)
    address = f"{settings.SITE_URL}{reverse('petitions:detail')}"
    mailto = re.search(r'href="(mailto:[^"]+)"', page).group(1)
    assert ">Partager par courriel<" in page
    assert "+" not in mailto  # spaces as %20: mail clients read « + » as a plus sign
    fields = parse_qs(urlsplit(mailto).query)
    assert fields["subject"] == [f"Signez la pétition « {petition.title} »"]
    body = fields["body"][0]
    assert f"Je viens de signer la pétition « {petition.title} »" in body
    assert address in body


def test_the_confirmed_page_offers_the_address_to_copy(
    client, petition, django_capture_on_commit_callbacks
):
    CommuneFactory()
    link, page = _confirmed_page(client, django_capture_on_commit_callbacks)
    address = f"{settings.SITE_URL}{reverse('petitions:detail')}"
    assert (
        f'<input class="fr-input" id="adresse-petition" type="url" value="{address}" readonly>'
        in page
    )
    # Without JavaScript the button stays hidden; the hint says how to copy by hand.
    assert 'data-copy-target="adresse-petition"' in page and "hidden>Copier l'adresse<" in page
    assert "sélectionnez l'adresse, puis copiez-la" in page
    nonce = re.search(r'<script nonce="([^"]+)" src="/static/petitions/share\.js" defer>', page)
    assert nonce and nonce.group(1)
    scripts = re.findall(r"<script[^>]*>", page)
    assert all("src=" in tag for tag in scripts), scripts  # no inline script
    assert all('src="http' not in tag for tag in scripts)  # no third-party script
    script = Path(finders.find("petitions/share.js")).read_text()
    assert "navigator.clipboard" in script and "button.hidden = false" in script
    # The link followed again says it was already confirmed, and still offers to share.
    again = html.unescape(client.get(link).content.decode())
    assert "déjà confirmée" in again and ">Partager par courriel<" in again
