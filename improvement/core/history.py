"""What django-simple-history recorded, made readable: who changed a record last, and a change log (who, when, what
changed) of any audited model."""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.timezone import localtime

CHANGE_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class LogEntry:
    when: object
    who: str
    action: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(record, field_name):
    """A recorded value as a reader says it: a choice's label, Yes or No, a date as 15/03/2023, a related record
    by its name (not its id)."""
    model_field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, model_field.attname)
    if value is None:
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(deleted, id {value})"
    return str(value)


def _subject(record):
    label = getattr(record, "title", "") or getattr(record, "text", "")
    name = record.instance_type._meta.verbose_name.capitalize()
    return f"{name}: {label}" if label else name


def change_log(history_queryset):
    """Newest first. Diffs each record against the one before it, without a query per record."""
    records = list(history_queryset.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous_by_object = {}
    for record in records:
        previous = previous_by_object.get(record.id)
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            changes = [
                FieldChange(
                    str(record.instance_type._meta.get_field(c.field).verbose_name),
                    _display(previous, c.field),
                    _display(record, c.field),
                )
                for c in delta.changes
                if c.field != "version"  # bookkeeping for concurrent edits, not a change anyone made
            ]
        entries.append(LogEntry(record.history_date, changed_by(record), CHANGE_TYPES[record.history_type], _subject(record), changes))
        previous_by_object[record.id] = record
    entries.reverse()
    return entries


def name_of(user):
    """A person as the pages name them: their full name, else their username."""
    return user.get_full_name() or user.username


def changed_by(record):
    """Who made a history record's change, as the pages name them."""
    return name_of(record.history_user) if record.history_user else "the system"


class LastChangeQuerySet(models.QuerySet):
    def with_last_change(self):
        """Prefetch each row's history (its few records, newest first, with who made them) in one query, for "last
        changed by". Not a window limited to the newest: Django's emulation of one costs more than the rows it saves."""
        history_model = self.model.history.model
        return self.prefetch_related(
            Prefetch(
                "changes",
                queryset=history_model.objects.select_related("history_user")
                .only("history_relation", "history_date", "history_user__first_name", "history_user__last_name", "history_user__username")
                .order_by("-history_date", "-history_id"),
                to_attr="history_newest_first",
            )
        )


class LastChangeMixin:
    @property
    def last_change(self):
        """The newest history record: who changed this and when (None before the first save)."""
        if hasattr(self, "history_newest_first"):
            return self.history_newest_first[0] if self.history_newest_first else None
        return self.history.select_related("history_user").first()

    @property
    def last_change_line(self):
        """"Last changed by Ann Lee on 1 December 2026 at 09:30" ("" before the first save), in the trust's time."""
        change = self.last_change
        if change is None:
            return ""
        return f"Last changed by {changed_by(change)} on {date_format(localtime(change.history_date), LAST_CHANGE_FORMAT)}"


LAST_CHANGE_FORMAT = r"j F Y \a\t H:i"
