"""The library's cached pages follow every write that changes what they show."""

import datetime

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse

from enfance.practices import library, services
from enfance.practices.enums import EvidenceStage, PracticeLevel, ReferenceList
from tests.practices.factories import PracticeFactory, committee_member, option, redacteur_onpe

pytestmark = pytest.mark.django_db

LIBRARY = reverse("practices:library")


@pytest.fixture
def onpe_fiche(db):
    practice = PracticeFactory(
        title="Parrainage de proximité",
        level=PracticeLevel.ONPE,
        evidence_stage=EvidenceStage.ONPE,
        objectives="Un adulte de confiance durable.",
        theme=option(ReferenceList.THEME, "Parentalité"),
    )
    library.index_practice(practice)
    return practice


def page(client, practice) -> str:
    response = client.get(practice.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in content
    return content


def main(content: str) -> str:
    return content[content.index("<main") : content.index("</main>")]


def test_fiche_page_is_read_once_then_served_from_the_cache(
    client, django_assert_max_num_queries, onpe_fiche
):
    with django_assert_max_num_queries(15):
        first = page(client, onpe_fiche)
    with django_assert_max_num_queries(0):
        second = page(client, onpe_fiche)
    # The same page, bar the per-request nonce of the scripts.
    assert main(first) == main(second)
    assert "Parrainage de proximité" in second
    assert "Un adulte de confiance durable." in second
    assert "<title>Parrainage de proximité — Pratiques inspirantes" in second
    assert 'aria-current="page">Parrainage de proximité</a>' in second


def test_cached_fiche_follows_an_edit_at_once(client, onpe_fiche):
    assert "Un adulte de confiance durable." in page(client, onpe_fiche)
    services.save_practice(
        onpe_fiche,
        by=redacteur_onpe(),
        fields={"title": "Parrainage de proximité renouvelé", "objectives": "Des liens stables."},
    )
    content = page(client, onpe_fiche)
    assert "Parrainage de proximité renouvelé" in content
    assert "Des liens stables." in content
    assert "Un adulte de confiance durable." not in content


def test_cached_fiche_follows_its_evidence_level(client, onpe_fiche):
    assert "pas encore évalué" in page(client, onpe_fiche)
    services.set_evidence(
        onpe_fiche,
        by=committee_member(),
        stage="evaluated",
        level=3,
        reviewed_on=datetime.date(2024, 2, 1),
    )
    content = page(client, onpe_fiche)
    assert "3 — Prometteuse" in content
    assert "pas encore évalué" not in content


def test_withdrawn_fiche_vanishes_at_once(client, onpe_fiche, django_capture_on_commit_callbacks):
    assert page(client, onpe_fiche)
    assert "Parrainage de proximité" in client.get(LIBRARY).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_onpe_fiche(onpe_fiche, by=redacteur_onpe())
    assert client.get(onpe_fiche.get_absolute_url()).status_code == 404
    assert "Parrainage de proximité" not in client.get(LIBRARY).content.decode()


def test_cached_fiche_shows_a_renamed_option(
    client, admin_national, onpe_fiche, django_capture_on_commit_callbacks
):
    assert "Parentalité" in page(client, onpe_fiche)
    # The rename re-indexes the option's fiches in the background, which bumps their versions.
    with django_capture_on_commit_callbacks(execute=True):
        services.save_option(
            onpe_fiche.theme,
            by=admin_national,
            fields={"label": "Soutien à la parentalité"},
        )
    assert "Soutien à la parentalité" in page(client, onpe_fiche)


def test_unpublished_fiche_is_never_cached(client, django_assert_max_num_queries):
    draft = PracticeFactory(state="draft", published_at=None)
    for _ in range(2):
        with django_assert_max_num_queries(15):
            assert client.get(draft.get_absolute_url()).status_code == 404


def test_cached_list_follows_a_new_fiche(client, onpe_fiche):
    assert "1 pratique trouvée" in client.get(LIBRARY).content.decode()
    library.index_practice(PracticeFactory(title="Atelier des pères"))
    content = client.get(LIBRARY).content.decode()
    assert "2 pratiques trouvées" in content
    assert "Atelier des pères" in content


def test_list_page_breadcrumb_and_links(client, onpe_fiche):
    content = client.get(LIBRARY).content.decode()
    assert 'aria-current="page">Pratiques inspirantes</a>' in content
    assert reverse("practices:about") in content
    assert reverse("practices:evidence_scale") in content


def test_cached_fiche_follows_an_edit_made_in_the_admin(
    client, onpe_fiche, django_capture_on_commit_callbacks
):
    assert "Parrainage de proximité" in main(page(client, onpe_fiche))
    with django_capture_on_commit_callbacks(execute=True):
        onpe_fiche.title = "Parrainage de voisinage"
        onpe_fiche.save(update_fields=["title"])
    assert "Parrainage de voisinage" in main(page(client, onpe_fiche))


def _csp_nonce(response) -> str:
    policy = response["Content-Security-Policy"]
    return policy.split("'nonce-", 1)[1].split("'", 1)[0]


def test_visitor_list_page_is_served_whole_from_the_cache_with_a_fresh_nonce(
    client, django_assert_max_num_queries, onpe_fiche
):
    params = {"q": "parrainage", "niveau": PracticeLevel.ONPE}
    first = client.get(LIBRARY, params)
    with django_assert_max_num_queries(0):
        second = client.get(LIBRARY, params)
    assert main(first.content.decode()) == main(second.content.decode())
    assert "Parrainage de proximité" in second.content.decode()
    # Each answer carries its own nonce, the same in the page and in the policy header.
    nonces = [_csp_nonce(response) for response in (first, second)]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        content = response.content.decode()
        assert f'nonce="{nonce}"' in content
        assert "csp-nonce" not in content
        assert "INVALID_TEMPLATE_VARIABLE" not in content


def test_cached_visitor_page_follows_a_newly_published_fiche(
    client, onpe_fiche, django_capture_on_commit_callbacks
):
    params = {"q": "parrainage", "niveau": PracticeLevel.ONPE, "echelle": "departementale"}
    onpe_fiche.scale = "departementale"
    onpe_fiche.save(update_fields=["scale"])
    library.index_practice(onpe_fiche)
    assert "1 pratique trouvée" in client.get(LIBRARY, params).content.decode()
    assert "1 pratique trouvée" in client.get(LIBRARY, params).content.decode()
    draft = PracticeFactory(
        title="Parrainage de fratries",
        level=PracticeLevel.ONPE,
        evidence_stage=EvidenceStage.ONPE,
        scale="departementale",
        state="draft",
        published_at=None,
    )
    assert "Parrainage de fratries" not in client.get(LIBRARY, params).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_onpe_fiche(draft, by=redacteur_onpe())
    content = client.get(LIBRARY, params).content.decode()
    assert "2 pratiques trouvées" in content
    assert "Parrainage de fratries" in content


def test_signed_in_person_never_gets_the_visitors_page_nor_leaks_into_it(client, user, onpe_fiche):
    assert "Se connecter" in client.get(LIBRARY).content.decode()
    client.force_login(user)
    content = client.get(LIBRARY).content.decode()
    assert "Se déconnecter" in content
    assert "Se connecter" not in content
    client.logout()
    content = client.get(LIBRARY).content.decode()
    assert "Se connecter" in content
    assert "Se déconnecter" not in content
    assert "csrfmiddlewaretoken" not in content


def test_pending_message_is_shown_not_the_cached_page(client, rf, onpe_fiche):
    assert "Parrainage de proximité" in client.get(LIBRARY).content.decode()
    storage = CookieStorage(rf.get("/"))
    response = client.get(LIBRARY)
    storage.add(constants.SUCCESS, "Vous êtes déconnecté.")
    storage.update(response)
    client.cookies.update(response.cookies)
    assert "Vous êtes déconnecté." in client.get(LIBRARY).content.decode()
    # Shown once.
    assert "Vous êtes déconnecté." not in client.get(LIBRARY).content.decode()
