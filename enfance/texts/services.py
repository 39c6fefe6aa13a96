"""Every write on texts and law proposals: one function per thing a person does."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from enfance.core.eventlog import record_event
from enfance.core.tasks import enqueue_email
from enfance.core.workflow import apply_transition

from .enums import (
    ARTICLE_BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    EDITABLE_STATES,
    FOLLOW_UP_MAX_LENGTH,
    LAW_WORKFLOW,
    MAX_ARTICLES,
    PROPOSAL_REASON_MAX_LENGTH,
    TEXT_WORKFLOW,
    TRANSMISSION_NOTE_MAX_LENGTH,
    TRANSMISSION_RECIPIENTS_MAX_LENGTH,
    ArticleProposalState,
    RecipientKind,
    TextKind,
    TextState,
)
from .models import (
    Article,
    ArticleComment,
    ArticleCommentReport,
    ArticleProposal,
    FollowUp,
    LawProposal,
    Text,
    TextVersion,
    Transmission,
)
from .perms import can_edit_text, can_manage_law_proposals, can_moderate, can_take_part


@dataclass(frozen=True)
class ArticleDraft:
    """An article as an editor writes it: ``key`` is None for a new article."""

    body: str
    title: str = ""
    key: int | None = None


def workflow_of(text: Text):
    return LAW_WORKFLOW if text.is_law_proposal else TEXT_WORKFLOW


def _clean_articles(articles: list[ArticleDraft]) -> list[ArticleDraft]:
    cleaned = [
        ArticleDraft(body=a.body.strip(), title=a.title.strip(), key=a.key)
        for a in articles
        if a.body.strip() or a.title.strip()
    ]
    if not cleaned:
        raise ValidationError("Un texte compte au moins un article.")
    if len(cleaned) > MAX_ARTICLES:
        raise ValidationError(f"Un texte compte au plus {MAX_ARTICLES} articles.")
    for position, article in enumerate(cleaned, start=1):
        if not article.body:
            raise ValidationError(f"L'article {position} n'a pas de texte.")
        if len(article.body) > ARTICLE_BODY_MAX_LENGTH:
            raise ValidationError(
                f"L'article {position} dépasse {ARTICLE_BODY_MAX_LENGTH} caractères."
            )
    keys = [a.key for a in cleaned if a.key is not None]
    if len(keys) != len(set(keys)):
        raise ValidationError("Un même article figure deux fois.")
    return cleaned


# Paths of the section that a text's address must not take.
RESERVED_SLUGS = {"nouvelle", "commentaires", "redactions-proposees"}


def _unique_slug(title: str) -> str:
    base = slugify(title)
    if len(base) > 70:
        # Cut at a word boundary: an address reads better without half a word at its end.
        base = base[:70].rsplit("-", 1)[0]
    base = base.strip("-") or "texte"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Text.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _write_version(
    text: Text, *, by, number: int, title: str, preamble: str, summary: str, articles
) -> TextVersion:
    version = TextVersion.objects.create(
        text=text,
        number=number,
        title=title,
        preamble=preamble,
        summary=summary,
        created_by=by,
    )
    next_key = (
        Article.objects.filter(version__text=text).aggregate(top=Max("key"))["top"] or 0
    ) + 1
    rows = []
    for number_, draft in enumerate(articles, start=1):
        key = draft.key
        if key is None:
            key, next_key = next_key, next_key + 1
        rows.append(
            Article(version=version, key=key, number=number_, title=draft.title, body=draft.body)
        )
    Article.objects.bulk_create(rows)
    return version


def create_text(
    *,
    by,
    kind: str,
    title: str,
    articles: list[ArticleDraft],
    preamble: str = "",
    summary: str = "",
    slug: str = "",
    state: str = TextState.DRAFTING,
    source_proposals=(),
) -> Text:
    """A new text and its version 1. Law proposals are the national administration's."""
    if kind == TextKind.LAW_PROPOSAL:
        if not can_manage_law_proposals(by):
            raise PermissionDenied(
                "Seule l'administration nationale rédige les propositions de loi."
            )
    elif not can_edit_text(by, None):
        raise PermissionDenied("Seule l'administration nationale crée des textes.")
    if state not in EDITABLE_STATES:
        # « Transmise » and « suites données » are reached by recording a transmission, never
        # given at creation.
        raise ValidationError("Un texte commence en rédaction ou en consultation.")
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Donnez un titre au texte."})
    articles = _clean_articles(articles)
    model = LawProposal if kind == TextKind.LAW_PROPOSAL else Text
    with transaction.atomic():
        text = model.objects.create(
            kind=kind,
            title=title,
            slug=slug or _unique_slug(title),
            summary=summary.strip(),
            state=state,
            created_by=by,
        )
        version = _write_version(
            text,
            by=by,
            number=1,
            title=title,
            preamble=preamble.strip(),
            summary="Première version.",
            articles=articles,
        )
        text.current_version = version
        text.save(update_fields=["current_version"])
        if source_proposals:
            text.source_proposals.set(source_proposals)
        record_event(
            by=by,
            action=f"texts.{text._meta.model_name}.create",
            summary=f"{text.get_kind_display()} « {text} » : version 1",
            target=text,
            data={
                "articles": len(articles),
                "source_proposals": [p.pk for p in source_proposals],
            },
            public=True,
        )
    return text


