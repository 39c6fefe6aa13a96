"""Every change of a text makes a version; a version may take proposed wordings (integrated)
and an editor may decline one with a reason. Their authors are told by e-mail."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.accounts.naming import public_name
from enfance.core import notifications
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, model_limit
from enfance.core.workflow import apply_transition

from ..enums import ArticleProposalState
from ..models import Article, ArticleProposal, Text, TextVersion
from ..perms import can_edit_text
from ..workflows import ARTICLE_PROPOSAL_WORKFLOW
from .texts import (
    STALE_VERSION,
    TRANSMITTED_MESSAGE,
    ArticleDraft,
    checked_preamble,
    checked_title,
    clean_articles,
    lock,
    write_version,
)

VERSION_SUMMARY_MAX_LENGTH = model_limit(TextVersion, "summary")
DECISION_REASON_MAX_LENGTH = model_limit(ArticleProposal, "decision_reason")
ARTICLE_GONE = (
    "L'article visé a été supprimé depuis : cette proposition ne peut plus être intégrée."
)


def _stale_version_error(based_on: TextVersion, current: TextVersion) -> ValidationError:
    return ValidationError(
        f"Le texte a changé pendant que vous le modifiiez : la version {current.number} a été "
        f"publiée depuis la version {based_on.number} que vous aviez ouverte. Rien n'est "
        "enregistré, pour ne pas effacer ces changements : rechargez la page pour repartir de "
        "la version en vigueur.",
        code=STALE_VERSION,
    )


def publish_version(
    text: Text,
    *,
    by,
    articles: list[ArticleDraft],
    summary: str,
    preamble: str | None = None,
    title: str | None = None,
    integrated: list[ArticleProposal] = (),
    based_on: TextVersion | None = None,
) -> TextVersion:
    """Every change makes a version. ``integrated`` are the pending proposals whose wording this
    version takes: each is linked to it. ``based_on`` is the version the articles were written
    from: if another version was published since, nothing is written (it would undo it)."""
    if not can_edit_text(by, text):
        raise PermissionDenied("Vous ne pouvez pas modifier ce texte.")
    if not text.is_editable:
        raise ValidationError(TRANSMITTED_MESSAGE)
    if based_on is not None and based_on.text_id != text.pk:
        raise ValidationError("La version de départ n'est pas une version de ce texte.")
    summary = bounded_text(
        summary,
        limit=VERSION_SUMMARY_MAX_LENGTH,
        field="summary",
        label="Ce que change cette version",
        required="Résumez en une phrase ce que change cette version.",
    )
    articles = clean_articles(articles)
    with transaction.atomic():
        locked = lock(text)
        # Read again under the lock: a transmission committed since the page was read freezes it.
        if not locked.is_editable:
            raise ValidationError(TRANSMITTED_MESSAGE)
        current = locked.current_version
        if based_on is not None and based_on.number < current.number:
            raise _stale_version_error(based_on, current)
        known_keys = set(Article.objects.filter(version__text=locked).values_list("key", flat=True))
        if any(a.key is not None and a.key not in known_keys for a in articles):
            raise ValidationError("Un article ne fait pas partie de ce texte.")
        new_title = checked_title(title if title is not None else current.title)
        new_preamble = checked_preamble(preamble if preamble is not None else current.preamble)
        before = [
            ArticleDraft(body=a.body, title=a.title, key=a.key) for a in current.articles.all()
        ]
        if (new_title, new_preamble, before) == (current.title, current.preamble, articles):
            raise ValidationError("Rien n'a changé depuis la version en vigueur.")
        proposals = list(
            # A wording flagged « danger pour un enfant » left public view: no version takes it.
            ArticleProposal.objects.shown()
            .select_for_update(of=("self",))
            .filter(pk__in=[p.pk for p in integrated], text=locked)
        )
        if len(proposals) != len(integrated) or any(
            p.state != ArticleProposalState.PENDING for p in proposals
        ):
            raise ValidationError("Une proposition choisie a déjà été traitée ou n'existe plus.")
        version = write_version(
            locked,
            by=by,
            number=current.number + 1,
            title=new_title,
            preamble=new_preamble,
            summary=summary,
            articles=articles,
        )
        now = timezone.now()
        integrated_now = [
            apply_transition(
                proposal,
                ARTICLE_PROPOSAL_WORKFLOW,
                "integrate",
                by=by,
                summary=f"Proposition de rédaction intégrée à la version {version.number} "
                f"de « {new_title} »",
                data={"version": version.number},
                also_update={"integrated_in": version, "decided_by": by, "decided_at": now},
            )
            for proposal in proposals
        ]
        locked.current_version = version
        locked.title = new_title
        locked.updated_at = now
        locked.save(update_fields=["current_version", "title", "updated_at"])
        record_event(
            by=by,
            action="texts.version.publish",
            summary=f"« {locked} » : version {version.number}",
            target=locked,
            data={
                "version": version.number,
                "summary": summary,
                "integrated_proposals": [p.pk for p in proposals],
            },
            public=True,
        )
        for proposal in integrated_now:
            _notify_author(proposal, version=version)
    text.current_version = version
    text.title = new_title
    return version


def integrate_proposal(proposal: ArticleProposal, *, by, summary: str = "") -> TextVersion:
    """A new version where the article takes the proposed wording."""
    text = proposal.text
    current = text.current_version
    articles = [
        ArticleDraft(
            body=proposal.body if a.key == proposal.article.key else a.body,
            title=a.title,
            key=a.key,
        )
        for a in current.articles.all()
    ]
    if proposal.article.key not in {a.key for a in articles}:
        raise ValidationError(ARTICLE_GONE)
    label = next(a for a in current.articles.all() if a.key == proposal.article.key).label
    return publish_version(
        text,
        by=by,
        articles=articles,
        summary=summary
        or f"Nouvelle rédaction de l'{label.lower()} proposée par {public_name(proposal.author)}.",
        integrated=[proposal],
        based_on=current,
    )


def decline_proposal(proposal: ArticleProposal, *, by, reason: str) -> ArticleProposal:
    """An editor explains why a proposed wording is not retained, while the text still changes."""
    if not can_edit_text(by, proposal.text):
        raise PermissionDenied("Vous ne pouvez pas modifier ce texte.")
    reason = bounded_text(
        reason,
        limit=DECISION_REASON_MAX_LENGTH,
        field="reason",
        label="Le motif",
        required="Expliquez en quelques mots pourquoi elle n'est pas retenue.",
    )
    with transaction.atomic():
        # The text first, as publish_version does: a transmission committed meanwhile is seen,
        # and both take their locks in the same order.
        text = lock(proposal.text)
        locked = ArticleProposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        if locked.state != ArticleProposalState.PENDING:
            raise ValidationError("Cette proposition a déjà été traitée.")
        locked = apply_transition(
            locked,
            ARTICLE_PROPOSAL_WORKFLOW,
            "decline",
            by=by,
            summary=f"Proposition de rédaction non retenue sur « {text} »",
            data={"reason": reason},
            also_update={
                "decision_reason": reason,
                "decided_by": by,
                "decided_at": timezone.now(),
            },
        )
        _notify_author(locked, text=text)
    return locked


def _can_be_written_to(user) -> bool:
    """An active account whose address was confirmed: nothing goes to an address nobody proved
    is theirs."""
    return bool(
        user is not None
        and user.is_active
        and user.email
        and user.emailaddress_set.filter(email__iexact=user.email, verified=True).exists()
    )


def _notify_author(
    proposal: ArticleProposal, *, version: TextVersion | None = None, text: Text | None = None
) -> None:
    """Tell the author what became of their proposed wording: integrated into ``version``, or
    not retained (``text`` given). One message per decision, sent once the decision commits."""
    author = proposal.author
    if proposal.is_hidden_for_safeguarding or not _can_be_written_to(author):
        return
    key = proposal.article.key
    if version is not None:
        text, title = version.text, version.title
        subject = (
            f"Votre proposition de rédaction a été intégrée à la version {version.number} "
            f"de « {title} »"
        )
        template = "texts/emails/integrated.txt"
    else:
        title = text.title
        subject = f"Votre proposition de rédaction sur « {title} » n'a pas été retenue"
        template = "texts/emails/declined.txt"
    # The article as it stands now: its number may have changed since the proposal.
    article = Article.objects.filter(
        version=version.pk if version else text.current_version_id, key=key
    ).first()
    if version is not None:
        url = f"{version.get_absolute_url()}#{proposal.article.anchor}"
    elif article is not None:
        url = text.url("article", key)
    else:
        url = text.get_absolute_url()
    notifications.send(
        template,
        {
            # The first name only, for a child as for an adult, as the other e-mails do.
            "first_name": author.first_name,
            "title": title,
            "version_number": version.number if version else None,
            "article_label": (article or proposal.article).label,
            "reason": proposal.decision_reason,
            "url": notifications.absolute_url(url),
        },
        subject=subject,
        to=author.email,
    )
