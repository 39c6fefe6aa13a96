from django.contrib import admin

from enfance.discussions.admin import CommentAdmin as DiscussionCommentAdmin

from .models import Amendment, Comment, Proposal, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "position"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "is_flagship", "support_count", "comment_count"]
    list_filter = ["state", "is_flagship"]
    search_fields = ["title"]
    raw_id_fields = ["author", "instance", "departement", "region", "decision_ballot"]
    # States and counters change through the services only (workflow, log, counters).
    readonly_fields = ["state", "support_count", "comment_count", "danger_hidden_at"]


@admin.register(Comment)
class CommentAdmin(DiscussionCommentAdmin):
    raw_id_fields = [*DiscussionCommentAdmin.raw_id_fields, "proposal", "parent"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "number", "part", "state"]
    raw_id_fields = ["proposal", "author", "ballot"]
    readonly_fields = ["state", "ballot"]
