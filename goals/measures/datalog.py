"""The history of a measure's data: every point and rebase added, corrected, replaced or deleted, by whom, when and
why (read from django-simple-history), so that a deleted point is shown, never silently gone."""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.timezone import localtime

from improvement.core.history import changed_by

from .models import MeasurePoint, Rebase, decimals_of

NEWEST = 200  # records of each kind shown: a measure's whole history, bar a five-year weekly series corrected often


@dataclass(frozen=True)
class DataChange:
    when: datetime.datetime
    when_text: str  # "1 Dec 2026 09:30", in the trust's time (formatted once: the log is cached with the page)
    who: str
    action: str  # Added, Corrected, Deleted
    what: str  # "Point: 5.2 on 15/11/2026" or "Limits recalculated from 01/04/2023"
    change: str  # "5.2 on 15/11/2026 → 4.9 on 20/11/2026", empty when nothing was before
    why: str


ACTIONS = {"+": "Added", "~": "Corrected", "-": "Deleted"}


def _records(model, measure):
    newest = (model.history.filter(measure_id=measure.pk).select_related("history_user")
              .order_by("-history_date", "-history_id")[:NEWEST])
    return list(reversed(newest))


def data_changes(measure):
    """Newest first."""
    def point(record):
        return f"{measure.shown(record.value, decimals_of(record.value))} on {record.date:%d/%m/%Y}"

    def rebase(record):
        return f"from {record.date:%d/%m/%Y} ({record.reason})"

    changes = []
    for model, kind, describe in [(MeasurePoint, "Point", point), (Rebase, "Limits recalculated", rebase)]:
        before = {}
        for record in _records(model, measure):
            now, was = describe(record), before.get(record.id)  # a deletion's record holds the values deleted
            change = f"{was} → {now}" if record.history_type == "~" and was and was != now else ""
            changes.append(DataChange(
                record.history_date, date_format(localtime(record.history_date), "j M Y H:i"), changed_by(record),
                ACTIONS[record.history_type], f"{kind}: {now}", change, record.history_change_reason or "",
            ))
            before[record.id] = now
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes
