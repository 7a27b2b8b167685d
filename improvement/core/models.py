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
