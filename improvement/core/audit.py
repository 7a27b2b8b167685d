"""One structured log line for every committed write (who, what, when, how many), without personal data: model
names, ids and counts only. Fed by the write hook (improvement.core.stamp), ORM and bulk writes alike.

Who: the user of the request being answered (`acting_for`, set by the write hook's middleware), or the user a
command acts as (`acting_as`, e.g. `import_training --user`); None for the system itself (the daily refresh).
A service writing through the API is named by its token (`acting_service`): the line carries `"token": name`.
"""

import contextlib
import contextvars
import json
import logging

from django.utils import timezone

logger = logging.getLogger("improvement.audit")
_acting = contextvars.ContextVar("acting", default=None)
_service = contextvars.ContextVar("service", default=None)


@contextlib.contextmanager
def _holding(var, value):
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


def acting_for(request):
    return _holding(_acting, request)


def acting_as(user):
    return _holding(_acting, user)


def acting_service(name):
    return _holding(_service, name)


def acting_service_name():
    return _service.get()


def acting_user_id():
    acting = _acting.get()
    user = getattr(acting, "user", acting)  # a request, or a user
    return user.pk if user is not None and user.is_authenticated else None


def log_write(model, action, count, object_id, user_id, service=None):
    if not logger.isEnabledFor(logging.INFO):
        return
    line = {"event": "write", "model": model, "action": action, "user_id": user_id, "at": timezone.now().isoformat()}
    if service is not None:
        line["token"] = service
    if object_id is not None and count == 1:
        line["object_id"] = object_id
    else:
        line["count"] = count
    logger.info(json.dumps(line, sort_keys=True))