def consolidate_law_proposal(
    *, by, title: str, preamble: str, articles: list[ArticleDraft], source_proposals
) -> LawProposal:
    """The administrateur national consolidates adopted proposals into a proposition de loi."""
    from enfance.proposals.models import Proposal

    source_proposals = list(source_proposals)
    if not source_proposals:
        raise ValidationError(
            {"source_proposals": "Choisissez au moins une proposition adoptée à consolider."}
        )
    adopted = set(
        Proposal.objects.adopted()
        .filter(pk__in=[p.pk for p in source_proposals])
        .values_list("pk", flat=True)
    )
    if len(adopted) != len(source_proposals):
        raise ValidationError(
            {
                "source_proposals": "Seules les propositions adoptées par une instance se "
                "consolident."
            }
        )
    if not preamble.strip():
        raise ValidationError({"preamble": "Rédigez l'exposé des motifs."})
    return create_text(
        by=by,
        kind=TextKind.LAW_PROPOSAL,
        title=title,
        preamble=preamble,
        articles=articles,
        source_proposals=source_proposals,
    )


def _as_model(text: Text) -> Text:
    """A law proposal as its own model: its transitions and versions lock the same row."""
    if text.is_law_proposal and not isinstance(text, LawProposal):
        return LawProposal.objects.get(pk=text.pk)
    return text


def _lock(text: Text) -> Text:
    model = LawProposal if text.is_law_proposal else Text
    return model.objects.select_for_update(of=("self",)).get(pk=text.pk)


TRANSMITTED_MESSAGE = (
    "Ce texte a été transmis : il ne change plus. Rédigez une nouvelle proposition de loi si "
    "besoin."
)
# The code a view reads to offer the comparison with the version published meanwhile.
STALE_VERSION = "stale_version"


def _stale_version_error(based_on: TextVersion, current: TextVersion) -> ValidationError:
    return ValidationError(
        f"Le texte a changé pendant que vous le modifiiez : la version {current.number} a été "
        f"publiée depuis la version {based_on.number} que vous aviez ouverte. Rien n'est "
        "enregistré, pour ne pas effacer ces changements : rechargez la page pour repartir de "
        "la version en vigueur.",
        code=STALE_VERSION,
    )


