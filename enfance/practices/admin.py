from django.contrib import admin

from .models import ConflictOfInterest, Practice, PracticeMark, PracticeMessage, ReferenceOption


@admin.register(ReferenceOption)
class ReferenceOptionAdmin(admin.ModelAdmin):
    """Administrators edit seed 004's option lists here. Fiches point to an option by id: a
    renamed label changes everywhere; an option in use cannot be deleted, only withdrawn."""

    list_display = ["label", "list", "position", "is_active", "asks_precision"]
    list_editable = ["position", "is_active"]
    list_filter = ["list", "is_active"]
    search_fields = ["label"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    # States change only through the committee's services (and their event log), never here.
    list_display = ["title", "level", "state", "departement", "submitted_at", "published_at"]
    list_filter = ["level", "state", "evidence_stage", "scale"]
    search_fields = ["title", "entity_name"]
    raw_id_fields = [
        "declarant",
        "reviewer",
        "departement",
        "commune",
        "departement_agreement_recorded_by",
    ]
    readonly_fields = ["state", "submitted_at", "published_at", "conditions_accepted_at"]


@admin.register(PracticeMessage)
class PracticeMessageAdmin(admin.ModelAdmin):
    list_display = ["practice", "author", "from_committee", "created_at"]
    raw_id_fields = ["practice", "author"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["practice", "member", "declared_at"]
    raw_id_fields = ["practice", "member"]


@admin.register(PracticeMark)
class PracticeMarkAdmin(admin.ModelAdmin):
    list_display = ["practice", "member", "criterion", "year"]
    list_filter = ["criterion", "year"]
    raw_id_fields = ["practice", "member"]
