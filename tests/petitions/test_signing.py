"""Signing, the confirmation e-mail and link, and what a second request does."""

import re
import time as clock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from enfance.petitions import emails, services
from enfance.petitions.models import DepartementCount, Signature
from tests.factories import CommuneFactory

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

INVALID = "INVALID_TEMPLATE_VARIABLE"
LINK = re.compile(r"https?://\S+/petition/confirmer/\S+/")


@pytest.fixture
def petition():
    return PetitionFactory()


@pytest.fixture
def lyon():
    return CommuneFactory()


def _sign(client, **overrides):
    data = {
        "first_name": "Camille",
        "last_name": "Dupont",
        "email": "camille.dupont@exemple.fr",
        "commune": "Lyon (69001)",
        "consent": "on",
        **overrides,
    }
    return client.post(reverse("petitions:sign"), data)


def test_signing_stores_an_unconfirmed_signature_and_sends_the_link(
    client, petition, lyon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:thanks")
    signature = Signature.objects.get()
    assert (signature.first_name, signature.last_name, signature.commune) == (
        "Camille",
        "Dupont",
        lyon,
    )
    assert signature.departement_id == lyon.departement_id
    assert signature.confirmed_at is None
    assert not signature.email_pending and signature.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille.dupont@exemple.fr"]
    assert LINK.search(mail.outbox[0].body)
    assert services.counts(petition).online == 0


def _link(message) -> str:
    return LINK.search(message.body).group(0)


def test_confirming_through_the_link_counts_the_signature_once(
    client, petition, lyon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign(client)
    link = _link(mail.outbox[0]).split("/petition/", 1)[1]
    url = f"/petition/{link}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirmer ma signature" in page.content.decode()
    assert Signature.objects.get().confirmed_at is None  # a GET (a mail scanner) confirms nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:confirmed")
    assert Signature.objects.get().confirmed_at is not None
    client.post(url)  # a second click
    count = DepartementCount.objects.get(petition=petition, departement=lyon.departement)
    assert count.confirmed == 1
    again = client.get(url).content.decode()
    assert "déjà confirmée" in again
    assert services.counts(petition).online == 1
    confirmed = client.get(reverse("petitions:confirmed")).content.decode()
    assert "1 signature" in confirmed and INVALID not in confirmed


def test_a_second_request_resends_the_link_and_never_makes_a_second_signature(
    client, petition, lyon, django_capture_on_commit_callbacks, settings
):
    settings.PETITION_RESEND_COOLDOWN_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        _sign(client)
    with django_capture_on_commit_callbacks(execute=True):
        _sign(
            client,
            email="Camille.Dupont+petition@Exemple.fr",
            first_name="Quelqu'un",
            last_name="D'autre",
        )
    signature = Signature.objects.get()
    # What the second request typed does not overwrite the first (anyone can type any address).
    assert (signature.first_name, signature.email) == ("Camille", "camille.dupont@exemple.fr")
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {"camille.dupont@exemple.fr"}


def test_a_resend_within_the_cooldown_sends_nothing_more(
    client, petition, lyon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign(client)
    with django_capture_on_commit_callbacks(execute=True):
        _sign(client)
    assert Signature.objects.count() == 1
    assert len(mail.outbox) == 1


def test_signing_again_after_confirming_says_it_is_already_counted(
    client, petition, lyon, django_capture_on_commit_callbacks, settings
):
    settings.PETITION_RESEND_COOLDOWN_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        _sign(client)
    services.confirm(Signature.objects.select_related("petition").get())
    with django_capture_on_commit_callbacks(execute=True):
        _sign(client)
    assert Signature.objects.count() == 1
    assert "déjà enregistrée" in mail.outbox[-1].subject
    assert not LINK.search(mail.outbox[-1].body)
    assert services.counts(petition).online == 1


def test_an_expired_link_offers_a_new_one(
    client, petition, lyon, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign(client)
    url = "/petition/" + _link(mail.outbox[0]).split("/petition/", 1)[1]
    settings.PETITION_CONFIRMATION_DAYS = -1  # every link is now too old
    page = client.get(url)
    assert page.status_code == 410
    html = page.content.decode()
    assert "Ce lien de confirmation a expiré" in html and INVALID not in html
    assert client.post(url).status_code == 410
    assert Signature.objects.get().confirmed_at is None
    token = url.rstrip("/").rsplit("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("petitions:new_link", args=[token]))
    assert "Un nouveau lien vous a été envoyé" in sent.content.decode()
    assert len(mail.outbox) == 2
    settings.PETITION_CONFIRMATION_DAYS = 7
    fresh = "/petition/" + _link(mail.outbox[1]).split("/petition/", 1)[1]
    client.post(fresh)
    assert Signature.objects.get().confirmed_at is not None


def test_a_tampered_link_is_refused_in_french(client, petition, lyon):
    token = emails.confirmation_token(12345)
    response = client.get(reverse("petitions:confirm", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert "Ce lien n'est pas valable" in response.content.decode()
    response = client.get(reverse("petitions:confirm", args=[token]))  # genuine, no such row
    assert response.status_code == 404


def test_the_honeypot_stores_and_sends_nothing(
    client, petition, lyon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign(client, website="http://spam.example")
    assert response.status_code == 302
    assert Signature.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "camille.dupont@", "Saisissez une adresse électronique valide"),
        ("commune", "Lyyyon", "Nous ne trouvons pas de commune « Lyyyon »"),
        ("consent", "", "Cochez cette case pour signer"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(
    client, petition, lyon, field, value, message
):
    response = _sign(client, **{field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "resume-erreurs" in html and INVALID not in html
    assert 'value="Dupont"' in html
    if field != "consent":
        assert f'value="{value}"' in html
    assert Signature.objects.count() == 0


def test_rate_limit_by_address(client, petition, lyon, settings):
    settings.PETITION_RATE_PER_IP = "2/h"
    assert _sign(client, email="a@exemple.fr").status_code == 302
    assert _sign(client, email="b@exemple.fr").status_code == 302
    refused = _sign(client, email="c@exemple.fr")
    assert refused.status_code == 429
    assert "Trop de signatures" in refused.content.decode()
    assert 'value="c@exemple.fr"' in refused.content.decode()
    assert Signature.objects.count() == 2


def test_behind_a_proxy_each_visitor_has_their_own_limit(client, petition, lyon, settings):
    # Every request comes from the proxy's address; the client's is in the header it writes.
    settings.PETITION_RATE_PER_IP = "1/h"
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    url = reverse("petitions:sign")
    data = {"first_name": "Camille", "last_name": "Dupont", "commune": "Lyon (69001)"}
    data["consent"] = "on"
    first = client.post(url, {**data, "email": "a@gmail.com"}, HTTP_X_REAL_IP="203.0.113.1")
    other = client.post(url, {**data, "email": "b@gmail.com"}, HTTP_X_REAL_IP="203.0.113.2")
    again = client.post(url, {**data, "email": "c@gmail.com"}, HTTP_X_REAL_IP="203.0.113.1")
    assert (first.status_code, other.status_code, again.status_code) == (302, 302, 429)


def test_rate_limit_by_email_domain_spares_the_big_providers(client, petition, lyon, settings):
    settings.PETITION_RATE_PER_DOMAIN = "2/h"
    for n in range(2):
        assert _sign(client, email=f"p{n}@petit-domaine.fr").status_code == 302
    assert _sign(client, email="p3@petit-domaine.fr").status_code == 429
    for n in range(3):
        assert _sign(client, email=f"p{n}@gmail.com").status_code == 302
    assert Signature.objects.count() == 5


def test_a_closed_petition_takes_no_signature(client, petition, lyon):
    petition.state = "close"
    petition.save()
    response = _sign(client)
    assert response.status_code == 410
    assert "n'accepte plus de signatures" in response.content.decode()
    assert Signature.objects.count() == 0


def test_the_sign_page_renders_with_its_honeypot(client, petition, lyon):
    response = client.get(reverse("petitions:sign"))
    html = response.content.decode()
    assert response.status_code == 200 and INVALID not in html
    assert 'name="website"' in html and 'aria-hidden="true"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_surge_path_is_one_statement(
    client, petition, lyon, settings, django_assert_num_queries
):
    """What QUALITY.md's surge budget rests on: with the petition and the commune label in the
    cache (after the first signer), signing is one INSERT; the e-mail job is enqueued at most
    once per interval and process."""

    settings.PETITION_EMAIL_DRAIN_INTERVAL = 60
    services._last_drain_scheduled = clock.monotonic()
    _sign(client, email="premier@exemple.fr")
    with django_assert_num_queries(1) as queries:
        assert _sign(client, email="second@exemple.fr").status_code == 302
    assert queries.captured_queries[0]["sql"].startswith("INSERT INTO")
    assert Signature.objects.awaiting_email().count() == 2


def test_reading_the_counter_costs_no_query_while_cached(
    client, petition, lyon, django_assert_num_queries
):
    client.get(reverse("petitions:counter"))
    with django_assert_num_queries(0):
        html = client.get(reverse("petitions:counter")).content.decode()
    assert 'id="compteur"' in html and INVALID not in html


def test_the_service_refuses_what_the_columns_cannot_hold(petition, lyon):

    with pytest.raises(ValidationError, match="« prénom »"):
        services.sign(
            petition, first_name="C" * 101, last_name="Dupont", email="c@exemple.fr", commune=lyon
        )
    with pytest.raises(ValidationError, match="« nom »"):
        services.sign(
            petition, first_name="Camille", last_name="  ", email="c@exemple.fr", commune=lyon
        )
    assert Signature.objects.count() == 0
