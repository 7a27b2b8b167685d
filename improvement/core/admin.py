"""Single sign-on identities, and the one admin base for audited models: a site admin corrects a record in Django admin, and reads its history;
the history itself is never changed (no revert, no edit of a past version)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import SignInIdentity


class HistoryAdmin(SimpleHistoryAdmin):
    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":  # simple_history saves a POST here (a revert) whatever the button shows
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(SignInIdentity)
class SignInIdentityAdmin(admin.ModelAdmin):
    """Who signed in by single sign-on, as whom. Deleting a row unlinks the provider's account: its next sign-in makes
    a new user."""

    list_display = ["user", "subject", "issuer", "first_signed_in"]
    search_fields = ["user__username", "subject"]
    readonly_fields = ["user", "issuer", "subject", "first_signed_in"]

    def has_add_permission(self, request):
        return False