def publish_version(
    *,
    by,
    text: Text,
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
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": "Résumez en une phrase ce que change cette version."})
    articles = _clean_articles(articles)
    with transaction.atomic():
        locked = _lock(text)
        # Read again under the lock: a transmission committed since the page was read freezes it.
        if not locked.is_editable:
            raise ValidationError(TRANSMITTED_MESSAGE)
        current = locked.current_version
        if based_on is not None and based_on.number < current.number:
            raise _stale_version_error(based_on, current)
        known_keys = set(Article.objects.filter(version__text=locked).values_list("key", flat=True))
        if any(a.key is not None and a.key not in known_keys for a in articles):
            raise ValidationError("Un article ne fait pas partie de ce texte.")
        new_title = (title if title is not None else current.title).strip()
        new_preamble = (preamble if preamble is not None else current.preamble).strip()
        if not new_title:
            raise ValidationError({"title": "Donnez un titre au texte."})
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
        version = _write_version(
            locked,
            by=by,
            number=current.number + 1,
            title=new_title,
            preamble=new_preamble,
            summary=summary,
            articles=articles,
        )
        now = timezone.now()
        ArticleProposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
            state=ArticleProposalState.INTEGRATED,
            integrated_in=version,
            decided_by=by,
            decided_at=now,
        )
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
        for proposal in proposals:
            _notify_author(proposal, version=version)
    text.current_version = version
    text.title = new_title
    return version


def integrate_proposal(*, by, proposal: ArticleProposal, summary: str = "") -> TextVersion:
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
        raise ValidationError(
            "L'article visé a été supprimé depuis : cette proposition ne peut plus être intégrée."
        )
    label = next(a for a in current.articles.all() if a.key == proposal.article.key).label
    return publish_version(
        by=by,
        text=text,
        articles=articles,
        summary=summary
        or f"Nouvelle rédaction de l'{label.lower()} proposée par {public_name(proposal.author)}.",
        integrated=[proposal],
        based_on=current,
    )


def decline_proposal(*, by, proposal: ArticleProposal, reason: str) -> ArticleProposal:
    """An editor explains why a proposed wording is not retained, while the text still changes."""
    if not can_edit_text(by, proposal.text):
        raise PermissionDenied("Vous ne pouvez pas modifier ce texte.")
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Expliquez en quelques mots pourquoi elle n'est pas retenue."}
        )
    with transaction.atomic():
        # The text first, as publish_version does: a transmission committed meanwhile is seen,
        # and both take their locks in the same order.
        text = _lock(proposal.text)
        if not text.is_editable:
            raise ValidationError(
                "Ce texte a été transmis : les propositions de rédaction ne se traitent plus."
            )
        locked = ArticleProposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        if locked.is_hidden_for_safeguarding:
            raise ValidationError(
                "Cette proposition n'est plus affichée : elle ne peut plus être traitée."
            )
        if locked.state != ArticleProposalState.PENDING:
            raise ValidationError("Cette proposition a déjà été traitée.")
        locked.state = ArticleProposalState.NOT_RETAINED
        locked.decision_reason = reason
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
        record_event(
            by=by,
            action="texts.article_proposal.decline",
            summary=f"Proposition de rédaction non retenue sur « {text} »",
            target=locked,
            data={"reason": reason},
            public=True,
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
        template = "integrated"
    else:
        title = text.title
        subject = f"Votre proposition de rédaction sur « {title} » n'a pas été retenue"
        template = "declined"
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
    body = render_to_string(
        f"texts/emails/{template}.txt",
        {
            # The first name only, for a child as for an adult, as the other e-mails do.
            "first_name": author.first_name,
            "title": title,
            "version": version,
            "article_label": (article or proposal.article).label,
            "reason": proposal.decision_reason,
            "url": f"{settings.SITE_URL}{url}",
        },
    )
    enqueue_email(EmailMessage(subject=subject, body=body, to=[author.email]))


def public_name(user) -> str:
    """How a person appears on public pages: the project's rule (first name and initial, the
    first name only for a minor)."""
    from enfance.proposals.models import public_name as project_public_name

    return project_public_name(user)


# Taking part ------------------------------------------------------------------------------------


def _current_article(by, article: Article) -> Article:
    text = article.version.text
    if not can_take_part(by, text):
        raise PermissionDenied("La consultation sur ce texte n'est pas ouverte.")
    if text.current_version_id != article.version_id:
        raise ValidationError(
            "Cet article appartient à une version ancienne : réagissez sur la version en vigueur."
        )
    return article


def comment_article(*, by, article: Article, body: str) -> ArticleComment:
    _current_article(by, article)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Écrivez votre commentaire."})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": f"Un commentaire compte au plus {COMMENT_MAX_LENGTH} caractères."}
        )
    with transaction.atomic():
        comment = ArticleComment.objects.create(article=article, author=by, body=body)
        record_event(
            by=by,
            action="texts.article_comment.create",
            summary=f"Commentaire sur l'{article.label.lower()} de « {article.version.text} »",
            target=comment,
        )
    return comment


