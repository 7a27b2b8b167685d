"""The one write hook, and the data stamp it keeps.

Every committed write to the strategy's data passes through `written()`: the ORM's saves, deletes and many-to-many
changes of every model shown on a page (by signals, connected in CoreConfig.ready), and the bulk writers, which
send no signals and call `written()` themselves (imports, the derived-measure refresh, erasure, the demo seeders).
Changes to users count too (their names are shown), except a login, which saves only `last_login`.

When the transaction commits, the hook
- writes one audit line for each write (improvement.core.audit: who, what, how many; never personal data);
- replaces the *data stamp*, a token in one row (DataStamp): whatever is cached under the old stamp is retired,
  so there is no expiry to tune and no stale page;
- tells the listeners registered with `after_writes()` which models were written (improvement.board refreshes
  the derived measures fed by them). A listener's own writes go through the hook again.

Nothing of this runs for a transaction that rolls back: its on-commit callbacks are dropped. What the hook noted
of such a transaction is forgotten when the next request starts (`WriteHookMiddleware`) or the next write
happens outside a transaction.

Pages cache data, never HTML: a view reads the stamp first (`page_stamp()`), before the data it shows, and hands
what is costly to count to `cached(key, compute, stamp)`: a change committed meanwhile files it under a stamp
already retired, never under the new one. Inside a transaction that has written, nothing is read from or kept in
the cache. Permissions and who is asking never enter a key: what is cached is the same for every reader.
"""

import datetime
import hashlib
import re
import threading
import uuid
from collections import OrderedDict
from functools import partial

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import audit

CACHED_APPS = ("goals", "training", "partners", "board")
NOT_SHOWN = {
    # records about the use of the app, never shown on a page: writing them must not retire the cache
    "core.datastamp", "partners.partneraccesslog", "training.pendingupload", "training.pendinguploadpart",
    "board.reminderpreference", "board.sentreminder",
    # shown, but written only by training.stored, which notes its writes itself (unlogged: they are counted, not made)
    "training.storedfigures",
}

_listeners = []


class _Writes(threading.local):
    def __init__(self):
        self.models = set()  # labels written since the last commit was handled
        self.handled = True


_writes = _Writes()


def after_writes(listener):
    """Call `listener(labels)` after each commit that wrote strategy data, with the set of model labels written."""
    _listeners.append(listener)


def written(model, action, count=1, pk=None, logged=True):
    """Note a write of `count` records of `model` ("created", "changed" or "deleted") for the hook. `logged` False:
    figures kept from records whose own writes are logged (training.stored), which no one wrote: no audit line."""
    if not count:
        return
    if transaction.get_autocommit():
        forget_uncommitted()  # outside a transaction: anything noted before belonged to one that rolled back
    _writes.models.add(model._meta.label_lower)
    _writes.handled = False
    if logged:
        transaction.on_commit(partial(audit.log_write, model._meta.label_lower, action, count, pk, audit.acting_user_id(),
                                      audit.acting_service_name()), robust=True)
    # robust: should the database fail just after the commit, the write stands and its answer is not an error (the
    # pages stay as they were until the next write; the failure is logged)
    transaction.on_commit(_committed, robust=True)


def bulk_create(model, objs, *, user=None, batch_size=None):
    """Insert many records in a few statements (with their history, where the model keeps one), and note it."""
    objs = list(objs)
    if not objs:
        return objs
    if hasattr(model, "history"):
        objs = bulk_create_with_history(objs, model, batch_size=batch_size, default_user=user)
    else:
        objs = model.objects.bulk_create(objs, batch_size=batch_size)
    written(model, "created", len(objs))
    return objs


def bulk_update(model, objs, fields, *, user=None, batch_size=None, reason=None):
    """Update `fields` of many records in a few statements (with their history and `reason`, where kept), and note it."""
    objs = list(objs)
    if not objs:
        return
    if hasattr(model, "history"):
        bulk_update_with_history(objs, model, fields, batch_size=batch_size, default_user=user, default_change_reason=reason)
    else:
        model.objects.bulk_update(objs, fields, batch_size=batch_size)
    written(model, "changed", len(objs))


def forget_uncommitted():
    _writes.models = set()
    _writes.handled = True


def _committed():
    if _writes.handled:  # one transaction, many writes: handled once
        return
    labels = frozenset(_writes.models)
    forget_uncommitted()
    replace_stamp()
    for listener in _listeners:
        listener(labels)


def current_stamp():
    from .models import DataStamp

    token = DataStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or replace_stamp()  # no row yet (a new or flushed database)


