"""/api/v1/: ninja's URLs, each marked for the access test; the root is the readable page of the schema."""

from django.urls import path
from django.views.decorators.http import require_safe

from improvement.core.roles import public

from . import views
from .api import api

patterns, app_name, namespace = api.urls
for pattern in patterns:
    if pattern.name == "openapi-json":
        pattern.callback = public(require_safe(pattern.callback))
    else:
        # Not the login page's rule: a Bearer token or 401 (improvement.api.auth), never a session.
        pattern.callback.login_required = False
        pattern.callback.required_permissions = ()
        pattern.callback.api_token = True
patterns = [p for p in patterns if p.name != "api-root"] + [path("", views.docs, name="api-root")]
urls = (patterns, app_name, namespace)