def propose_wording(*, by, article: Article, body: str, reason: str) -> ArticleProposal:
    _current_article(by, article)
    body, reason = body.strip(), reason.strip()
    errors = {}
    if not body:
        errors["body"] = "Écrivez la rédaction que vous proposez."
    elif body == article.body.strip():
        errors["body"] = "Cette rédaction est celle de l'article : modifiez-la."
    elif len(body) > ARTICLE_BODY_MAX_LENGTH:
        errors["body"] = f"Une rédaction compte au plus {ARTICLE_BODY_MAX_LENGTH} caractères."
    if not reason:
        errors["reason"] = "Expliquez pourquoi vous proposez ce changement."
    elif len(reason) > PROPOSAL_REASON_MAX_LENGTH:
        errors["reason"] = f"L'explication compte au plus {PROPOSAL_REASON_MAX_LENGTH} caractères."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = ArticleProposal.objects.create(
            text=article.version.text, article=article, author=by, body=body, reason=reason
        )
        record_event(
            by=by,
            action="texts.article_proposal.create",
            summary=f"Proposition de rédaction de l'{article.label.lower()} de "
            f"« {article.version.text} »",
            target=proposal,
        )
    return proposal


def report_comment(*, by, comment: ArticleComment, reason: str) -> bool:
    """Report abuse once per person; returns False when this person had already reported it.

    Only a comment still shown is reported: one withdrawn by the moderation has nothing left to
    report, and one flagged « danger pour un enfant » does not exist for the public (404)."""
    if not by.is_authenticated:
        raise PermissionDenied
    reason = reason.strip()[:500]
    if not reason:
        raise ValidationError({"reason": "Dites en quelques mots ce qui pose problème."})
    try:
        with transaction.atomic():
            # The state is read in the same statement that counts the report: no lock, and a
            # withdrawal committed meanwhile is seen.
            counted = (
                ArticleComment.objects.shown()
                .filter(pk=comment.pk, hidden_at__isnull=True)
                .update(report_count=F("report_count") + 1)
            )
            if not counted:
                if not ArticleComment.objects.shown().filter(pk=comment.pk).exists():
                    raise Http404("Cette page n'existe pas ou ne vous est pas accessible.")
                raise ValidationError(
                    "Ce commentaire a déjà été retiré par la modération : merci de votre vigilance."
                )
            ArticleCommentReport.objects.create(comment=comment, reported_by=by, reason=reason)
            record_event(
                by=by,
                action="texts.article_comment.report",
                summary=f"Signalement d'abus sur le commentaire n° {comment.pk}",
                target=comment,
            )
    except IntegrityError:
        return False
    return True


def hide_comment(*, by, comment: ArticleComment, reason: str) -> ArticleComment:
    if not can_moderate(by):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Donnez le motif public du retrait."})
    with transaction.atomic():
        updated = ArticleComment.objects.filter(pk=comment.pk, hidden_at__isnull=True).update(
            hidden_at=timezone.now(), hidden_reason=reason[:300], hidden_by=by
        )
        if updated:
            record_event(
                by=by,
                action="texts.article_comment.hide",
                summary=f"Commentaire n° {comment.pk} retiré par la modération",
                target=comment,
                data={"reason": reason},
                public=True,
            )
    comment.refresh_from_db()
    return comment


# Path of a text -------------------------------------------------------------------------------


def open_consultation(*, by, text: Text) -> Text:
    return apply_transition(_as_model(text), workflow_of(text), "open_consultation", by=by)


