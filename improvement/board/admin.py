"""Meetings and reminder choices, corrected in Django admin. Board papers are not here: a presented paper is frozen
and corrected by a dated amendment in the app."""

from django.contrib import admin

from improvement.core.admin import HistoryAdmin

from .models import Meeting, ReminderPreference


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["kind", "date", "year", "strategy"]
    list_filter = ["kind", "year"]


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "before_qisg", "weekly_stale"]
