"""The one admin base for audited models: a site admin corrects a record in Django admin, and reads its history;
the history itself is never changed (no revert, no edit of a past version)."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":  # simple_history saves a POST here (a revert) whatever the button shows
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
