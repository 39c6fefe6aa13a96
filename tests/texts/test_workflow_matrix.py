"""Every (state, role, action) of a participatory text, a law proposal, a proposed wording and
an article's comment: the pages offer exactly what the services accept
(tests/workflow_matrix.py)."""

import itertools

import pytest
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.discussions.enums import CommentState
from enfance.territories.models import Region
from enfance.texts import services
from enfance.texts.enums import ArticleProposalState, RecipientKind, TextState
from enfance.texts.models import ArticleComment, ArticleProposal, Text
from enfance.texts.services import ArticleDraft
from tests.factories import UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

from .factories import charter, in_a_month, law_proposal

pytestmark = pytest.mark.django_db

STATES = list(TextState.values)


def _administrator(scope="national"):
    person = with_totp(UserFactory())
    region = Region.objects.order_by("code").first() if scope == "region" else None
    Role.objects.create(
        user=person, kind="administrateur_national", scope_level=scope, region=region
    )
    return person


def _html(client, person, *urls) -> str:
    client.force_login(person)
    html = ""
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            html += response.content.decode()
    return html


def _changed(text) -> list[ArticleDraft]:
    drafts = [
        ArticleDraft(body=a.body, title=a.title, key=a.key)
        for a in text.current_version.articles.all()
    ]
    drafts[0] = ArticleDraft(body="Une autre rédaction.", key=drafts[0].key)
    return drafts


def _text_attempts(text, article, person):
    return {
        "open_consultation": lambda: services.open_consultation(
            text, by=person, closes_on=in_a_month()
        ),
        "close_consultation": lambda: services.close_consultation(text, by=person),
        "edit": lambda: services.publish_version(
            text, by=person, articles=_changed(text), summary="Une phrase."
        ),
        "take_part": lambda: services.comment_article(article, by=person, body="D'accord."),
    }


def _text_buttons(text, article):
    return {
        "open_consultation": f'action="{text.url("transition", "ouvrir-consultation")}"',
        "close_consultation": f'action="{text.url("transition", "clore-consultation")}"',
        "edit": f'href="{text.url("edit")}"',
        "take_part": f'action="{text.url("comment", article.key)}"',
    }


@pytest.mark.parametrize(
    ("state", "role"),
    list(itertools.product(STATES, ["administrateur", "redacteur", "citoyen"])),
)
def test_the_charter_pages_offer_what_the_services_accept(client, state, role):
    admin = _administrator()
    text = charter(admin)
    Text.objects.filter(pk=text.pk).update(state=state)
    person = {"administrateur": admin, "redacteur": UserFactory(), "citoyen": UserFactory()}[role]
    if role == "redacteur":
        text.editors.add(person)
    text = Text.objects.select_related("current_version").get(pk=text.pk)
    article = text.current_version.articles.select_related("version__text").first()
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=text.abilities(person),
        attempts=_text_attempts(text, article, person),
        html=_html(client, person, text.get_absolute_url(), text.url("article", article.key)),
        buttons=_text_buttons(text, article),
    )


@pytest.mark.parametrize(
    ("state", "role"),
    list(itertools.product(STATES, ["administrateur", "administrateur_regional", "citoyen"])),
)
def test_the_law_proposal_pages_offer_what_the_services_accept(client, state, role):
    admin = _administrator()
    law = law_proposal(admin)
    type(law).objects.filter(pk=law.pk).update(state=state)
    person = {
        "administrateur": admin,
        "administrateur_regional": _administrator("region"),
        "citoyen": UserFactory(),
    }[role]
    law = type(law).objects.select_related("current_version").get(pk=law.pk)
    article = law.current_version.articles.select_related("version__text").first()
    today = timezone.localdate()
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=law.abilities(person),
        attempts={
            **_text_attempts(law, article, person),
            "record_transmission": lambda: services.record_transmission(
                law,
                by=person,
                recipient_kind=RecipientKind.DEPUTIES,
                recipients="Mme Anne Martin, députée",
                transmitted_on=today,
            ),
            "record_follow_up": lambda: services.record_follow_up(
                law, by=person, happened_on=today, description="Un rendez-vous."
            ),
        },
        html=_html(client, person, law.get_absolute_url(), law.url("article", article.key)),
        buttons={
            **_text_buttons(law, article),
            "record_transmission": f'href="{law.url("transmit")}"',
            "record_follow_up": f'href="{law.url("follow_up")}"',
        },
    )


WORDING_SITUATIONS = [*ArticleProposalState.values, "texte_transmis"]


def _wording(situation, admin, author):
    law = situation == "texte_transmis"
    text = law_proposal(admin) if law else charter(admin)
    if law:
        text = services.open_consultation(text, by=admin, closes_on=in_a_month())
    article = text.current_version.articles.select_related("version__text").first()
    proposal = services.propose_wording(article, by=author, body="Autrement.", reason="Mieux.")
    if situation == ArticleProposalState.INTEGRATED:
        services.integrate_proposal(proposal, by=admin)
    elif situation == ArticleProposalState.NOT_RETAINED:
        services.decline_proposal(proposal, by=admin, reason="Hors sujet.")
    elif law:
        services.record_transmission(
            text,
            by=admin,
            recipient_kind=RecipientKind.GOVERNMENT,
            recipients="Cabinet du Premier ministre",
            transmitted_on=timezone.localdate(),
        )
    return ArticleProposal.objects.select_related("text", "article").get(pk=proposal.pk)


@pytest.mark.parametrize(
    ("situation", "role"),
    list(itertools.product(WORDING_SITUATIONS, ["administrateur", "auteur", "citoyen"])),
)
def test_a_proposed_wording_offers_what_the_services_accept(client, situation, role):
    admin, author = _administrator(), UserFactory()
    proposal = _wording(situation, admin, author)
    person = {"administrateur": admin, "auteur": author, "citoyen": UserFactory()}[role]
    text = proposal.text
    assert_page_and_service_agree(
        where=f"{situation} / {role}",
        abilities=proposal.abilities(person),
        attempts={
            "integrate": lambda: services.integrate_proposal(proposal, by=person),
            "decline": lambda: services.decline_proposal(proposal, by=person, reason="Non."),
        },
        html=_html(client, person, text.url("article", proposal.article.key)),
        buttons={
            "integrate": f'action="{text.url("integrate", proposal.pk)}"',
            "decline": f'href="{text.url("decline", proposal.pk)}"',
        },
    )


@pytest.mark.parametrize(
    ("state", "role"),
    list(itertools.product(CommentState.values, ["administrateur", "auteur", "citoyen"])),
)
def test_an_article_comment_offers_what_the_moderation_accepts(client, state, role):
    admin, author = _administrator(), UserFactory()
    text = charter(admin)
    article = text.current_version.articles.select_related("version__text").first()
    comment = services.comment_article(article, by=author, body="Un avis.")
    ArticleComment.objects.filter(pk=comment.pk).update(state=state, moderation_reason="Motif.")
    comment.refresh_from_db()
    person = {"administrateur": admin, "auteur": author, "citoyen": UserFactory()}[role]
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=comment.abilities(person),
        attempts={
            "publish": lambda: services.publish_comment(comment, by=person),
            "remove": lambda: services.remove_comment(comment, by=person, reason="Injurieux."),
            "report": lambda: services.report_comment(comment, by=person, reason="Injurieux."),
        },
        html=_html(client, person, text.url("article", article.key)),
        buttons={
            "publish": f'action="{comment.publish_url}"',
            "remove": f'href="{comment.remove_url}"',
            "report": f'href="{comment.report_url}"',
        },
    )
