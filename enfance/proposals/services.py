"""Every write on proposals: one function per thing a person does (keyword-only ``by=``), atomic,
checking permission, writing the event log, telling followers through the daily digest."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.enums import RoleKind
from enfance.assemblies.perms import can_manage_instance
from enfance.core import fulltext
from enfance.core.access import get_visible_or_404
from enfance.core.eventlog import record_event
from enfance.core.tasks import enqueue_email
from enfance.core.workflow import apply_transition
from enfance.safeguarding.models import Safeguardable

from .caching import bump_comments
from .enums import (
    ActivityKind,
    AmendedPart,
    AmendmentState,
    CommentState,
    ProposalState,
)
from .models import (
    COMMENT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Activity,
    Amendment,
    Comment,
    CommentReport,
    Follow,
    Proposal,
    Support,
    public_name,
)
from .perms import (
    can_comment,
    can_edit_proposal,
    can_manage_deliberation,
    can_moderate,
    can_propose_amendment,
    can_support,
    is_minor,
)
from .workflows import AMENDMENT_WORKFLOW, PROPOSAL_WORKFLOW

# How long members have to vote, unless the manager says otherwise.
DEFAULT_VOTE_DAYS = 7
MODERATION_REASON_MAX_LENGTH = 300
ABUSE_REASON_MAX_LENGTH = 500
REPLY_TO_UNKNOWN_COMMENT = (
    "Le commentaire auquel vous répondez n'existe pas sur cette proposition. Votre texte est "
    "conservé ci-dessous : vous pouvez le publier comme nouveau commentaire."
)


def format_count(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


# Full-text index -------------------------------------------------------------------------------


def search_texts(proposal: Proposal) -> dict[str, str]:
    """What the search reads, by weight: the title first, then the problem, then the rest."""
    return {
        "A": proposal.title,
        "B": proposal.problem,
        "C": f"{proposal.body}\n{proposal.expected_effect}",
    }


def reindex(proposal: Proposal) -> None:
    fulltext.index(proposal, search_texts(proposal))


# Writing ----------------------------------------------------------------------------------------


def _check_texts(title: str, problem: str, body: str, expected_effect: str) -> dict:
    fields = {
        "title": (title or "").strip(),
        "problem": (problem or "").strip(),
        "body": (body or "").strip(),
        "expected_effect": (expected_effect or "").strip(),
    }
    errors = {}
    labels = dict(AmendedPart.choices)
    for name, value in fields.items():
        limit = TITLE_MAX_LENGTH if name == "title" else TEXT_MAX_LENGTH
        if not value:
            errors[name] = f"Remplissez « {labels[name]} »."
        elif len(value) > limit:
            errors[name] = (
                f"« {labels[name]} » dépasse {format_count(limit)} caractères "
                f"(il en compte {format_count(len(value))})."
            )
    if errors:
        raise ValidationError(errors)
    return fields


def create_proposal(
    *,
    by,
    title: str,
    problem: str,
    body: str,
    expected_effect: str,
    departement=None,
    region=None,
    themes=(),
    instance=None,
) -> Proposal:
    """A draft, by a person or, with ``instance``, in the name of an instance it manages."""
    if not by.is_authenticated:
        raise PermissionDenied("Connectez-vous pour écrire une proposition.")
    if instance is not None and not can_manage_instance(by, instance):
        raise PermissionDenied(
            "Seuls le secrétariat et l'animation de l'instance écrivent en son nom."
        )
    fields = _check_texts(title, problem, body, expected_effect)
    if departement is not None:
        region = departement.region
    with transaction.atomic():
        proposal = Proposal.objects.create(
            **fields,
            author=by,
            instance=instance,
            written_by_instance=instance is not None,
            departement=departement,
            region=region,
        )
        proposal.themes.set(themes)
        record_event(
            by=by,
            action="proposals.create",
            summary=f"Brouillon de proposition n° {proposal.pk}",
            target=proposal,
        )
    return proposal


def update_proposal(
    proposal: Proposal,
    *,
    by,
    title: str,
    problem: str,
    body: str,
    expected_effect: str,
    departement=None,
    region=None,
    themes=(),
) -> Proposal:
    if not can_edit_proposal(by, proposal):
        raise PermissionDenied("Seul un brouillon se modifie, par son auteur ou son autrice.")
    fields = _check_texts(title, problem, body, expected_effect)
    if departement is not None:
        region = departement.region
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.DRAFT:
            raise ValidationError("Cette proposition n'est plus un brouillon.")
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.departement, locked.region = departement, region
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*fields, "departement", "region", "updated_at"])
        locked.themes.set(themes)
    return locked


def publish_proposal(proposal: Proposal, *, by) -> Proposal:
    """Published at once; a minor's proposal goes to moderation first (PRODUCT.md)."""
    with transaction.atomic():
        if is_minor(by):
            proposal = apply_transition(proposal, PROPOSAL_WORKFLOW, "submit", by=by)
        else:
            proposal = apply_transition(
                proposal,
                PROPOSAL_WORKFLOW,
                "publish",
                by=by,
                also_update={"published_at": timezone.now()},
            )
            reindex(proposal)
        if proposal.author_id:
            _follow(proposal, proposal.author)
    return proposal


