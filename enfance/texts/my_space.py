"""The person's comments on the articles of the texts in « Mon espace » (``core.my_space``)."""

from django.urls import reverse

from enfance.core.my_space import Block, Item, Link, Section, day, latest, register_section
from enfance.discussions.enums import CommentState
from enfance.safeguarding.models import Safeguardable

from .models import ArticleComment


def _line(comment) -> str:
    line = f"Écrit le {day(comment.created_at)}"
    if comment.state != CommentState.PUBLISHED:
        line += f" — {comment.get_state_display().lower()}"
    return line


def _blocks(user) -> list[Block]:
    comments = (
        ArticleComment.objects.filter(Safeguardable.PUBLIC_Q, author=user)
        .select_related("article__version__text")
        .order_by("-created_at", "-pk")
    )
    rows, count = latest(comments)
    return [
        Block(
            title="Mes commentaires sur les textes",
            count=count,
            items=[Item(c.thread_label, c.get_absolute_url(), _line(c)) for c in rows],
            empty="Aucun commentaire pour l'instant.",
            start=Link("Lire les textes en consultation", reverse("texts:text_list")),
        )
    ]


register_section(Section(name="texts", order=25, blocks=_blocks))
