"""The author of a proposed wording is told, once, what became of it."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError

from enfance.safeguarding.services import flag_danger
from enfance.texts import services
from enfance.texts.services import ArticleDraft
from tests.assemblies.factories import child
from tests.factories import UserFactory

from .factories import charter

pytestmark = pytest.mark.django_db

INTEGRATED = "Votre proposition de rédaction a été intégrée à la version"


def _propose(text, author, number=2):
    return services.propose_wording(
        text.current_version.articles.get(number=number),
        by=author,
        body="Les décisions se prennent avec les enfants d'abord.",
        reason="Les enfants sont les premiers concernés.",
    )


def test_an_integrated_wording_tells_its_author_the_version_and_the_link(
    admin_national, user, client, django_capture_on_commit_callbacks
):
    text = charter(admin_national)
    bystander = UserFactory()
    services.comment_article(text.current_version.articles.first(), by=bystander, body="Très bien.")
    proposal = _propose(text, user)
    with django_capture_on_commit_callbacks(execute=True):
        services.integrate_proposal(proposal, by=admin_national)
    assert [m.to for m in mail.outbox] == [[user.email]]
    message = mail.outbox[0]
    assert message.subject == (
        f"{INTEGRATED} 2 de « Charte du Ministère de la Protection de l'Enfance »"
    )
    assert message.body.startswith("Bonjour Camille,")
    assert "l'article 2 a été intégrée à la version 2" in message.body
    assert f"{settings.SITE_URL}/textes/charte/versions/2/#article-{proposal.article.key}" in (
        message.body
    )
    # The link lands on the article itself in the version.
    page = client.get("/textes/charte/versions/2/")
    assert f'id="article-{proposal.article.key}"' in page.content.decode()


def test_a_declined_wording_tells_its_author_the_reason_once(
    admin_national, user, django_capture_on_commit_callbacks
):
    text = charter(admin_national)
    proposal = _propose(text, user)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_proposal(
            proposal, by=admin_national, reason="L'article 3 traite déjà de la place des enfants."
        )
    assert [m.to for m in mail.outbox] == [[user.email]]
    message = mail.outbox[0]
    assert message.subject == (
        "Votre proposition de rédaction sur « Charte du Ministère de la Protection de "
        "l'Enfance » n'a pas été retenue"
    )
    assert "L'article 3 traite déjà de la place des enfants." in message.body
    assert f"{settings.SITE_URL}/textes/charte/articles/{proposal.article.key}/" in message.body
    # A second decision is refused, and writes to no one.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="déjà été traitée"),
    ):
        services.decline_proposal(proposal, by=admin_national, reason="Encore.")
    assert len(mail.outbox) == 1


def test_each_author_of_a_version_hears_once_and_a_child_by_first_name_only(
    admin_national, user, django_capture_on_commit_callbacks
):
    text = charter(admin_national)
    lina = child(date(2014, 5, 1))
    theirs = _propose(text, user, number=1)
    hers = _propose(text, lina, number=3)
    untouched = _propose(text, UserFactory(), number=2)
    drafts = [
        ArticleDraft(body=a.body, title=a.title, key=a.key)
        for a in text.current_version.articles.all()
    ]
    drafts[0] = ArticleDraft(body=theirs.body, title=drafts[0].title, key=drafts[0].key)
    drafts[2] = ArticleDraft(body=hers.body, title=drafts[2].title, key=drafts[2].key)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(
            text,
            by=admin_national,
            articles=drafts,
            summary="Deux propositions intégrées.",
            integrated=[theirs, hers],
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, lina.email])
    assert untouched.author.email not in {m.to[0] for m in mail.outbox}
    to_lina = next(m for m in mail.outbox if m.to == [lina.email])
    assert to_lina.body.startswith("Bonjour Lina,")
    assert "Nom-Jamais-Affiché" not in to_lina.body
    assert "l'article 3 a été intégrée à la version 2" in to_lina.body


def test_no_email_to_an_unverified_address(admin_national, django_capture_on_commit_callbacks):
    text = charter(admin_national)
    unverified = UserFactory(verified=False)
    proposal = _propose(text, unverified)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_proposal(proposal, by=admin_national, reason="Hors sujet.")
    assert mail.outbox == []


def test_no_email_about_a_wording_flagged_as_a_danger(
    admin_national, user, django_capture_on_commit_callbacks
):

    text = charter(admin_national)
    flagged = _propose(text, user)
    kept = _propose(text, user, number=1)
    flag_danger(flagged, by=UserFactory(), reason="Un enfant en parle.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            services.decline_proposal(flagged, by=admin_national, reason="Hors sujet.")
        with pytest.raises(ValidationError):
            services.integrate_proposal(flagged, by=admin_national)
        services.decline_proposal(kept, by=admin_national, reason="Hors sujet.")
    assert len(mail.outbox) == 1
    assert "Les décisions se prennent" not in mail.outbox[0].body
    assert "article 1er" in mail.outbox[0].body
