"""The person's proposals, supports and comments in « Mon espace » (``core.my_space``)."""

from django.urls import reverse

from enfance.core.my_space import Block, Item, Link, Section, day, latest, register_section
from enfance.discussions.enums import CommentState
from enfance.safeguarding.models import Safeguardable

from .models import Comment, Proposal, Support


def _proposals(user) -> Block:
    # As « Mes propositions » lists them: drafts and those awaiting moderation included.
    rows, count = latest(Proposal.objects.filter(author=user).order_by("-updated_at", "-pk"))
    return Block(
        title="Mes propositions",
        count=count,
        items=[Item(p.title, p.get_absolute_url(), p.get_state_display()) for p in rows],
        empty="Aucune proposition pour l'instant.",
        more=Link("Toutes mes propositions", reverse("proposals:mine")),
        start=Link("Écrire une proposition", reverse("proposals:write")),
    )


def _supports(user) -> Block:
    # Only proposals the person may still read: one withdrawn for a child's safety disappears.
    supports = (
        Support.objects.filter(user=user, proposal__in=Proposal.objects.visible_to(user))
        .select_related("proposal")
        .order_by("-created_at", "-pk")
    )
    rows, count = latest(supports)
    return Block(
        title="Mes soutiens",
        count=count,
        items=[
            Item(
                s.proposal.title,
                s.proposal.get_absolute_url(),
                f"Soutenue le {day(s.created_at)}",
            )
            for s in rows
        ],
        empty="Aucun soutien pour l'instant.",
        start=Link("Parcourir les propositions", reverse("proposals:list")),
    )


def _comment_line(comment) -> str:
    line = f"Écrit le {day(comment.created_at)}"
    if comment.state != CommentState.PUBLISHED:
        line += f" — {comment.get_state_display().lower()}"
    return line


def _comments(user) -> Block:
    comments = (
        Comment.objects.filter(
            Safeguardable.PUBLIC_Q,
            author=user,
            proposal__in=Proposal.objects.visible_to(user),
        )
        .select_related("proposal")
        .order_by("-created_at", "-pk")
    )
    rows, count = latest(comments)
    return Block(
        title="Mes commentaires sur les propositions",
        count=count,
        items=[
            Item(f"Sur « {c.proposal.title} »", c.get_absolute_url(), _comment_line(c))
            for c in rows
        ],
        empty="Aucun commentaire pour l'instant.",
        start=Link("Parcourir les propositions", reverse("proposals:list")),
    )


register_section(
    Section(
        name="proposals",
        order=20,
        blocks=lambda user: [_proposals(user), _supports(user), _comments(user)],
    )
)
