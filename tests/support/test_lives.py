"""Questions for a live: asked under a pseudonym by a signed-in person, read by a host before
anyone sees them, supported once, marked answered; the replay and the summary afterwards."""

import html
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from enfance.support import lives
from enfance.support.models import LiveQuestion, LiveRecord
from tests.events.factories import LiveFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def host():
    return UserFactory(first_name="Animatrice")


@pytest.fixture
def live(host):
    return LiveFactory(hosts=[host])


def _page(client, live):
    response = client.get(reverse("support:live", args=[live.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_question_is_read_by_a_host_before_anyone_sees_it(client, live, host):
    with pytest.raises(PermissionDenied):
        lives.ask(live, by=AnonymousUser(), pseudonym="X", text="Une question ?")
    asker = UserFactory()
    with pytest.raises(ValidationError, match="Choisissez un pseudonyme"):
        lives.ask(live, by=asker, pseudonym=" ", text="Une question ?")
    question = lives.ask(live, by=asker, pseudonym="Papa du 69", text="Comment joindre le juge ?")
    assert "Comment joindre le juge" not in _page(client, live)  # a visitor
    client.force_login(asker)
    assert "en attente de relecture" in _page(client, live)
    with pytest.raises(PermissionDenied):
        lives.moderate(question, by=asker, show=True)
    client.force_login(host)
    assert "À relire avant affichage" in _page(client, live)
    client.post(reverse("support:question_action", args=[live.pk, question.pk, "afficher"]))
    client.logout()
    page = _page(client, live)
    assert "Papa du 69" in page and "Comment joindre le juge" in page
    assert asker.first_name not in page


def test_a_shown_question_is_supported_once_and_marked_answered(client, live, host):
    asker, others = UserFactory(), [UserFactory(), UserFactory()]
    question = lives.moderate(
        lives.ask(live, by=asker, pseudonym="Mamie", text="Et les grands-parents ?"),
        by=host,
        show=True,
    )
    with pytest.raises(ValidationError, match="propre question"):
        lives.support(question, by=asker)
    for person in others:
        lives.support(question, by=person)
    with pytest.raises(ValidationError, match="déjà"):
        lives.support(question, by=others[0])
    question.refresh_from_db()
    assert question.supports == 2
    client.force_login(host)
    client.post(reverse("support:question_action", args=[live.pk, question.pk, "repondue"]))
    question.refresh_from_db()
    assert question.status == "repondue" and question.answered_at is not None
    with pytest.raises(ValidationError):
        lives.support(question, by=UserFactory())


def test_wrong_side_of_a_live_gets_refused(client, live, host):
    question = lives.ask(live, by=UserFactory(), pseudonym="A", text="Une question ?")
    client.force_login(UserFactory())
    action = reverse("support:question_action", args=[live.pk, question.pk, "afficher"])
    client.post(action)
    question.refresh_from_db()
    assert question.status == "a_moderer"
    other_live = LiveFactory()
    wrong_pair = reverse("support:question_action", args=[other_live.pk, question.pk, "afficher"])
    assert client.post(wrong_pair).status_code == 404
    client.logout()
    answer = client.post(reverse("support:ask", args=[live.pk]), {"pseudonym": "B", "text": "?"})
    assert answer.status_code == 302 and "/comptes/login/" in answer["Location"]
    assert LiveQuestion.objects.count() == 1


def test_the_summary_is_published_once_the_live_is_over(client, live, host):
    with pytest.raises(ValidationError, match="une fois le live terminé"):
        lives.publish_record(live, by=host, replay_url="", summary="Synthèse.")
    type(live).objects.filter(pk=live.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    live.refresh_from_db()
    assert not lives.open_for_questions(live)
    with pytest.raises(ValidationError, match="ne prend plus de questions"):
        lives.ask(live, by=UserFactory(), pseudonym="C", text="Trop tard ?")
    with pytest.raises(PermissionDenied):
        lives.publish_record(live, by=UserFactory(), replay_url="", summary="Synthèse.")
    client.force_login(host)
    client.post(
        reverse("support:record", args=[live.pk]),
        {"replay_url": "https://video.exemple.fr/live-12", "summary": "Les juristes ont dit…"},
    )
    client.logout()
    page = _page(client, live)
    assert "Revoir le live (replay)" in page and "Les juristes ont dit…" in page


def test_the_lives_page_is_shared_by_visitors_and_follows_a_new_live(
    client, live, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("support:lives")
    assert live.title in html.unescape(client.get(url).content.decode())
    with django_assert_max_num_queries(2):
        client.get(url)  # the visitors' page, from the cache
    with django_capture_on_commit_callbacks(execute=True):
        other = LiveFactory(title="Live : préparer une audience")
    assert other.title in html.unescape(client.get(url).content.decode())


def test_a_second_click_changes_nothing_and_a_replay_link_is_a_web_address(live, host):
    question = lives.ask(live, by=UserFactory(), pseudonym="D", text="Une question ?")
    stale = LiveQuestion.objects.get(pk=question.pk)  # the page of a second host
    lives.moderate(question, by=host, show=True)
    with pytest.raises(ValidationError, match="déjà relue"):
        lives.moderate(stale, by=host, show=False)
    assert LiveQuestion.objects.get(pk=question.pk).status == "affichee"
    type(live).objects.filter(pk=live.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    live.refresh_from_db()
    for address in ("javascript:alert(1)", "https://exemple.fr/" + "x" * 300):
        with pytest.raises(ValidationError, match="commence par https://"):
            lives.publish_record(live, by=host, replay_url=address, summary="Synthèse.")
    record = lives.publish_record(live, by=host, replay_url="", summary="Synthèse.")
    assert record.replay_url == ""


def test_only_a_host_publishes_the_summary_through_the_page(client, live):
    type(live).objects.filter(pk=live.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(UserFactory())
    answer = client.post(reverse("support:record", args=[live.pk]), {"summary": "Faux."})
    assert answer.status_code == 403 and not LiveRecord.objects.exists()
