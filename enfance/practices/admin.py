from django.contrib import admin

from . import services
from .models import ConflictOfInterest, Practice, PracticeMark, PracticeMessage, ReferenceOption
from .perms import can_manage_options


@admin.register(ReferenceOption)
class ReferenceOptionAdmin(admin.ModelAdmin):
    """Administrators edit seed 004's option lists here. Fiches point to an option by id: a
    renamed label changes everywhere; an option in use cannot be deleted, only withdrawn."""

    list_display = ["label", "list", "position", "is_active", "asks_precision"]
    list_editable = ["position", "is_active"]
    list_filter = ["list", "is_active"]
    search_fields = ["label"]

    # Changes go through the service of the page « Listes du formulaire », which only national
    # administrators may use: it records the change and indexes again the fiches of a renamed
    # option. Anyone else sees the lists here, read-only.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and can_manage_options(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_manage_options(request.user)

    def save_model(self, request, obj, form, change):
        # The form has already copied its values onto ``obj``: the service works on the row as
        # stored, so that it sees what changed (a new label is what calls for indexing again).
        option = ReferenceOption.objects.get(pk=obj.pk) if change else obj
        names = form.changed_data if change else list(form.cleaned_data)
        services.save_option(
            option, by=request.user, fields={n: form.cleaned_data[n] for n in names}
        )


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
