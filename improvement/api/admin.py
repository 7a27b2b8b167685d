from django.contrib import admin, messages
from django.utils import timezone

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `manage.py create_api_token` (which shows the token once); here they are listed,
    given an expiry, and revoked."""

    list_display = ["name", "scope", "key_start", "created_at", "expires_at", "revoked_at", "state"]
    list_filter = ["scope"]
    search_fields = ["name"]
    readonly_fields = ["name", "scope", "key_start", "created_at", "revoked_at"]
    fields = ["name", "scope", "key_start", "created_at", "expires_at", "revoked_at"]
    actions = ["revoke", "expire_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)

    @admin.action(description="Expire the selected tokens now")
    def expire_now(self, request, queryset):
        count = queryset.update(expires_at=timezone.now())
        self.message_user(request, f"{count} token(s) expired.", messages.SUCCESS)
