from django.contrib import admin

from .models import (
    Application,
    College,
    CompositionRule,
    Draw,
    Instance,
    Meeting,
    Membership,
    Minutes,
    Priority,
)


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ["label", "min_members", "max_members", "min_age", "max_age"]


@admin.register(CompositionRule)
class CompositionRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "min_total", "max_total"]


@admin.register(Instance)
class InstanceAdmin(admin.ModelAdmin):
    list_display = ["name", "departement", "status"]
    list_filter = ["status"]
    search_fields = ["name"]
    raw_id_fields = ["communes", "created_by"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["pk", "instance", "seat", "role", "mandate_start", "mandate_end", "ended_on"]
    raw_id_fields = ["instance", "user", "application"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["public_code", "instance", "college", "status"]
    raw_id_fields = ["instance", "applicant", "commune", "cooptation_ballot"]


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    list_display = ["pk", "instance", "college", "seats", "drawn_at"]
    raw_id_fields = ["instance", "drawn_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "instance", "starts_at"]
    raw_id_fields = ["instance"]


admin.site.register(Minutes)
admin.site.register(Priority)
