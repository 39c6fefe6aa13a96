"""Texts and law proposals: the services, from the right side and from the wrong one."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from enfance.core.models import LogEntry
from enfance.core.workflow import apply_transition
from enfance.discussions.enums import CommentState
from enfance.proposals.enums import ProposalState
from enfance.safeguarding.services import flag_danger
from enfance.texts import services
from enfance.texts.enums import ArticleProposalState, RecipientKind, TextState
from enfance.texts.models import (
    ArticleComment,
    ArticleCommentReport,
    ArticleProposal,
    LawProposal,
    Text,
    Transmission,
)
from enfance.texts.services import ArticleDraft
from enfance.texts.workflows import LAW_WORKFLOW, TEXT_WORKFLOW
from tests.factories import UserFactory

from .factories import adopted_proposal, charter, in_a_month, law_proposal

pytestmark = pytest.mark.django_db


def current_drafts(text):
    return [
        ArticleDraft(body=a.body, title=a.title, key=a.key)
        for a in text.current_version.articles.all()
    ]


def test_a_text_starts_at_version_1_with_numbered_articles(admin_national):
    text = charter(admin_national)
    version = text.current_version
    assert version.number == 1
    assert [(a.number, a.key, a.label) for a in version.articles.all()] == [
        (1, 1, "Article 1er"),
        (2, 2, "Article 2"),
        (3, 3, "Article 3"),
    ]
    assert LogEntry.objects.filter(action="texts.text.create", public=True).exists()


def test_a_citizen_creates_no_text_and_no_law_proposal(user):
    with pytest.raises(PermissionDenied):
        charter(user)
    with pytest.raises(PermissionDenied):
        law_proposal(user)
    assert not Text.objects.exists()


def test_a_new_version_keeps_article_identities(admin_national):
    text = charter(admin_national)
    first, second, third = current_drafts(text)
    version = services.publish_version(
        text,
        by=admin_national,
        summary="L'article sur la démocratie est retiré, un article est ajouté en tête.",
        articles=[
            ArticleDraft(body="La parole de l'enfant compte.", title="Enfants"),
            first,
            ArticleDraft(body="Tout est public.", title=third.title, key=third.key),
        ],
    )
    text.refresh_from_db()
    assert text.current_version == version and version.number == 2
    assert [(a.number, a.key) for a in version.articles.all()] == [(1, 4), (2, 1), (3, 3)]
    # Version 1 reads as it was.
    assert text.versions.get(number=1).articles.get(key=2).body == second.body


def test_a_version_without_change_or_summary_is_refused(admin_national):
    text = charter(admin_national)
    with pytest.raises(ValidationError, match="Rien n'a changé"):
        services.publish_version(
            text, by=admin_national, summary="Rien.", articles=current_drafts(text)
        )
    with pytest.raises(ValidationError):
        services.publish_version(
            text, by=admin_national, summary=" ", articles=current_drafts(text)
        )
    with pytest.raises(ValidationError, match="au moins un article"):
        services.publish_version(
            text, by=admin_national, summary="Tout retirer.", articles=[ArticleDraft("")]
        )
    assert text.versions.count() == 1


def test_only_editors_publish_versions(admin_national, user):
    text = charter(admin_national)
    drafts = current_drafts(text)
    drafts[0] = ArticleDraft(body="Autre rédaction.", key=drafts[0].key)
    with pytest.raises(PermissionDenied):
        services.publish_version(text, by=user, summary="Essai.", articles=drafts)
    text.editors.add(user)
    text = Text.objects.get(pk=text.pk)
    assert services.publish_version(text, by=user, summary="Essai.", articles=drafts)


def test_comments_need_an_open_consultation_and_a_current_article(admin_national, user):
    text = charter(admin_national, state=TextState.DRAFTING)
    article = text.current_version.articles.first()
    with pytest.raises(PermissionDenied):
        services.comment_article(article, by=user, body="Bravo.")
    text = services.open_consultation(text, by=admin_national, closes_on=in_a_month())
    article = text.current_version.articles.select_related("version__text").first()
    with pytest.raises(ValidationError):
        services.comment_article(article, by=user, body="   ")
    with pytest.raises(ValidationError) as too_long:
        services.comment_article(article, by=user, body="x" * 100_000)
    assert "dépasse 2\u202f000 caractères" in " ".join(too_long.value.messages)
    comment = services.comment_article(article, by=user, body="<script>x</script>")
    assert comment.body == "<script>x</script>"
    services.publish_version(
        text,
        by=admin_national,
        summary="Nouvelle rédaction.",
        articles=[ArticleDraft(body="Neuf.", key=article.key)],
    )
    article.refresh_from_db()
    with pytest.raises(ValidationError, match="version ancienne"):
        services.comment_article(
            type(article).objects.get(pk=article.pk), by=user, body="Trop tard."
        )
    assert ArticleComment.objects.count() == 1


def test_a_proposal_is_integrated_into_a_new_version_and_links_to_it(admin_national, user):
    text = charter(admin_national)
    article = text.current_version.articles.get(number=2)
    with pytest.raises(ValidationError):
        services.propose_wording(article, by=user, body=article.body, reason="Pareil.")
    proposal = services.propose_wording(
        article,
        by=user,
        body="Les décisions se prennent avec les enfants d'abord.",
        reason="Les enfants sont les premiers concernés.",
    )
    with pytest.raises(PermissionDenied):
        services.integrate_proposal(proposal, by=user)
    version = services.integrate_proposal(proposal, by=admin_national)
    proposal.refresh_from_db()
    assert proposal.state == ArticleProposalState.INTEGRATED
    assert proposal.integrated_in == version and version.number == 2
    assert version.articles.get(key=article.key).body.endswith("les enfants d'abord.")
    assert "article 2" in version.summary
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.publish_version(
            text,
            by=admin_national,
            summary="Encore.",
            articles=[ArticleDraft(body="Autre.")],
            integrated=[proposal],
        )


def test_a_stale_integration_never_undoes_a_version_published_meanwhile(admin_national, user):
    text = charter(admin_national)
    first, second = text.current_version.articles.order_by("number")[:2]
    proposal = services.propose_wording(
        second, by=user, body="Rédaction proposée.", reason="Plus clair."
    )
    stale = ArticleProposal.objects.select_related("text__current_version").get(pk=proposal.pk)
    drafts = current_drafts(Text.objects.get(pk=text.pk))
    drafts[0] = ArticleDraft(body="Rédaction publiée entre-temps.", key=first.key)
    services.publish_version(
        Text.objects.get(pk=text.pk), by=admin_national, summary="Art. 1er.", articles=drafts
    )
    with pytest.raises(ValidationError, match="la version 2 a été publiée depuis la version 1"):
        services.integrate_proposal(stale, by=admin_national)
    text = Text.objects.get(pk=text.pk)
    assert text.current_version.number == 2
    assert text.current_version.articles.get(key=first.key).body == "Rédaction publiée entre-temps."
    proposal.refresh_from_db()
    assert proposal.state == ArticleProposalState.PENDING
    # Read afresh, it is integrated on top of version 2, which it keeps.
    version = services.integrate_proposal(
        ArticleProposal.objects.get(pk=proposal.pk), by=admin_national
    )
    assert version.articles.get(key=first.key).body == "Rédaction publiée entre-temps."
    assert version.articles.get(key=second.key).body == "Rédaction proposée."


def test_a_wording_flagged_as_a_danger_is_never_integrated(admin_national, user):

    text = charter(admin_national)
    article = text.current_version.articles.first()
    proposal = services.propose_wording(
        article, by=user, body="Rédaction inquiétante.", reason="Car."
    )
    flag_danger(proposal, by=UserFactory(), reason="Un enfant en parle.")
    with pytest.raises(ValidationError, match="n'existe plus"):
        services.integrate_proposal(proposal, by=admin_national)
    text = Text.objects.get(pk=text.pk)
    assert text.versions.count() == 1
    assert "inquiétante" not in text.current_version.articles.get(key=article.key).body


def test_a_text_transmitted_since_the_page_was_read_takes_no_new_version(admin_national):
    law = law_proposal(admin_national)
    stale = LawProposal.objects.get(pk=law.pk)
    services.record_transmission(
        LawProposal.objects.get(pk=law.pk),
        by=admin_national,
        recipient_kind=RecipientKind.GOVERNMENT,
        recipients="Cabinet du Premier ministre",
        transmitted_on=timezone.localdate(),
    )
    drafts = current_drafts(stale)
    drafts[0] = ArticleDraft(body="Changé après la transmission.", key=drafts[0].key)
    assert stale.state == TextState.DRAFTING
    with pytest.raises(ValidationError, match="transmis"):
        services.publish_version(stale, by=admin_national, summary="Trop tard.", articles=drafts)
    assert LawProposal.objects.get(pk=law.pk).versions.count() == 1


def test_a_proposal_not_retained_needs_a_reason(admin_national, user):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    proposal = services.propose_wording(article, by=user, body="Autre.", reason="Mieux.")
    with pytest.raises(PermissionDenied):
        services.decline_proposal(proposal, by=user, reason="Non.")
    with pytest.raises(ValidationError):
        services.decline_proposal(proposal, by=admin_national, reason=" ")
    services.decline_proposal(proposal, by=admin_national, reason="Hors sujet.")
    proposal.refresh_from_db()
    assert proposal.state == ArticleProposalState.NOT_RETAINED
    assert proposal.decision_reason == "Hors sujet."
    with pytest.raises(ValidationError):
        services.decline_proposal(proposal, by=admin_national, reason="Encore.")


def test_a_comment_is_reported_once_per_person_and_hidden_by_the_moderation(admin_national, user):
    text = charter(admin_national)
    comment = services.comment_article(
        text.current_version.articles.first(), by=user, body="Insulte."
    )
    reporter = UserFactory()
    assert services.report_comment(comment, by=reporter, reason="Injurieux.")
    assert not services.report_comment(comment, by=reporter, reason="Encore.")
    comment.refresh_from_db()
    assert comment.report_count == 1
    with pytest.raises(PermissionDenied):
        services.remove_comment(comment, by=reporter, reason="Non.")
    services.remove_comment(comment, by=admin_national, reason="Propos injurieux.")
    comment.refresh_from_db()
    assert comment.moderated_at is not None
    assert comment.state == CommentState.REMOVED
    assert comment.moderation_reason == "Propos injurieux."


def test_a_law_proposal_consolidates_adopted_proposals_only(admin_national):
    published = adopted_proposal("Villages de protection")
    published.state = ProposalState.PUBLISHED
    published.save()
    with pytest.raises(ValidationError, match="adoptées"):
        law_proposal(admin_national, sources=[published])
    with pytest.raises(ValidationError):
        law_proposal(admin_national, sources=[])
    source = adopted_proposal()
    law = law_proposal(admin_national, sources=[source])
    assert isinstance(law, LawProposal) and law.state == TextState.DRAFTING
    assert list(source.law_proposals.all()) == [law]
    assert law.get_state_display() == "En rédaction"
    assert law.get_absolute_url() == f"/propositions-de-loi/{law.slug}/"


def test_transmissions_and_follow_ups_are_recorded_with_dates(admin_national, user):
    law = law_proposal(admin_national)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.record_transmission(
            law,
            by=user,
            recipient_kind=RecipientKind.GOVERNMENT,
            recipients="Premier ministre",
            transmitted_on=today,
        )
    with pytest.raises(ValidationError, match="transmise"):
        services.record_follow_up(law, by=admin_national, happened_on=today, description="Rien.")
    with pytest.raises(ValidationError):
        services.record_transmission(
            law,
            by=admin_national,
            recipient_kind=RecipientKind.DEPUTIES,
            recipients="Mme Martin",
            transmitted_on=today + timedelta(days=1),
        )
    services.record_transmission(
        law,
        by=admin_national,
        recipient_kind=RecipientKind.GOVERNMENT,
        recipients="Cabinet du Premier ministre",
        transmitted_on=today - timedelta(days=3),
    )
    law = LawProposal.objects.get(pk=law.pk)
    assert law.state == TextState.TRANSMITTED
    services.record_transmission(
        law,
        by=admin_national,
        recipient_kind=RecipientKind.DEPUTIES,
        recipients="Mme Anne Martin, députée du Rhône",
        transmitted_on=today,
    )
    assert [t.version.number for t in law.transmissions.all()] == [1, 1]
    with pytest.raises(ValidationError, match="transmis"):
        services.publish_version(
            law, by=admin_national, summary="Après coup.", articles=[ArticleDraft("Neuf.")]
        )
    services.record_follow_up(law, by=admin_national, happened_on=today, description="Rendez-vous.")
    law = LawProposal.objects.get(pk=law.pk)
    assert law.state == TextState.FOLLOWED_UP
    services.record_follow_up(law, by=admin_national, happened_on=today, description="Dépôt.")
    assert law.follow_ups.count() == 2
    assert LogEntry.objects.filter(action="texts.lawproposal.transmit", public=True).exists()
    assert LogEntry.objects.filter(action="texts.lawproposal.record_follow_up").exists()


LAW_EXPECTED = {
    (TextState.DRAFTING, "open_consultation"): TextState.CONSULTATION,
    (TextState.DRAFTING, "transmit"): TextState.TRANSMITTED,
    (TextState.CONSULTATION, "close_consultation"): TextState.DRAFTING,
    (TextState.CONSULTATION, "transmit"): TextState.TRANSMITTED,
    (TextState.TRANSMITTED, "record_follow_up"): TextState.FOLLOWED_UP,
}
LAW_ACTIONS = ["open_consultation", "close_consultation", "transmit", "record_follow_up"]


@pytest.mark.parametrize(("state", "action"), list(itertools.product(TextState, LAW_ACTIONS)))
def test_every_law_state_and_action_pair(admin_national, user, state, action):
    law = law_proposal(admin_national)
    LawProposal.objects.filter(pk=law.pk).update(state=state)
    law = LawProposal.objects.get(pk=law.pk)
    expected = LAW_EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(ValidationError, match="Impossible d"):
            apply_transition(law, LAW_WORKFLOW, action, by=admin_national)
        assert LawProposal.objects.get(pk=law.pk).state == state
    else:
        with pytest.raises(PermissionDenied):
            apply_transition(law, LAW_WORKFLOW, action, by=user)
        assert apply_transition(law, LAW_WORKFLOW, action, by=admin_national).state == expected


TEXT_EXPECTED = {
    (TextState.DRAFTING, "open_consultation"): TextState.CONSULTATION,
    (TextState.CONSULTATION, "close_consultation"): TextState.DRAFTING,
}


@pytest.mark.parametrize(
    ("state", "action"),
    list(itertools.product(TextState, ["open_consultation", "close_consultation"])),
)
def test_every_text_state_and_action_pair(admin_national, user, state, action):
    text = charter(admin_national)
    Text.objects.filter(pk=text.pk).update(state=state)
    text = Text.objects.get(pk=text.pk)
    expected = TEXT_EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(ValidationError, match="Impossible d"):
            apply_transition(text, TEXT_WORKFLOW, action, by=admin_national)
        assert Text.objects.get(pk=text.pk).state == state
    else:
        with pytest.raises(PermissionDenied):
            apply_transition(text, TEXT_WORKFLOW, action, by=user)
        assert apply_transition(text, TEXT_WORKFLOW, action, by=admin_national).state == expected


# Preconditions held by the services themselves, whatever the page or form that calls them ------


def test_a_version_written_from_an_old_one_is_refused_and_nothing_is_lost(admin_national):
    text = charter(admin_national)
    text.editors.add(editor := UserFactory())
    first_version = text.current_version
    # Two editors open the same version 1; the administrator publishes first.
    mine = current_drafts(text)
    mine[1] = ArticleDraft(body="Ma rédaction de l'article 2.", key=mine[1].key)
    theirs = current_drafts(text)
    theirs[0] = ArticleDraft(body="Leur rédaction de l'article 1er.", key=theirs[0].key)
    services.publish_version(
        Text.objects.get(pk=text.pk),
        by=admin_national,
        summary="Article 1er.",
        articles=theirs,
        based_on=first_version,
    )
    with pytest.raises(ValidationError) as refused:
        services.publish_version(
            Text.objects.get(pk=text.pk),
            by=editor,
            summary="Article 2.",
            articles=mine,
            based_on=first_version,
        )
    assert refused.value.code == services.STALE_VERSION
    assert "la version 2 a été publiée depuis la version 1" in refused.value.messages[0]
    assert "rechargez la page" in refused.value.messages[0]
    text = Text.objects.get(pk=text.pk)
    assert text.current_version.number == 2
    assert text.current_version.articles.get(number=1).body == "Leur rédaction de l'article 1er."
    # Started again from version 2, the same change is published on top of it.
    again = current_drafts(text)
    again[1] = ArticleDraft(body="Ma rédaction de l'article 2.", key=again[1].key)
    version = services.publish_version(
        text, by=editor, summary="Article 2.", articles=again, based_on=text.current_version
    )
    assert version.number == 3
    assert version.articles.get(number=1).body == "Leur rédaction de l'article 1er."


def test_a_version_based_on_another_text_is_refused(admin_national):
    text = charter(admin_national, slug="charte-a")
    other = charter(admin_national, slug="charte-b")
    drafts = current_drafts(text)
    drafts[0] = ArticleDraft(body="Changé.", key=drafts[0].key)
    with pytest.raises(ValidationError, match="pas une version de ce texte"):
        services.publish_version(
            text,
            by=admin_national,
            summary="Essai.",
            articles=drafts,
            based_on=other.current_version,
        )
    assert text.versions.count() == 1


def transmit(admin, law, **overrides):
    fields = {
        "recipient_kind": RecipientKind.GOVERNMENT,
        "recipients": "Cabinet du Premier ministre",
        "transmitted_on": timezone.localdate(),
        **overrides,
    }
    return services.record_transmission(law, by=admin, **fields)


def test_no_proposal_is_declined_once_its_law_proposal_is_transmitted(admin_national, user):
    law = law_proposal(admin_national)
    law = services.open_consultation(law, by=admin_national, closes_on=in_a_month())
    article = law.current_version.articles.select_related("version__text").first()
    proposal = services.propose_wording(article, by=user, body="Autre.", reason="Mieux.")
    # The page was read before the transmission: its objects still say « en consultation ».
    stale = ArticleProposal.objects.select_related("text").get(pk=proposal.pk)
    transmit(admin_national, LawProposal.objects.get(pk=law.pk))
    assert stale.text.state == TextState.CONSULTATION
    with pytest.raises(ValidationError, match="transmis : les propositions de rédaction"):
        services.decline_proposal(stale, by=admin_national, reason="Hors sujet.")
    proposal.refresh_from_db()
    assert proposal.state == ArticleProposalState.PENDING and proposal.decision_reason == ""


def test_a_wording_flagged_as_a_danger_is_never_declined_either(admin_national, user):

    text = charter(admin_national)
    proposal = services.propose_wording(
        text.current_version.articles.first(), by=user, body="Inquiétant.", reason="Car."
    )
    flag_danger(proposal, by=UserFactory(), reason="Un enfant en parle.")
    with pytest.raises(ValidationError, match="n'est plus affichée"):
        services.decline_proposal(proposal, by=admin_national, reason="Hors sujet.")
    proposal.refresh_from_db()
    assert proposal.state == ArticleProposalState.PENDING
    assert not LogEntry.objects.filter(action="texts.article_proposal.decline").exists()


def test_a_comment_withdrawn_or_flagged_is_not_reported(admin_national, user):

    text = charter(admin_national)
    article = text.current_version.articles.first()
    withdrawn = services.comment_article(article, by=user, body="Insulte.")
    flagged = services.comment_article(article, by=user, body="Inquiétant.")
    services.remove_comment(withdrawn, by=admin_national, reason="Propos injurieux.")
    flag_danger(flagged, by=UserFactory(), reason="Un enfant en parle.")
    reporter = UserFactory()
    # The objects were read before the withdrawal and the flag, as by a page left open.
    with pytest.raises(ValidationError, match="déjà été retiré par la modération"):
        services.report_comment(withdrawn, by=reporter, reason="Injurieux.")
    with pytest.raises(Http404):
        services.report_comment(flagged, by=reporter, reason="Injurieux.")
    assert not ArticleCommentReport.objects.exists()
    assert set(ArticleComment.objects.values_list("report_count", flat=True)) == {0}
    assert not LogEntry.objects.filter(action="texts.articlecomment.report").exists()


def test_a_transmission_needs_a_known_recipient_kind_and_bounded_recipients(admin_national):
    law = law_proposal(admin_national)
    with pytest.raises(ValidationError) as refused:
        transmit(admin_national, law, recipient_kind="ambassade", recipients="x" * 501)
    assert refused.value.message_dict == {
        "recipient_kind": ["Choisissez un destinataire dans la liste."],
        "recipients": [
            "« Les destinataires nommés » dépasse 500 caractères : votre texte en compte 501."
        ],
    }
    with pytest.raises(ValidationError) as too_long:
        transmit(admin_national, law, note="x" * 2001)
    assert "dépasse 2\u202f000 caractères" in " ".join(too_long.value.messages)
    assert not Transmission.objects.exists()
    assert LawProposal.objects.get(pk=law.pk).state == TextState.DRAFTING
    transmit(admin_national, law, recipients="x" * 500)
    assert Transmission.objects.get().recipients == "x" * 500


@pytest.mark.parametrize(
    "bad",
    [{"recipient_kind": "ambassade"}, {"recipients": "x" * 501}, {"recipients": ""}],
    ids=["unknown-kind", "recipients-too-long", "no-recipients"],
)
def test_the_database_refuses_a_transmission_that_bypasses_the_service(admin_national, bad):
    law = law_proposal(admin_national)
    fields = {
        "law_proposal": law,
        "version": law.current_version,
        "recipient_kind": RecipientKind.DEPUTIES,
        "recipients": "Mme Anne Martin",
        "transmitted_on": timezone.localdate(),
        **bad,
    }
    # PostgreSQL's varchar(500) refuses an over-long value (DataError) before the check
    # constraint, which is what refuses it on SQLite (IntegrityError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Transmission.objects.create(**fields)
    assert not Transmission.objects.exists()


def test_a_transmission_from_a_stale_page_is_recorded_as_a_further_sending(admin_national):
    law = law_proposal(admin_national)
    stale = LawProposal.objects.get(pk=law.pk)
    transmit(admin_national, LawProposal.objects.get(pk=law.pk))
    assert stale.state == TextState.DRAFTING
    transmit(admin_national, stale, recipient_kind=RecipientKind.SENATORS, recipients="M. Durand")
    assert law.transmissions.count() == 2
    assert LawProposal.objects.get(pk=law.pk).state == TextState.TRANSMITTED
    assert LogEntry.objects.filter(action="texts.lawproposal.transmit").count() == 1
    # Likewise a follow-up recorded from a page read before the first one.
    stale = LawProposal.objects.get(pk=law.pk)
    today = timezone.localdate()
    services.record_follow_up(
        LawProposal.objects.get(pk=law.pk),
        by=admin_national,
        happened_on=today,
        description="Rendez-vous.",
    )
    services.record_follow_up(stale, by=admin_national, happened_on=today, description="Dépôt.")
    assert law.follow_ups.count() == 2
    assert LawProposal.objects.get(pk=law.pk).state == TextState.FOLLOWED_UP


def test_a_charter_is_never_transmitted(admin_national):
    text = charter(admin_national)
    with pytest.raises(ValidationError, match="Seule une proposition de loi se transmet"):
        transmit(admin_national, text)
    assert Text.objects.get(pk=text.pk).state == TextState.CONSULTATION
    assert not Transmission.objects.exists()


@pytest.mark.parametrize("state", [TextState.TRANSMITTED, TextState.FOLLOWED_UP])
def test_a_text_never_starts_in_a_state_reached_by_transmission(admin_national, state):
    with pytest.raises(ValidationError, match="commence en rédaction ou en consultation"):
        charter(admin_national, state=state)
    assert not Text.objects.exists()