def moderate_proposal(proposal: Proposal, *, by, approve: bool, reason: str = "") -> Proposal:
    with transaction.atomic():
        if approve:
            proposal = apply_transition(
                proposal,
                PROPOSAL_WORKFLOW,
                "approve",
                by=by,
                also_update={"published_at": timezone.now()},
            )
            reindex(proposal)
        else:
            reason = check_reason(reason, MODERATION_REASON_MAX_LENGTH)
            proposal = apply_transition(
                proposal, PROPOSAL_WORKFLOW, "send_back", by=by, data={"reason": reason}
            )
    return proposal


def check_reason(reason: str, limit: int) -> str:
    """A reason as typed, never cut: too long, it is refused with its count."""
    reason = (reason or "").strip()
    if len(reason) > limit:
        raise ValidationError({"reason": too_long_message("Le motif", reason, limit)})
    return reason


def too_long_message(label: str, text: str, limit: int) -> str:
    return (
        f"{label} dépasse {format_count(limit)} caractères : votre texte en compte "
        f"{format_count(len(text))}. Raccourcissez-le, il est conservé ci-dessous."
    )


# Supports and follows ---------------------------------------------------------------------------


def _follow(proposal: Proposal, user) -> None:
    """Follow automatically, unless the person chose to stop following (the row stays)."""
    Follow.objects.get_or_create(proposal=proposal, user=user)


def support(proposal: Proposal, *, by) -> Support:
    if not can_support(by, proposal):
        raise PermissionDenied("Cette proposition ne peut pas être soutenue.")
    try:
        with transaction.atomic():
            created = Support.objects.create(proposal=proposal, user=by)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            _follow(proposal, by)
    except IntegrityError:
        raise ValidationError("Vous soutenez déjà cette proposition.") from None
    return created


def withdraw_support(proposal: Proposal, *, by) -> None:
    with transaction.atomic():
        deleted, _ = Support.objects.filter(proposal=proposal, user=by).delete()
        if not deleted:
            raise ValidationError("Vous ne souteniez pas cette proposition.")
        Proposal.objects.filter(pk=proposal.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )


def _visible_proposal(proposal: Proposal, user) -> Proposal:
    """The proposal as this person may see it now; 404 otherwise, as the pages answer, so that
    no caller acts on what the person cannot read (a draft, a hidden or flagged proposal)."""
    return get_visible_or_404(Proposal.objects.visible_to(user), pk=proposal.pk)


