from django.contrib import admin

from .models import Completion, Course, CourseKindName, FeedbackResponse, ImportRun, Learner, Unit


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "is_clinical"]
    list_editable = ["is_clinical"]  # a unit answered wrongly at an import is corrected here
    list_filter = ["is_clinical"]
    search_fields = ["name"]


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ["staff_number", "name", "staff_group", "unit", "left_on"]
    list_filter = ["staff_group", "left_on"]
    search_fields = ["staff_number", "name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ["learner", "course", "completed_on"]
    list_filter = ["course"]
    date_hierarchy = "completed_on"
    search_fields = ["learner__staff_number", "learner__name"]
    list_select_related = ["learner", "course"]
    raw_id_fields = ["learner"]


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(admin.ModelAdmin):
    list_display = ["response_id", "course", "responded_on", "answer"]
    list_filter = ["course", "answer"]
    date_hierarchy = "responded_on"


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Which imports ran: read only, as a record of what was done."""

    list_display = ["kind", "imported_on", "rows", "added"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CourseKindName)
class CourseKindNameAdmin(admin.ModelAdmin):
    list_display = ["kind", "name"]
