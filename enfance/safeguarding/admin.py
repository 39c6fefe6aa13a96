from django.contrib import admin

from .models import DangerReport


@admin.register(DangerReport)
class DangerReportAdmin(admin.ModelAdmin):
    """Read only: reports are handled on /signalements/, where every step is logged."""

    list_display = ["pk", "target_label", "state", "created_at", "transmitted_to"]
    list_filter = ["state"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