def set_following(proposal: Proposal, *, by, follow: bool) -> Follow:
    if not by.is_authenticated:
        raise PermissionDenied
    _visible_proposal(proposal, by)
    row, _ = Follow.objects.update_or_create(
        proposal=proposal, user=by, defaults={"active": follow}
    )
    return row


def _activity(proposal: Proposal, kind: str, summary: str, actor=None) -> None:
    Activity.objects.create(proposal=proposal, kind=kind, summary=summary[:300], actor=actor)


# Comments ---------------------------------------------------------------------------------------


def check_comment_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Votre commentaire est vide : écrivez quelques mots."})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": (
                    f"Votre commentaire dépasse {format_count(COMMENT_MAX_LENGTH)} caractères "
                    f"(il en compte {format_count(len(body))}). Raccourcissez-le : "
                    "votre texte est conservé ci-dessous."
                )
            }
        )
    return body


def add_comment(
    proposal: Proposal, *, by, body: str, parent: Comment | int | None = None
) -> Comment:
    """A comment, or a reply to a top-level comment (one level only), given as a comment or its
    id as the form sent it. A minor's comment waits for moderation."""
    if not can_comment(by, proposal):
        raise PermissionDenied("On ne peut pas commenter cette proposition.")
    body = check_comment_body(body)
    if isinstance(parent, int):
        parent = Comment.objects.filter(pk=parent).first()
        if parent is None:
            raise ValidationError(REPLY_TO_UNKNOWN_COMMENT, code="unknown_parent")
    if parent is not None:
        # A parent elsewhere gets the same answer as one that does not exist: the reply is
        # refused, never turned into a top-level comment, and nothing is told of the other one.
        if parent.proposal_id != proposal.pk or parent.danger_hidden_at is not None:
            raise ValidationError(REPLY_TO_UNKNOWN_COMMENT, code="unknown_parent")
        if parent.parent_id is not None:
            # Answer the thread, not the reply: one level keeps conversations readable.
            parent = parent.parent
        if parent.state != CommentState.PUBLISHED or parent.danger_hidden_at is not None:
            # A comment awaiting moderation or removed is not in the thread: a reply to it
            # would be counted but shown nowhere.
            raise ValidationError(
                "Ce commentaire n'est pas publié : on ne peut pas y répondre. "
                "Écrivez plutôt un nouveau commentaire."
            )
    pending = is_minor(by)
    with transaction.atomic():
        comment = Comment.objects.create(
            proposal=proposal,
            parent=parent,
            author=by,
            body=body,
            state=CommentState.PENDING_MODERATION if pending else CommentState.PUBLISHED,
        )
        if not pending:
            _comment_published(comment)
        _follow(proposal, by)
    return comment


def _comment_published(comment: Comment) -> None:
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") + 1)
    _activity(
        comment.proposal,
        ActivityKind.COMMENT,
        f"Nouveau commentaire de {public_name(comment.author)}",
        actor=comment.author,
    )


def approve_comment(comment: Comment, *, by) -> Comment:
    if not can_moderate(by):
        raise PermissionDenied("Vous n'avez pas le droit de modérer.")
    with transaction.atomic():
        changed = Comment.objects.filter(
            pk=comment.pk, state=CommentState.PENDING_MODERATION
        ).update(state=CommentState.PUBLISHED, moderated_by=by, moderated_at=timezone.now())
        if not changed:
            raise ValidationError("Ce commentaire n'attend plus de modération.")
        comment.refresh_from_db()
        _comment_published(comment)
        # An UPDATE sends no signal: the cached thread is told here.
        bump_comments(comment.proposal_id)
        record_event(
            by=by, action="proposals.comment_approve", summary=f"{comment} validé", target=comment
        )
    return comment


