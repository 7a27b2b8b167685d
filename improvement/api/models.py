"""API tokens: for services (the data warehouse, Power BI), never people. Only a hash of each token is kept."""

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

TOKEN_PREFIX = "it_"


class Scope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read, and write measure points"


def hash_token(raw):
    # The token is 32 random bytes: a fast hash is enough (no dictionary to guess from), and lets it be looked up.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def find(self, raw):
        """The usable token that `raw` is, or None."""
        if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
            return None
        return self.usable().filter(key_hash=hash_token(raw)).first()


class ApiToken(models.Model):
    name = models.CharField(max_length=100, unique=True, help_text="The service that uses it, e.g. “data-warehouse”.")
    scope = models.CharField(max_length=5, choices=Scope.choices)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_start = models.CharField("starts with", max_length=10, editable=False,
                                 help_text="The token's first characters, to tell tokens apart.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField("expires", null=True, blank=True, help_text="Optional: refused from this moment.")
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, help_text="Refused from this moment.")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(scope__in=Scope.values), name="apitoken_scope_valid")]

    def __str__(self):
        return self.name

    @classmethod
    def issue(cls, name, scope, expires_at=None):
        """A new token: (the saved ApiToken, the token itself, which is shown once and never kept)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(name=name, scope=scope, key_hash=hash_token(raw), key_start=raw[:10], expires_at=expires_at)
        return token, raw

    @property
    def may_write(self):
        return self.scope == Scope.WRITE

    @property
    def state(self):
        now = timezone.now()
        if self.revoked_at and self.revoked_at <= now:
            return "revoked"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "active"
