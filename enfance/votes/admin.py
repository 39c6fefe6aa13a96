"""Ballots in the admin, read-mostly. Votes, marks and participations are deliberately absent:
an administrator browsing them side by side is exactly what ballot secrecy rules out."""

from django.contrib import admin

from .models import Ballot, BallotOption, NationalConsultation, Result


class BallotOptionInline(admin.TabularInline):
    model = BallotOption
    extra = 0
    fields = ["position", "label", "code", "candidate"]
    readonly_fields = fields
    can_delete = False


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["title", "method", "state", "opens_at", "closes_at", "secret"]
    list_filter = ["method", "state", "secret"]
    search_fields = ["title"]
    # State changes go through the services (workflow and event log), never through the admin.
    readonly_fields = ["content_type", "object_id", "method", "state", "secret", "created_by"]
    inlines = [BallotOptionInline]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["ballot", "computed_at"]
    readonly_fields = ["ballot", "computed_at", "data", "ranking"]


@admin.register(NationalConsultation)
class NationalConsultationAdmin(admin.ModelAdmin):
    list_display = ["title"]
