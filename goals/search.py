"""Search by words across the strategy's records: evidence, progress updates, goals, ambitions, measures, QI
collaboratives and events (never quality partners, whose records are searched only on the partner admin's pages).

On PostgreSQL: full-text search (English stemming, so "falls" finds "fall"), ranked with the title weighted above
the text. Elsewhere (SQLite, for development): every word must appear in the title or the text, any case; a hit in
the title ranks above one in the text only.

`search(words, goal=None, kind=None, period=None, page=1)` returns a Results dataclass: the page of hits, best
first, and how many there are of each kind. One query per kind searched, whatever the number of records.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Count, FloatField, Q, Value, When, Window
from django.urls import reverse
from django.utils.text import Truncator

from .programme.models import Collaborative, Event
from .measures.models import Measure
from .strategy.models import Ambition, EvidenceItem, Goal, ProgressUpdate

PAGE_SIZE = 20
MAX_PAGE = 50  # 1,000 hits: each page reads every kind's best up to it, so the depth is bounded
MAX_WORDS = 12


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type
    title: str  # the field weighted first
    text: tuple  # the other fields searched
    date: str | None  # the field a year filter applies to (None: undated, left out when a year is chosen)
    goal: str  # the path to the goal's number

    def url(self, obj):
        return _URLS[self.key](obj)

    def heading(self, obj):
        return _HEADINGS.get(self.key, lambda o: getattr(o, self.title))(obj)


KINDS = [
    Kind("evidence", "Evidence", EvidenceItem, "title", ("summary",), "date", "goal__number"),
    Kind("update", "Progress update", ProgressUpdate, "narrative", ("next_steps",), "period_end", "goal__number"),  # dated by the period judged
    Kind("goal", "Goal", Goal, "title", ("intent",), None, "number"),
    Kind("ambition", "Ambition", Ambition, "text", (), None, "goal__number"),
    Kind("measure", "Measure", Measure, "name", ("description", "unit"), None, "goal__number"),
    Kind("collaborative", "QI collaborative", Collaborative, "name", ("aim", "rationale"), "started_on", "goal__number"),
    Kind("event", "Event", Event, "title", (), "date", "goal__number"),
]
KIND_CHOICES = [(k.key, k.label) for k in KINDS]

_URLS = {
    "evidence": lambda o: reverse("goals:goal_detail", args=[o.goal.number]) + f"#evidence-{o.pk}",
    "update": lambda o: reverse("goals:goal_detail", args=[o.goal.number]) + f"#update-{o.pk}",
    "goal": lambda o: reverse("goals:goal_detail", args=[o.number]),
    "ambition": lambda o: reverse("goals:goal_detail", args=[o.goal.number]),
    "measure": lambda o: reverse("goals:measure_detail", args=[o.pk]),
    "collaborative": lambda o: reverse("goals:collaborative_detail", args=[o.pk]),
    "event": lambda o: reverse("goals:event_list") + f"?year=all#event-{o.pk}",
}
_HEADINGS = {
    "update": lambda o: f"{o.get_status_display()}: judgement of {o.period_start:%b %Y} to {o.period_end:%b %Y}",
    "ambition": lambda o: Truncator(o.text).chars(120),
}


@dataclass(frozen=True)
class Hit:
    kind: Kind
    heading: str
    snippet: str
    date: datetime.date | None
    goal_number: int
    url: str
    rank: float


@dataclass
class Results:
    words: str
    hits: list = field(default_factory=list)  # this page's, best first
    counts: list = field(default_factory=list)  # [(Kind, count)] for the kinds searched, with hits
    total: int = 0
    page: int = 1
    pages: int = 0

    @property
    def has_next(self):
        return self.page < self.pages


def terms(words):
    """The words searched for: letters and digits, at most MAX_WORDS of them."""
    return re.findall(r"\w+", words or "")[:MAX_WORDS]


def search_vector(title, text):
    """The PostgreSQL document of a record: its title weighted A, its other text B. The GIN index of each kind
    (migration goals 0009) is built from this same expression, so that the search uses it."""
    return reduce(lambda a, b: a + b, [SearchVector(title, weight="A", config="english")]
                  + [SearchVector(f, weight="B", config="english") for f in text])


def _ranked(kind, words):
    """The kind's records matching `words`, with a `rank` (higher is better)."""
    queryset = kind.model.objects.all()
    fields = (kind.title, *kind.text)
    if connection.vendor == "postgresql":
        vector = search_vector(kind.title, kind.text)
        query = SearchQuery(" ".join(words), search_type="plain", config="english")
        return queryset.alias(search=vector).filter(search=query).annotate(rank=SearchRank(vector, query))
    every_word = reduce(and_, [reduce(lambda a, b: a | b, [Q(**{f"{f}__icontains": w}) for f in fields]) for w in words])
    in_title = reduce(and_, [Q(**{f"{kind.title}__icontains": w}) for w in words])
    return queryset.filter(every_word).annotate(
        rank=Case(When(in_title, then=Value(1.0)), default=Value(0.5), output_field=FloatField()))


def _snippet(obj, kind, words):
    """Some of the text around the first word found (or its start), at most 200 characters."""
    shown_as_heading = kind.key not in _HEADINGS  # an update's heading is its status, so its narrative is shown here
    text = " ".join(str(getattr(obj, f) or "") for f in (kind.title, *kind.text) if f != kind.title or not shown_as_heading)
    text = " ".join(text.split())
    lowered = text.lower()
    found = min((i for i in (lowered.find(w.lower()) for w in words) if i >= 0), default=0)
    start = max(found - 60, 0)
    snippet = Truncator(text[start:]).chars(200)
    return ("…" if start else "") + snippet


def search(words, goal=None, kind=None, period=None, page=1):
    """Hits for `words` (text as typed), of one kind or all, of one goal (its number) or all, dated in `period`
    (a Period, or None for any date: undated kinds are left out when a period is given)."""
    results = Results(words=words, page=min(max(page, 1), MAX_PAGE))
    found_terms = terms(words)
    if not found_terms:
        return results
    kinds = [k for k in KINDS if (kind is None or k.key == kind) and (period is None or k.date)]
    wanted = results.page * PAGE_SIZE
    candidates = []
    for k in kinds:
        matches = _ranked(k, found_terms)
        if goal is not None:
            matches = matches.filter(**{k.goal: goal})
        if period is not None:
            matches = matches.filter(**{f"{k.date}__gte": period.first, f"{k.date}__lte": period.last})
        related = ["goal"] if k.goal != "number" else []
        order = ["-rank", f"-{k.date}" if k.date else "pk", "-pk"]
        # One query per kind: its best `wanted`, each carrying the count of all (a window is counted before LIMIT).
        found = list(matches.select_related(*related).annotate(total=Window(Count("pk"))).order_by(*order)[:wanted])
        if not found:
            continue
        results.counts.append((k, found[0].total))
        results.total += found[0].total
        candidates += [(float(obj.rank), getattr(obj, k.date) if k.date else None, k, obj) for obj in found]
    candidates.sort(key=lambda c: (-c[0], -(c[1] or datetime.date.min).toordinal()))
    results.pages = -(-results.total // PAGE_SIZE)
    results.hits = [  # only the page's hits are made (their links and snippets)
        Hit(kind=k, heading=k.heading(obj), snippet=_snippet(obj, k, found_terms), date=day,
            goal_number=obj.number if k.goal == "number" else obj.goal.number, url=k.url(obj), rank=rank)
        for rank, day, k, obj in candidates[(results.page - 1) * PAGE_SIZE:wanted]
    ]
    return results