def close_consultation(*, by, text: Text) -> Text:
    return apply_transition(_as_model(text), workflow_of(text), "close_consultation", by=by)


def record_transmission(
    *,
    by,
    law_proposal: LawProposal,
    recipient_kind: str,
    recipients: str,
    transmitted_on: date,
    note: str = "",
) -> Transmission:
    """Record one sending of the law proposal; the first one moves it to « transmise »."""
    if not can_manage_law_proposals(by):
        raise PermissionDenied("Seule l'administration nationale transmet les propositions de loi.")
    if not law_proposal.is_law_proposal:
        raise ValidationError("Seule une proposition de loi se transmet.")
    recipients, note = recipients.strip(), note.strip()
    errors = {}
    if recipient_kind not in RecipientKind.values:
        errors["recipient_kind"] = "Choisissez un destinataire dans la liste."
    if not recipients:
        errors["recipients"] = "Nommez les destinataires."
    elif len(recipients) > TRANSMISSION_RECIPIENTS_MAX_LENGTH:
        errors["recipients"] = (
            f"Les destinataires nommés comptent au plus {TRANSMISSION_RECIPIENTS_MAX_LENGTH} "
            "caractères."
        )
    if transmitted_on > timezone.localdate():
        errors["transmitted_on"] = "La date de transmission ne peut être à venir."
    if len(note) > TRANSMISSION_NOTE_MAX_LENGTH:
        errors["note"] = (
            f"Les précisions comptent au plus {TRANSMISSION_NOTE_MAX_LENGTH} caractères."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The state is read under the lock, not from the page: a first transmission recorded
        # meanwhile by someone else makes this one a further sending, not a refused transition.
        law = _lock(law_proposal)
        if law.is_editable:
            law = apply_transition(
                law,
                LAW_WORKFLOW,
                "transmit",
                by=by,
                data={"recipients": recipients},
                also_update={"updated_at": timezone.now()},
            )
        transmission = Transmission.objects.create(
            law_proposal=law,
            version_id=law.current_version_id,
            recipient_kind=recipient_kind,
            recipients=recipients,
            transmitted_on=transmitted_on,
            note=note,
            recorded_by=by,
        )
        record_event(
            by=by,
            action="texts.lawproposal.transmission",
            summary=f"« {law} » transmise le {transmitted_on:%d/%m/%Y} à {recipients}"[:300],
            target=law,
            data={"recipient_kind": recipient_kind, "recipients": recipients},
            public=True,
        )
    return transmission


def record_follow_up(
    *, by, law_proposal: LawProposal, happened_on: date, description: str
) -> FollowUp:
    """Record what followed a transmission; the first one moves it to « suites données »."""
    if not can_manage_law_proposals(by):
        raise PermissionDenied("Seule l'administration nationale enregistre les suites.")
    description = description.strip()
    if not description:
        raise ValidationError({"description": "Décrivez ce qui s'est passé."})
    if len(description) > FOLLOW_UP_MAX_LENGTH:
        raise ValidationError(
            {"description": f"La description compte au plus {FOLLOW_UP_MAX_LENGTH} caractères."}
        )
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": "La date ne peut être à venir."})
    with transaction.atomic():
        # Read under the lock: a follow-up recorded meanwhile has already moved the state on.
        law = _lock(law_proposal)
        if law.state == TextState.TRANSMITTED:
            law = apply_transition(
                law,
                LAW_WORKFLOW,
                "record_follow_up",
                by=by,
                also_update={"updated_at": timezone.now()},
            )
        elif law.state != TextState.FOLLOWED_UP:
            raise ValidationError(
                "Les suites s'enregistrent une fois la proposition de loi transmise."
            )
        follow_up = FollowUp.objects.create(
            law_proposal=law, happened_on=happened_on, description=description, recorded_by=by
        )
        record_event(
            by=by,
            action="texts.lawproposal.follow_up",
            summary=f"Suite donnée à « {law} » le {happened_on:%d/%m/%Y}",
            target=law,
            data={"description": description[:1000]},
            public=True,
        )
    return follow_up
