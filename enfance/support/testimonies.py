"""What parents say feeds the reform, with their consent: at the end of a request, the
professional proposes a short anonymised testimony with its themes (and the flagship proposals
it supports); the parent accepts or refuses it; accepted ones are counted publicly."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from enfance.core import notifications
from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.proposals.models import Proposal

from . import perms
from .enums import Subject, TestimonyStatus
from .models import TESTIMONY_MAX, Testimony, TestimonyTheme


def propose(request, *, by, text: str, themes, proposals=()) -> Testimony:
    permit(
        perms.handles(by, request),
        "Seul le professionnel qui suit la demande propose un témoignage.",
    )
    themes = sorted(set(themes))
    if not themes or not set(themes) <= set(Subject.values):
        raise ValidationError({"themes": "Choisissez au moins un thème."})
    text = bounded_text(
        text,
        limit=TESTIMONY_MAX,
        field="text",
        label="Le témoignage",
        required="Écrivez le témoignage, en quelques lignes, sans aucun nom.",
    )
    flagship = list(Proposal.objects.flagship().filter(pk__in=[p.pk for p in proposals]))
    with transaction.atomic():
        try:
            with transaction.atomic():
                testimony = Testimony.objects.create(request=request, text=text, proposed_by=by)
        except IntegrityError:
            raise ValidationError(
                "Un témoignage attend déjà la réponse du parent : attendez qu'il ait répondu."
            ) from None
        TestimonyTheme.objects.bulk_create(
            [TestimonyTheme(testimony=testimony, theme=theme) for theme in themes]
        )
        testimony.proposals.set(flagship)
        record_event(
            by=by,
            action="support.testimony",
            summary=f"Témoignage proposé au parent de la demande n° {request.pk}",
            target=testimony,
        )
        notifications.send(
            "support/emails/testimony_proposed.txt",
            {"url": notifications.absolute_url(request.get_absolute_url())},
            subject="Acceptez-vous que votre expérience nourrisse la réforme ?",
            to=request.parent.email,
        )
    return testimony


def decide(testimony: Testimony, *, by, accept: bool) -> Testimony:
    permit(
        perms.is_parent(by, testimony.request),
        "Seul le parent décide de son témoignage.",
    )
    status = TestimonyStatus.ACCEPTED if accept else TestimonyStatus.REFUSED
    now = timezone.now()
    # From « proposé » only, in one conditional UPDATE: a second click is told, not applied.
    if not Testimony.objects.filter(pk=testimony.pk, status=TestimonyStatus.PROPOSED).update(
        status=status, decided_at=now
    ):
        raise ValidationError("Vous avez déjà répondu.")
    testimony.status, testimony.decided_at = status, now
    return testimony


def counts() -> tuple[list[tuple[str, int]], list[tuple[Proposal, int]], int]:
    """Accepted testimonies per theme, per flagship proposal, and in all."""
    accepted = Testimony.objects.filter(status=TestimonyStatus.ACCEPTED)
    by_theme = dict(
        TestimonyTheme.objects.filter(testimony__in=accepted)
        .values_list("theme")
        .annotate(n=Count("pk"))
    )
    themes = [(label, by_theme.get(theme, 0)) for theme, label in Subject.choices]
    per_proposal = dict(
        Testimony.proposals.through.objects.filter(testimony__in=accepted)
        .values_list("proposal")
        .annotate(n=Count("pk"))
    )
    flagship = [(p, per_proposal.get(p.pk, 0)) for p in Proposal.objects.flagship()]
    return themes, flagship, accepted.count()
