from django.contrib import admin

from improvement.core.admin import HistoryAdmin

from .models import Cohort, Contribution, Partner, PartnerAccessLog, PartnerRole


@admin.register(Cohort)
class CohortAdmin(HistoryAdmin):
    list_display = ["name", "recruited_on", "intake_target"]


class PartnerRoleInline(admin.TabularInline):
    model = PartnerRole
    extra = 0


@admin.register(Partner)
class PartnerAdmin(HistoryAdmin):
    list_display = ["__str__", "cohort", "joined_on", "left_on", "credit_consent"]
    list_filter = ["cohort"]
    search_fields = ["full_name", "display_name"]
    raw_id_fields = ["learner"]
    inlines = [PartnerRoleInline]


@admin.register(PartnerRole)
class PartnerRoleAdmin(HistoryAdmin):
    list_display = ["partner", "kind", "collaborative", "committee", "started_on", "ended_on"]
    list_filter = ["kind"]
    raw_id_fields = ["partner"]
    list_select_related = ["partner", "collaborative"]


@admin.register(Contribution)
class ContributionAdmin(HistoryAdmin):
    list_display = ["title", "kind", "date", "goal"]
    raw_id_fields = ["partner", "evidence"]


@admin.register(PartnerAccessLog)
class PartnerAccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "partner_id", "detail"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