def remove_comment(comment: Comment, *, by, reason: str) -> Comment:
    """The administrateur national removes a comment; the public reason takes its place."""
    if not can_moderate(by):
        raise PermissionDenied("Vous n'avez pas le droit de modérer.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Donnez le motif, qui sera affiché à la place."})
    reason = check_reason(reason, MODERATION_REASON_MAX_LENGTH)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.state == CommentState.REMOVED:
            raise ValidationError("Ce commentaire est déjà retiré.")
        was_counted = locked.state == CommentState.PUBLISHED and locked.danger_hidden_at is None
        locked.state = CommentState.REMOVED
        locked.moderation_reason = reason
        locked.moderated_by = by
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["state", "moderation_reason", "moderated_by", "moderated_at"])
        if was_counted:
            Proposal.objects.filter(pk=locked.proposal_id, comment_count__gt=0).update(
                comment_count=F("comment_count") - 1
            )
        record_event(
            by=by,
            action="proposals.comment_remove",
            summary=f"{locked} retiré par la modération",
            target=locked,
            data={"reason": reason},
            public=True,
        )
    return locked


def report_abuse(comment: Comment, *, by, reason: str) -> CommentReport:
    """Only a comment published in a thread the person may read can be reported: one awaiting
    moderation, removed, flagged or on a proposal they cannot see answers 404."""
    if not by.is_authenticated:
        raise PermissionDenied
    get_visible_or_404(
        Comment.objects.filter(
            Safeguardable.PUBLIC_Q,
            state=CommentState.PUBLISHED,
            proposal__in=Proposal.objects.visible_to(by).values("pk"),
        ),
        pk=comment.pk,
    )
    if not (reason or "").strip():
        raise ValidationError({"reason": "Dites en quelques mots ce qui pose problème."})
    reason = check_reason(reason, ABUSE_REASON_MAX_LENGTH)
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(comment=comment, reported_by=by, reason=reason)
            Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    except IntegrityError:
        raise ValidationError("Vous avez déjà signalé ce commentaire.") from None
    return report


# Deliberation by an instance ---------------------------------------------------------------------


def take_up(proposal: Proposal, *, by, instance) -> Proposal:
    """An instance puts a published proposal under deliberation."""
    if not can_manage_instance(by, instance):
        raise PermissionDenied("Seuls le secrétariat et l'animation de l'instance le peuvent.")
    if proposal.instance_id not in (None, instance.pk):
        raise ValidationError("Une autre instance délibère déjà sur cette proposition.")
    with transaction.atomic():
        proposal = apply_transition(
            proposal,
            PROPOSAL_WORKFLOW,
            "take_up",
            by=by,
            data={"instance": instance.pk},
            also_update={"instance": instance, "taken_up_at": timezone.now()},
        )
        _activity(proposal, ActivityKind.TAKEN_UP, f"Mise en délibération par {instance}", by)
    return proposal


def _vote_window(closes_at):
    opens_at = timezone.now()
    closes_at = closes_at or opens_at + timedelta(days=DEFAULT_VOTE_DAYS)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": "La clôture du vote doit être dans le futur."})
    return opens_at, closes_at


def _short(title: str, limit: int) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


def propose_amendment(
    proposal: Proposal, *, by, part: str, new_text: str, rationale: str = ""
) -> Amendment:
    if part not in AmendedPart.values:
        raise ValidationError({"part": "Choisissez la partie de la proposition à modifier."})
    new_text = (new_text or "").strip()
    limit = TITLE_MAX_LENGTH if part == AmendedPart.TITLE else TEXT_MAX_LENGTH
    if not new_text:
        raise ValidationError({"new_text": "Écrivez la nouvelle rédaction proposée."})
    if len(new_text) > limit:
        raise ValidationError(
            {"new_text": too_long_message("La nouvelle rédaction", new_text, limit)}
        )
    rationale = (rationale or "").strip()
    if len(rationale) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"rationale": too_long_message("L'exposé des motifs", rationale, TEXT_MAX_LENGTH)}
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.UNDER_DELIBERATION:
            raise ValidationError(
                "On ne peut amender qu'une proposition en délibération : celle-ci est "
                f"« {locked.get_state_display()} »."
            )
        if not can_propose_amendment(by, locked):
            raise PermissionDenied("Seuls les membres de l'instance déposent des amendements.")
        if locked.decision_ballot_id is not None:
            raise ValidationError("Le vote final est ouvert : le temps des amendements est passé.")
        if new_text == getattr(locked, part):
            raise ValidationError({"new_text": "La nouvelle rédaction est identique au texte."})
        number = (locked.amendments.aggregate(top=Max("number"))["top"] or 0) + 1
        amendment = Amendment.objects.create(
            proposal=locked,
            number=number,
            part=part,
            original_text=getattr(locked, part),
            new_text=new_text,
            rationale=rationale,
            author=by,
        )
        record_event(
            by=by,
            action="proposals.amendment",
            summary=f"Amendement n° {number} déposé sur la proposition n° {locked.pk}",
            target=amendment,
            public=True,
        )
        _activity(locked, ActivityKind.AMENDMENT, f"Amendement n° {number} déposé", by)
    return amendment


