from django.contrib import admin

from .models import Institution, Interpellation


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Interpellation)
class InterpellationAdmin(admin.ModelAdmin):
    list_display = ["title", "institution", "instance", "state", "sent_at", "answer_due_on"]
    list_filter = ["state", "institution__kind"]
    search_fields = ["title"]
    raw_id_fields = ["instance", "institution", "created_by", "ballot", "answer_recorded_by"]
    # States change through the workflow only (services.py), never by hand.
    readonly_fields = ["state", "answer_token_hash", "answer_link_nonce", "last_reminder_days"]
