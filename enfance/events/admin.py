from django.contrib import admin

from .models import Event, Registration


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "departement", "registered_count"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["departement", "commune", "proposed_by", "hosts"]
    readonly_fields = ["registered_count"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "registered_at", "attended"]
    list_filter = ["status"]
    raw_id_fields = ["event", "user"]
