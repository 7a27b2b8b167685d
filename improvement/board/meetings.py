"""The strategy's meetings: QiSG quarterly (its dates set by QiSG, three months apart unless it says otherwise), QASG,
QAC and the Trust Board yearly; a board paper is presented at one of them."""

import datetime

from improvement.core.periods import add_months

from .models import MEETING_NAMES, Meeting, MeetingKind

QISG_EVERY_MONTHS = 3

# What people type for a meeting ("Trust Board", "the QAC") and the kind it is.
_KIND_WORDS = {word.lower(): kind for kind, label in MeetingKind.choices for word in (label, MEETING_NAMES[kind], kind)}
_KIND_WORDS.update({"board": MeetingKind.TRUST_BOARD, "the board": MeetingKind.TRUST_BOARD})


def kind_named(name):
    """The kind of meeting `name` says (None when it names none of them)."""
    text = " ".join(name.lower().split()).removeprefix("the ")
    return _KIND_WORDS.get(text)


def held(strategy, name, on, year):
    """The meeting named `name` on `on`, recorded now if it was not (None when `name` is not one of the kinds)."""
    kind = kind_named(name)
    if kind is None:
        return None
    meeting, _ = Meeting.objects.get_or_create(strategy=strategy, kind=kind, date=on, defaults={"year": year})
    return meeting


def next_qisg_date(strategy, today=None):
    """The date a new QiSG meeting is offered with: three months after the last one planned, else today."""
    last = Meeting.objects.filter(strategy=strategy).qisg().order_by("-date").values_list("date", flat=True).first()
    return add_months(last, QISG_EVERY_MONTHS) if last else (today or datetime.date.today())


def quarterly_dates(strategy, year, day_of_month=15):
    """Four QiSG dates in strategy year `year`, one in the second month of each quarter (the demo's rhythm)."""
    first, _ = strategy.year_bounds(year)
    return [add_months(first, 3 * quarter + 1).replace(day=day_of_month) for quarter in range(4)]
