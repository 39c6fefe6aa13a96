from django.contrib import admin

from enfance.discussions.admin import CommentAdmin

from .models import (
    ArticleComment,
    ArticleProposal,
    FollowUp,
    LawProposal,
    Text,
    TextVersion,
    Transmission,
)


@admin.register(Text)
class TextAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "updated_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["editors", "created_by", "current_version"]
    # States and versions change through the services (workflow, event log), not here.
    readonly_fields = ["state", "current_version"]


@admin.register(LawProposal)
class LawProposalAdmin(TextAdmin):
    raw_id_fields = [*TextAdmin.raw_id_fields, "source_proposals"]


@admin.register(TextVersion)
class TextVersionAdmin(admin.ModelAdmin):
    list_display = ["text", "number", "created_at", "summary"]
    raw_id_fields = ["text", "created_by"]


@admin.register(ArticleComment)
class ArticleCommentAdmin(CommentAdmin):
    raw_id_fields = [*CommentAdmin.raw_id_fields, "article"]


@admin.register(ArticleProposal)
class ArticleProposalAdmin(admin.ModelAdmin):
    list_display = ["pk", "text", "article", "author", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["text", "article", "author", "integrated_in", "decided_by"]


admin.site.register(Transmission)
admin.site.register(FollowUp)