def open_amendment_vote(amendment: Amendment, *, by, closes_at=None):
    from enfance.votes import services as votes
    from enfance.votes.enums import Method

    proposal = amendment.proposal
    opens_at, closes_at = _vote_window(closes_at)
    with transaction.atomic():
        if proposal.state != ProposalState.UNDER_DELIBERATION:
            raise ValidationError("La proposition n'est plus en délibération.")
        amendment = apply_transition(amendment, AMENDMENT_WORKFLOW, "open_vote", by=by)
        ballot = votes.create_ballot(
            by=by,
            context=amendment,
            title=_short(f"Amendement n° {amendment.number} — {proposal.title}", 200),
            method=Method.MAJORITY,
            secret=False,
            opens_at=opens_at,
            closes_at=closes_at,
            description=f"{amendment.get_part_display()} : {amendment.new_text}"[:2000],
        )
        votes.open_ballot(ballot, by=by, electors=proposal.ballot_electorate())
        Amendment.objects.filter(pk=amendment.pk).update(ballot=ballot)
        amendment.ballot = ballot
        bump_comments(amendment.proposal_id)
    return ballot


def _close(ballot, *, by):
    from enfance.votes import services as votes
    from enfance.votes.enums import BallotState

    if ballot.state == BallotState.OPEN:
        return votes.close_ballot(ballot, by=by)
    return votes.tally(ballot)


def conclude_amendment_vote(amendment: Amendment, *, by) -> Amendment:
    """Close the amendment's ballot; accepted, the new wording replaces the part."""
    amendment = Amendment.objects.select_related("ballot", "proposal").get(pk=amendment.pk)
    if amendment.ballot_id is None:
        raise ValidationError("Cet amendement n'a pas été mis au vote.")
    with transaction.atomic():
        result = _close(amendment.ballot, by=by)
        accepted = bool(result.data.get("adopted"))
        data = {"ballot": amendment.ballot_id, "pour": result.data.get("pour"),
                "contre": result.data.get("contre")}  # fmt: skip
        amendment = apply_transition(
            amendment,
            AMENDMENT_WORKFLOW,
            "accept" if accepted else "reject",
            by=by,
            data=data,
            also_update={"decided_at": timezone.now()},
        )
        if accepted:
            proposal = Proposal.objects.select_for_update().get(pk=amendment.proposal_id)
            setattr(proposal, amendment.part, amendment.new_text)
            proposal.updated_at = timezone.now()
            proposal.save(update_fields=[amendment.part, "updated_at"])
            reindex(proposal)
        verdict = "accepté" if accepted else "rejeté"
        _activity(
            amendment.proposal,
            ActivityKind.AMENDMENT,
            f"Amendement n° {amendment.number} {verdict}",
            by,
        )
    return amendment


