from django.conf import settings
from django.db import models


class DataStamp(models.Model):
    """One row whose token changes whenever the strategy's data change (improvement.core.stamp): cached pages are
    keyed on it, so a change to the data is what retires them."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token


class FormToken(models.Model):
    """A create form's one-time token (improvement.core.forms.CreateOnceMixin), kept with what its first post made:
    the same form posted again (a double click, a retried request) gets that record instead of a second one."""

    token = models.CharField(max_length=32, primary_key=True)
    model = models.CharField(max_length=100, blank=True)
    object_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.token


class SignInIdentity(models.Model):
    """Who a user is at the single sign-on provider (improvement.core.sso): the token's issuer and subject, the pair
    OpenID Connect promises is stable and unique for a person."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_identity")
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    first_signed_in = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_sign_in_identity")]

    def __str__(self):
        return f"{self.subject} at {self.issuer}"
