"""Keeps the comment counter right when the safeguarding app hides or restores a comment."""

from django.db.models import F
from django.dispatch import receiver

from enfance.safeguarding.services import visibility_changed

from .enums import CommentState
from .models import Comment, Proposal


@receiver(visibility_changed, sender=Comment)
def count_visible_comments(sender, instance, hidden, **kwargs):
    if instance.state != CommentState.PUBLISHED:
        return
    proposals = Proposal.objects.filter(pk=instance.proposal_id)
    if hidden:
        proposals.filter(comment_count__gt=0).update(comment_count=F("comment_count") - 1)
    else:
        proposals.update(comment_count=F("comment_count") + 1)