def open_decision_vote(proposal: Proposal, *, by, closes_at=None):
    """The members vote on the proposal as amended."""
    from enfance.votes import services as votes
    from enfance.votes.enums import Method

    if not can_manage_deliberation(by, proposal):
        raise PermissionDenied("Seuls le secrétariat et l'animation de l'instance le peuvent.")
    opens_at, closes_at = _vote_window(closes_at)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.UNDER_DELIBERATION:
            raise ValidationError("Seule une proposition en délibération est mise au vote.")
        if locked.decision_ballot_id is not None:
            raise ValidationError("Le vote final est déjà ouvert.")
        waiting = list(
            locked.amendments.filter(
                state__in=[AmendmentState.PROPOSED, AmendmentState.VOTING]
            ).values_list("number", flat=True)
        )
        if waiting:
            numbers = ", ".join(str(n) for n in waiting)
            raise ValidationError(
                f"Des amendements attendent encore leur vote (n° {numbers}) : "
                "concluez-les avant le vote final."
            )
        ballot = votes.create_ballot(
            by=by,
            context=locked,
            title=_short(f"Adoption de la proposition « {locked.title} »", 200),
            method=Method.MAJORITY,
            secret=False,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        votes.open_ballot(ballot, by=by, electors=locked.ballot_electorate())
        locked.decision_ballot = ballot
        locked.save(update_fields=["decision_ballot"])
    return ballot


def conclude_decision(proposal: Proposal, *, by) -> Proposal:
    """Close the final vote: adopted or rejected, with the count as the decision's summary."""
    proposal = Proposal.objects.select_related("decision_ballot", "instance").get(pk=proposal.pk)
    if proposal.decision_ballot_id is None:
        raise ValidationError("Le vote final n'a pas été ouvert.")
    with transaction.atomic():
        result = _close(proposal.decision_ballot, by=by)
        adopted = bool(result.data.get("adopted"))
        pour, contre = result.data.get("pour", 0), result.data.get("contre", 0)
        abstention = result.data.get("abstention", 0)
        verdict = "Adoptée" if adopted else "Rejetée"
        summary = (
            f"{verdict} par {proposal.instance} : {pour} pour, {contre} contre, "
            f"{abstention} abstention{'s' if abstention > 1 else ''}"
        )[:300]
        proposal = apply_transition(
            proposal,
            PROPOSAL_WORKFLOW,
            "adopt" if adopted else "reject",
            by=by,
            summary=summary,
            data={"ballot": proposal.decision_ballot_id, "pour": pour, "contre": contre},
            also_update={"decided_at": timezone.now(), "decision_summary": summary},
        )
        _activity(proposal, ActivityKind.DECISION, summary, by)
    return proposal


def transmit(proposal: Proposal, *, by) -> Proposal:
    """The adopted proposal goes to the national level, its decision attached."""
    with transaction.atomic():
        proposal = apply_transition(
            proposal,
            PROPOSAL_WORKFLOW,
            "transmit",
            by=by,
            data={"ballot": proposal.decision_ballot_id, "decision": proposal.decision_summary},
            also_update={"transmitted_at": timezone.now()},
        )
        _activity(proposal, ActivityKind.TRANSMITTED, "Transmise au niveau national", by)
        _notify_national(proposal)
    return proposal


def _notify_national(proposal: Proposal) -> None:
    from enfance.accounts.models import Role

    emails = sorted(
        set(
            Role.objects.active()
            .filter(kind=RoleKind.ADMINISTRATEUR_NATIONAL)
            .values_list("user__email", flat=True)
        )
    )
    if not emails:
        return
    url = settings.SITE_URL + reverse("proposals:detail", args=[proposal.pk])
    enqueue_email(
        EmailMessage(
            subject=f"Proposition transmise par {proposal.instance}",
            body=(
                f"Bonjour,\n\n{proposal.instance} vous transmet la proposition "
                f"« {proposal.title} ».\n\nDécision de l'instance : {proposal.decision_summary}."
                f"\n\nLa proposition et le détail du vote : {url}\n"
            ),
            to=emails,
        )
    )
