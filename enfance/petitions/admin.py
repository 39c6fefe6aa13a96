from django.contrib import admin

from .models import PaperSheet, Petition


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "opens_at", "closes_at"]
    # The state moves through the workflow (page « Gestion de la pétition »), never by hand.
    readonly_fields = ["state", "submitted_at", "anonymised_at"]


@admin.register(PaperSheet)
class PaperSheetAdmin(admin.ModelAdmin):
    list_display = ["instance", "signatures", "collected_on", "entered_by", "withdrawn_at"]
    readonly_fields = [f.name for f in PaperSheet._meta.fields]

    def has_add_permission(self, request):
        return False
