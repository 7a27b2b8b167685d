"""Django admin for the goals app: every model a site admin may need to correct, their history read-only."""

from django.contrib import admin

from improvement.core.admin import HistoryAdmin

from .models import (
    LeanRemeasure,
    Ambition, Collaborative, CollaborativeMember, Event, EvidenceItem, Goal, LeanEvent, Measure, MeasurePoint,
    ProgressUpdate, Rebase, Strategy,
)


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "years"]


class AmbitionInline(admin.TabularInline):
    model = Ambition
    extra = 0


@admin.register(Goal)
class GoalAdmin(HistoryAdmin):
    list_display = ["number", "title", "strategy", "executive_lead"]
    inlines = [AmbitionInline]


@admin.register(Ambition)
class AmbitionAdmin(HistoryAdmin):
    list_display = ["text", "goal"]
    list_filter = ["goal"]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(HistoryAdmin):
    list_display = ["title", "goal", "kind", "date", "collaborative"]
    list_filter = ["goal", "kind"]
    search_fields = ["title", "summary"]
    date_hierarchy = "date"
    list_select_related = ["goal", "collaborative"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(HistoryAdmin):
    list_display = ["goal", "status", "published_on", "author"]
    list_filter = ["goal", "status"]
    list_select_related = ["goal", "author"]


class CollaborativeMemberInline(admin.TabularInline):
    model = CollaborativeMember
    extra = 0


@admin.register(Collaborative)
class CollaborativeAdmin(HistoryAdmin):
    list_display = ["name", "goal", "started_on", "stepped_down_on"]
    list_filter = ["goal"]
    search_fields = ["name", "aim"]
    inlines = [CollaborativeMemberInline]


@admin.register(CollaborativeMember)
class CollaborativeMemberAdmin(HistoryAdmin):
    list_display = ["name", "role", "collaborative"]
    list_filter = ["collaborative"]
    search_fields = ["name"]


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = ["title", "kind", "date", "goal", "attendance"]
    list_filter = ["kind", "goal"]
    search_fields = ["title"]
    date_hierarchy = "date"
    raw_id_fields = ["evidence"]
    list_select_related = ["goal"]


@admin.register(LeanEvent)
class LeanEventAdmin(HistoryAdmin):
    list_display = ["title", "kind", "unit", "date", "hours_released_per_year", "money_released_per_year"]
    list_filter = ["kind"]
    search_fields = ["title", "unit"]
    date_hierarchy = "date"
    raw_id_fields = ["evidence"]


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["name", "goal", "unit", "source", "on_dashboard"]
    list_filter = ["goal", "source", "on_dashboard"]
    search_fields = ["name"]
    list_select_related = ["goal"]


class DerivedReadOnly:
    """A derived measure's data are recomputed from the records they count: correct those, not the point."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.measure.is_derived)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.measure.is_derived)


@admin.register(MeasurePoint)
class MeasurePointAdmin(DerivedReadOnly, HistoryAdmin):
    list_display = ["measure", "date", "value"]
    list_filter = ["measure__goal"]
    search_fields = ["measure__name"]
    date_hierarchy = "date"
    list_select_related = ["measure"]
    raw_id_fields = ["measure"]


@admin.register(Rebase)
class RebaseAdmin(DerivedReadOnly, HistoryAdmin):
    list_display = ["measure", "date", "reason"]
    search_fields = ["measure__name", "reason"]
    list_select_related = ["measure"]
    raw_id_fields = ["measure"]


@admin.register(LeanRemeasure)
class LeanRemeasureAdmin(HistoryAdmin):
    list_display = ["lean_event", "checkpoint", "measured_on", "sustained"]
    list_filter = ["checkpoint", "sustained"]
