from django.db import models


class DataStamp(models.Model):
    """One row whose token changes whenever the strategy's data change (improvement.core.stamp): cached pages are
    keyed on it, so a change to the data is what retires them."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
