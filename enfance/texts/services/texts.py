"""A text and its first version: the charter and the other participatory texts, and the
propositions de loi consolidated from adopted citizen proposals; the checks and locks every
later version uses too."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, model_limit, normalize_text
from enfance.proposals.models import Proposal

from ..enums import (
    ARTICLE_BODY_MAX_LENGTH,
    EDITABLE_STATES,
    MAX_ARTICLES,
    PREAMBLE_MAX_LENGTH,
    TextKind,
    TextState,
)
from ..models import Article, LawProposal, Text, TextVersion
from ..perms import can_edit_text, can_manage_law_proposals

TITLE_MAX_LENGTH = model_limit(Text, "title")
SUMMARY_MAX_LENGTH = model_limit(Text, "summary")
ARTICLE_TITLE_MAX_LENGTH = model_limit(Article, "title")
# Paths of the section that a text's address must not take.
RESERVED_SLUGS = {"nouvelle", "commentaires", "redactions-proposees", "moderation"}
# The code a view reads to offer the comparison with the version published meanwhile.
STALE_VERSION = "stale_version"
TRANSMITTED_MESSAGE = (
    "Ce texte a été transmis : il ne change plus. Rédigez une nouvelle proposition de loi si "
    "besoin."
)


@dataclass(frozen=True)
class ArticleDraft:
    """An article as an editor writes it: ``key`` is None for a new article."""

    body: str
    title: str = ""
    key: int | None = None


def checked_title(title: str) -> str:
    return bounded_text(
        title,
        limit=TITLE_MAX_LENGTH,
        field="title",
        label="Le titre",
        required="Donnez un titre au texte.",
    )


def checked_preamble(preamble: str, *, required: str | None = None) -> str:
    return bounded_text(
        preamble,
        limit=PREAMBLE_MAX_LENGTH,
        field="preamble",
        label="L'exposé des motifs",
        required=required,
    )


def clean_articles(articles: list[ArticleDraft]) -> list[ArticleDraft]:
    """The articles as they will be published: empty slots left out, every text within its
    limit (refused whole, never cut), each existing article once."""
    cleaned = [
        ArticleDraft(body=normalize_text(a.body), title=normalize_text(a.title), key=a.key)
        for a in articles
        if normalize_text(a.body) or normalize_text(a.title)
    ]
    if not cleaned:
        raise ValidationError("Un texte compte au moins un article.")
    if len(cleaned) > MAX_ARTICLES:
        raise ValidationError(f"Un texte compte au plus {MAX_ARTICLES} articles.")
    for position, article in enumerate(cleaned, start=1):
        bounded_text(
            article.body,
            limit=ARTICLE_BODY_MAX_LENGTH,
            label=f"L'article {position}",
            required=f"L'article {position} n'a pas de texte.",
        )
        bounded_text(
            article.title,
            limit=ARTICLE_TITLE_MAX_LENGTH,
            label=f"L'intitulé de l'article {position}",
        )
    keys = [a.key for a in cleaned if a.key is not None]
    if len(keys) != len(set(keys)):
        raise ValidationError("Un même article figure deux fois.")
    return cleaned


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


def write_version(
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


def as_model(text: Text) -> Text:
    """A law proposal as its own model: its transitions and versions lock the same row."""
    if text.is_law_proposal and not isinstance(text, LawProposal):
        return LawProposal.objects.get(pk=text.pk)
    return text


def lock(text: Text) -> Text:
    model = LawProposal if text.is_law_proposal else Text
    return model.objects.select_for_update(of=("self",)).get(pk=text.pk)


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
    title = checked_title(title)
    summary = bounded_text(
        summary, limit=SUMMARY_MAX_LENGTH, field="summary", label="La présentation"
    )
    preamble = checked_preamble(preamble)
    articles = clean_articles(articles)
    model = LawProposal if kind == TextKind.LAW_PROPOSAL else Text
    with transaction.atomic():
        text = model.objects.create(
            kind=kind,
            title=title,
            slug=slug or _unique_slug(title),
            summary=summary,
            state=state,
            # A text created in consultation opens it today (its close is announced when it is
            # closed, or by opening it again with services.open_consultation).
            consultation_opens_on=(
                timezone.localdate() if state == TextState.CONSULTATION else None
            ),
            created_by=by,
        )
        version = write_version(
            text,
            by=by,
            number=1,
            title=title,
            preamble=preamble,
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
    preamble = checked_preamble(preamble, required="Rédigez l'exposé des motifs.")
    return create_text(
        by=by,
        kind=TextKind.LAW_PROPOSAL,
        title=title,
        preamble=preamble,
        articles=articles,
        source_proposals=source_proposals,
    )
