"""Pages cached until the data they show change.

The board pages (dashboard, report and its PDF, goal pages, measure charts, training) read every record of the
strategy and take from 25 ms to seconds to build at trust scale, yet the data change a few times a day. They are
cached under the *data stamp*: a token in one row (DataStamp) that is replaced whenever a record of the strategy
is written, so a change to the data is what retires a cached page; there is no expiry to tune and no stale page.

Writes through the ORM (save, delete, many-to-many) replace the token by themselves (signals, connected in
ImprovementConfig.ready), as do changes to users (their names are shown) and every `migrate`. Bulk writes, which
send no signals, call `data_changed()` themselves: the training and measure imports, the derived-measure refresh,
the privacy erasure and the demo seeders. A new release may draw pages differently: the cache is emptied when
the app starts (improvement.warmup).

A cached view reads the stamp first (`page_stamp()`), before any of the data it shows, and hands it to its
template as `data_stamp`, the first part of every `{% cache %}` key: a change committed while the page is being
built then files the page under a stamp already retired, never under the new one.

The new token is written once the transaction commits, as its own statement: a long import does not hold a lock
on the stamp, and a page built between the commit and the new token is filed under the old token, which no
request asks for again.
"""

import datetime
import uuid

from django.apps import apps
from django.db import connection, transaction
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

CACHED_APPS = ("goals", "training", "partners", "improvement")
NOT_SHOWN = {
    # records about the use of the app, never shown on a cached page: writing them must not retire the cache
    "improvement.datastamp", "partners.partneraccesslog", "training.pendingupload", "training.pendinguploadpart",
}


def current_stamp():
    from .models import DataStamp

    token = DataStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or _new_stamp()  # no row yet (a new or flushed database)


def _new_stamp():
    from .models import DataStamp

    token = uuid.uuid4().hex
    DataStamp.objects.update_or_create(pk=1, defaults={"token": token})
    return token


def data_changed():
    """The strategy's data changed (or will, when the current transaction commits): retire the cached pages."""
    # One new token per transaction, however many records it writes (the demo seeders write thousands).
    if not _change_pending():
        # robust: should the database fail just after the commit, the write stands and its answer is not an error
        # (the pages stay as they were until the next write; the failure is logged)
        transaction.on_commit(_new_stamp, robust=True)


def _change_pending():
    return any(callback is _new_stamp for _, callback, _ in connection.run_on_commit)


def _on_write(sender, **kwargs):
    data_changed()


def _on_user_write(sender, update_fields=None, **kwargs):
    """Users' names are shown on the pages (authors, "last changed by"); a login, which saves only last_login,
    changes nothing shown."""
    if update_fields is None or set(update_fields) != {"last_login"}:
        data_changed()


def _on_migrate(sender, **kwargs):
    _new_stamp()  # data migrations write through historical models, which send no signals to the receivers here


def shown_models():
    """The models whose records cached pages show (their history tables are written along with them)."""
    return [
        model for model in apps.get_models()
        if model._meta.app_label in CACHED_APPS and model._meta.label_lower not in NOT_SHOWN
        and not model.__name__.startswith("Historical")
    ]


def connect_signals(app_config):
    user = get_user_model()
    post_save.connect(_on_user_write, sender=user, dispatch_uid="freshness.save.user")
    post_delete.connect(_on_user_write, sender=user, dispatch_uid="freshness.delete.user")
    post_migrate.connect(_on_migrate, sender=app_config, dispatch_uid="freshness.migrate")
    for model in shown_models():
        post_save.connect(_on_write, sender=model, dispatch_uid=f"freshness.save.{model._meta.label_lower}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"freshness.delete.{model._meta.label_lower}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_on_write, sender=field.remote_field.through,
                                dispatch_uid=f"freshness.m2m.{model._meta.label_lower}.{field.name}")


def page_stamp():
    """What a cached page is filed under: the data stamp, and the day (pages count "to date" and "this year")."""
    if _change_pending():
        # Rendered inside a transaction that has written data: its page must be neither read from the cache
        # (the stamp is still the old one) nor filed under a stamp other requests use.
        return f"uncommitted-{uuid.uuid4().hex}"
    return f"{current_stamp()}-{datetime.date.today().isoformat()}"
