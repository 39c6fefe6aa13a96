"""Keeps the comment counter right when the safeguarding app hides or restores a comment, and
bumps the versions of the cached pages (caching.py) on every write that changes what they show.
Writes made with ``update()``, which send no signal, bump in the services."""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from enfance.core import fulltext
from enfance.discussions.enums import CommentState
from enfance.safeguarding.services import visibility_changed

from .caching import bump_authors, bump_page, bump_proposals, bump_themes
from .models import Amendment, Comment, Proposal, Theme

# A deleted proposal leaves no search entry behind.
fulltext.follow_deletions(Proposal)


@receiver(visibility_changed, sender=Comment)
def count_visible_comments(sender, instance, hidden, **kwargs):
    if instance.state != CommentState.PUBLISHED:
        return
    proposals = Proposal.objects.filter(pk=instance.proposal_id)
    if hidden:
        proposals.filter(comment_count__gt=0).update(comment_count=F("comment_count") - 1)
    else:
        proposals.update(comment_count=F("comment_count") + 1)


@receiver(visibility_changed, sender=Comment, dispatch_uid="proposals-cache-comment-visibility")
@receiver(post_save, sender=Comment, dispatch_uid="proposals-cache-comment-save")
@receiver(post_delete, sender=Comment, dispatch_uid="proposals-cache-comment-delete")
def comment_changed(sender, instance, **kwargs):
    bump_page(instance.proposal_id)


@receiver(visibility_changed, sender=Proposal, dispatch_uid="proposals-cache-visibility")
@receiver(post_save, sender=Proposal, dispatch_uid="proposals-cache-save")
@receiver(post_delete, sender=Proposal, dispatch_uid="proposals-cache-delete")
def proposal_changed(sender, instance, **kwargs):
    bump_proposals()
    bump_page(instance.pk)


@receiver(post_save, sender=Amendment, dispatch_uid="proposals-cache-amendment-save")
@receiver(post_delete, sender=Amendment, dispatch_uid="proposals-cache-amendment-delete")
def amendment_changed(sender, instance, **kwargs):
    # The proposal page lists its amendments.
    bump_page(instance.proposal_id)


@receiver(m2m_changed, sender=Proposal.themes.through, dispatch_uid="proposals-cache-themes")
def themes_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        bump_proposals()


@receiver(post_save, sender=Theme, dispatch_uid="proposals-cache-theme-save")
@receiver(post_delete, sender=Theme, dispatch_uid="proposals-cache-theme-delete")
def theme_changed(sender, **kwargs):
    bump_themes()


@receiver(post_save, sender=get_user_model(), dispatch_uid="proposals-cache-user-save")
def author_changed(sender, instance, created, update_fields=None, **kwargs):
    # Threads show their authors' names. A new account wrote nothing yet, and a sign-in only
    # records its date: neither changes a thread.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    bump_authors()


@receiver(post_delete, sender=get_user_model(), dispatch_uid="proposals-cache-user-delete")
def author_deleted(sender, instance, **kwargs):
    bump_authors()
