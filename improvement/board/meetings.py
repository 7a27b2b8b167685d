"""The strategy's meetings: by default QiSG quarterly (its dates set by QiSG, a new one offered as often as it meets),
QASG, QAC and the Trust Board yearly, as the trust names them (Committee); a board paper is presented at one of them."""

import datetime

from improvement.core.periods import add_months

from .models import Committee, Meeting, MeetingKind


def kind_named(name, committees=None):
    """The kind of meeting `name` says ("Trust Board", "the QAC", the full name; None when it names none of them)."""
    committees = committees or Committee.objects.by_kind()
    words = {}
    for kind, committee in committees.items():
        for word in (committee.short_name, committee.name, kind):
            words.setdefault(" ".join(word.lower().split()).removeprefix("the "), kind)
    words.setdefault("board", MeetingKind.TRUST_BOARD)
    return words.get(" ".join(name.lower().split()).removeprefix("the "))


def held(strategy, name, on, year):
    """The meeting named `name` on `on`, recorded now if it was not (None when `name` is not one of the kinds)."""
    kind = kind_named(name)
    if kind is None:
        return None
    meeting, _ = Meeting.objects.get_or_create(strategy=strategy, kind=kind, date=on, defaults={"year": year})
    return meeting


def next_qisg_date(strategy, today=None):
    """The date a new QiSG meeting is offered with: as long after the last one planned as QiSG meets, else today."""
    last = Meeting.objects.filter(strategy=strategy).qisg().order_by("-date").values_list("date", flat=True).first()
    return add_months(last, Committee.objects.of(MeetingKind.QISG).every_months) if last else (today or datetime.date.today())


def quarterly_dates(strategy, year, day_of_month=15):
    """Four QiSG dates in strategy year `year`, one in the second month of each quarter (the demo's rhythm)."""
    first, _ = strategy.year_bounds(year)
    return [add_months(first, 3 * quarter + 1).replace(day=day_of_month) for quarter in range(4)]


def _and(names):
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def rhythm(committees):
    """How often each meets, in a sentence: "QiSG meets quarterly and sets its own dates; QASG, QAC and Trust Board
    read the strategy once a year." (the defaults)."""
    steering = committees[MeetingKind.QISG]
    groups = {}
    for kind, committee in committees.items():
        if kind != MeetingKind.QISG:
            groups.setdefault(committee.every_months, []).append(committee.short_name)
    others = [f"{_and(names)} read the strategy {'once a year' if months == 12 else Committee(every_months=months).how_often}"
              for months, names in sorted(groups.items())]
    return f"{steering.short_name} meets {steering.how_often} and sets its own dates; {'; '.join(others)}."
