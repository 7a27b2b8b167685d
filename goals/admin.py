from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Ambition, EvidenceItem, Goal, ProgressUpdate, Strategy


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "years"]


class AmbitionInline(admin.TabularInline):
    model = Ambition
    extra = 0


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "strategy", "executive_lead"]
    inlines = [AmbitionInline]


@admin.register(Ambition)
class AmbitionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "goal"]
    list_filter = ["goal"]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "goal", "kind", "date"]
    list_filter = ["goal", "kind"]
    search_fields = ["title", "summary"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["goal", "status", "published_on", "author"]
    list_filter = ["goal", "status"]
