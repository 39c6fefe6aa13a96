from django.contrib import admin


class CommentAdmin(admin.ModelAdmin):
    """The admin of a module's comments: states and counters change through the services
    (moderation, log, counters), not here. A module adds its own foreign keys."""

    list_display = ["pk", "thread_label", "author", "state", "report_count", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["author", "moderated_by"]
    readonly_fields = [
        "state",
        "moderated_by",
        "moderated_at",
        "moderation_reason",
        "report_count",
        "danger_hidden_at",
    ]
