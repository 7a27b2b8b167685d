"""Meetings and reminder choices, corrected in Django admin. Board papers are not here: a presented paper is frozen
and corrected by a dated amendment in the app."""

from django.contrib import admin

from improvement.core.admin import HistoryAdmin

from .models import Committee, Meeting, ReminderPreference, StandingCommitment, StandingRisk


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["kind", "date", "year", "strategy"]
    list_filter = ["kind", "year"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    """What the trust calls each kind of meeting and how often it meets (also loaded from the strategy file)."""

    list_display = ["kind", "name", "short_name", "every_months"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "before_qisg", "weekly_stale"]


@admin.register(StandingCommitment)
class StandingCommitmentAdmin(admin.ModelAdmin):
    """The annual commitments a strategy's first paper starts with (also loaded from the strategy file)."""

    list_display = ["text", "order", "strategy"]


@admin.register(StandingRisk)
class StandingRiskAdmin(admin.ModelAdmin):
    list_display = ["level_1", "level_2", "order", "strategy"]