def replace_stamp():
    """A new token: everything cached so far is retired (done for every committed write; bench/run times it)."""
    from .models import DataStamp

    token = uuid.uuid4().hex
    DataStamp.objects.update_or_create(pk=1, defaults={"token": token})
    return token


UNCOMMITTED = "uncommitted-"
_MISSING = object()
SAFE_KEY = re.compile(r"[\w:.\-]{1,150}")
KEEP_SECONDS = 86400  # a day at most: the stamp changes with the day anyway


def page_stamp():
    """What cached figures are filed under: the data stamp, and the day (pages count "to date" and "this year")."""
    if not _writes.handled and not transaction.get_autocommit():
        # Read inside a transaction that has written data: its figures must be neither read from the cache (the
        # stamp is still the old one) nor filed under a stamp other requests use.
        return f"{UNCOMMITTED}{uuid.uuid4().hex}"
    return f"{current_stamp()}-{datetime.date.today().isoformat()}"


def uncommitted(labels):
    """Whether the transaction under way has written any of the models `labels` (model labels) and not yet committed:
    what is stored from their records (training.stored) is not up to date for it until the commit."""
    return not _writes.handled and not transaction.get_autocommit() and bool(_writes.models & labels)


def cached(key, compute, stamp, using="default"):
    """`compute()`, counted once while the data stand (`stamp`, from `page_stamp()` read before the data), then
    read from the cache by every request. The value must pickle: dataclasses, dicts and lists of them. `using`: a
    cache of settings.CACHES (the search keeps its many results in its own). Read-only to its callers: the same
    value is handed to each request of this process (`_Kept`)."""
    if stamp.startswith(UNCOMMITTED):
        return compute()
    if not SAFE_KEY.fullmatch(key):  # words someone typed: any length, any character
        key = f"{key.split(':')[0]}:{hashlib.sha256(key.encode()).hexdigest()}"
    key, cache = f"{key}:{stamp}", caches[using]
    value = _kept.get((using, key))
    if value is _MISSING:
        value = cache.get(key, _MISSING)
    if value is _MISSING:
        # counted here: kept for the next request and returned as counted (not read back from the cache, as
        # get_or_set does, which would unpickle what was just pickled; a value another request kept meanwhile
        # was counted under the same stamp, from the same data)
        value = compute()
        cache.set(key, value, KEEP_SECONDS)
    _kept.keep((using, key), value)
    return value


class _Kept:
    """The values this process read from the cache or counted lately, by key. A key holds its stamp, and what is
    filed under a stamp never changes: a request need not unpickle again what the last one read (the shared cache
    still serves the other workers, and a restart)."""

    SIZE = 32

    def __init__(self):
        self._values = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            return self._values.get(key, _MISSING)

    def keep(self, key, value):
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.SIZE:
                self._values.popitem(last=False)


_kept = _Kept()


class WriteHookMiddleware:
    """Each request starts with nothing noted, and writes as its user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if transaction.get_autocommit():  # not inside a transaction left open around the request (tests)
            forget_uncommitted()
        with audit.acting_for(request):
            return self.get_response(request)


def _on_save(sender, instance, created, **kwargs):
    written(sender, "created" if created else "changed", pk=instance.pk)


def _on_delete(sender, instance, **kwargs):
    written(sender, "deleted", pk=instance.pk)


def _on_m2m(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        written(type(instance), "changed", pk=instance.pk)


def _on_user_save(sender, instance, created, update_fields=None, **kwargs):
    """Users' names are shown on the pages (authors, "last changed by"); a login, which saves only last_login,
    changes nothing shown."""
    if update_fields is None or set(update_fields) != {"last_login"}:
        _on_save(sender, instance, created)


def _on_migrate(sender, **kwargs):
    replace_stamp()  # data migrations write through historical models, which send no signals to the receivers here


def shown_models():
    """The models whose records pages show (their history tables are written along with them)."""
    return [
        model for model in apps.get_models()
        if model._meta.app_label in CACHED_APPS and model._meta.label_lower not in NOT_SHOWN
        and not model.__name__.startswith("Historical")
    ]


def connect_signals(app_config):
    user = get_user_model()
    post_save.connect(_on_user_save, sender=user, dispatch_uid="stamp.save.user")
    post_delete.connect(_on_delete, sender=user, dispatch_uid="stamp.delete.user")
    post_migrate.connect(_on_migrate, sender=app_config, dispatch_uid="stamp.migrate")
    for model in shown_models():
        label = model._meta.label_lower
        post_save.connect(_on_save, sender=model, dispatch_uid=f"stamp.save.{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"stamp.delete.{label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_on_m2m, sender=field.remote_field.through, dispatch_uid=f"stamp.m2m.{label}.{field.name}")
