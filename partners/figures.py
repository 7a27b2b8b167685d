"""Goal 2's figures, for everyone who reads the strategy: counts only, never a partner's personal data.

Each figure is a database aggregate; the whole page takes a constant number of queries however many
partners, roles and contributions there are. A partner may be named only through `credit_name` (the
`credit` template filter): their display name with consent, otherwise "a quality partner".
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q

from improvement.core.charts import GRID, LAYOUT, NHS_BLUE, NHS_DARK_BLUE
from improvement.core.periods import month_ends
from training.models import QI_KINDS, Completion

from .models import Cohort, Contribution, ContributionKind, Partner, PartnerRole, RoleKind

LATEST_CONTRIBUTIONS = 50
MAX_MONTHS = 120


@dataclass(frozen=True)
class CohortRow:
    name: str
    recruited_on: datetime.date
    intake_target: int | None
    partners: int
    active: int


@dataclass(frozen=True)
class CountRow:
    label: str
    current: int
    ever: int


@dataclass(frozen=True)
class MonthRow:
    month_end: datetime.date
    active: int
    contributions_to_date: int


@dataclass(frozen=True)
class Goal2Figures:
    as_at: datetime.date
    active: int
    left: int
    ever: int
    trained: int
    cohorts: list[CohortRow]
    roles: list[CountRow]
    committees: list[str]
    collaboratives: list[str]
    contributions_by_kind: list[CountRow]
    contributions_total: int
    latest_contributions: list
    over_time: list[MonthRow]




def goal2_figures(as_at=None):
    as_at = as_at or datetime.date.today()
    trained_in_qi = Exists(Completion.objects.filter(learner=OuterRef("learner"), course__kind__in=QI_KINDS))
    # 1: the headline counts and the first joining date
    totals = Partner.objects.aggregate(
        active=Count("pk", filter=Partner.objects.active_q(as_at)),
        left=Count("pk", filter=Q(left_on__lte=as_at)),
        ever=Count("pk"),
        trained=Count("pk", filter=Q(trained_in_qi)),
        first_joined=Min("joined_on"),
    )
    # 2: cohorts and their sizes
    cohorts = [
        CohortRow(c.name, c.recruited_on, c.intake_target, c.size, c.active_size)
        for c in Cohort.objects.annotate(
            size=Count("partners"), active_size=Count("partners", filter=Partner.objects.active_q(as_at, "partners__")),
        ).order_by("recruited_on", "name")
    ]
    # 3: partners per role, now and ever
    by_kind = {
        row["kind"]: row
        for row in PartnerRole.objects.values("kind").annotate(
            current=Count("partner", filter=PartnerRole.objects.current_q(as_at), distinct=True), ever=Count("partner", distinct=True),
        ).order_by()
    }
    roles = [
        CountRow(label, by_kind.get(kind, {}).get("current", 0), by_kind.get(kind, {}).get("ever", 0))
        for kind, label in RoleKind.choices
    ]
    # 4: committees and collaboratives with a partner member now
    places = set(
        PartnerRole.objects.filter(PartnerRole.objects.current_q(as_at), kind__in=[RoleKind.COMMITTEE_MEMBER, RoleKind.COLLABORATIVE_MEMBER])
        .values_list("kind", "committee", "collaborative__name").distinct().order_by()
    )
    committees = sorted({committee for kind, committee, _ in places if kind == RoleKind.COMMITTEE_MEMBER})
    collaboratives = sorted({name for kind, _, name in places if kind == RoleKind.COLLABORATIVE_MEMBER and name})
    # 5: contributions by kind
    contribution_counts = {
        row["kind"]: row["n"] for row in Contribution.objects.values("kind").annotate(n=Count("pk")).order_by()
    }
    contributions_by_kind = [
        CountRow(label, contribution_counts.get(kind, 0), contribution_counts.get(kind, 0)) for kind, label in ContributionKind.choices
    ]
    # 6: the newest contributions; of the partner only what `credit_name` needs is read
    latest = list(
        Contribution.objects.select_related("partner", "goal", "evidence")
        .only("kind", "title", "date", "goal__number", "goal__title", "evidence__title",
              "partner__display_name", "partner__credit_consent", "partner__erased_on")
        .order_by("-date", "-id")[:LATEST_CONTRIBUTIONS]
    )
    over_time = _over_time(totals["first_joined"], as_at)  # 7 and 8
    return Goal2Figures(
        as_at=as_at, active=totals["active"], left=totals["left"], ever=totals["ever"], trained=totals["trained"],
        cohorts=cohorts, roles=roles, committees=committees, collaboratives=collaboratives,
        contributions_by_kind=contributions_by_kind, contributions_total=sum(contribution_counts.values()),
        latest_contributions=latest, over_time=over_time,
    )


def _over_time(first_joined, as_at):
    """Active partners and contributions to date at the end of each month: one query each, whatever the span."""
    if first_joined is None or first_joined > as_at:
        return []
    ends = month_ends(first_joined, as_at, whole_months=False)[-MAX_MONTHS:]
    active = Partner.objects.aggregate(**{f"m{i}": Count("pk", filter=Partner.objects.active_q(day)) for i, day in enumerate(ends)})
    contributions = Contribution.objects.aggregate(**{f"m{i}": Count("pk", filter=Q(date__lte=day)) for i, day in enumerate(ends)})
    return [MonthRow(day, active[f"m{i}"], contributions[f"m{i}"]) for i, day in enumerate(ends)]


def over_time_figure(rows):
    """A plotly figure (a dict for templates/_chart.html): active partners and contributions, month by month."""
    months = [row.month_end.isoformat() for row in rows]
    series = [("Active quality partners", [row.active for row in rows], NHS_BLUE),
              ("Contributions to date", [row.contributions_to_date for row in rows], NHS_DARK_BLUE)]
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": name, "x": months, "y": values,
         "line": {"color": colour, "width": 2}, "marker": {"size": 5},
         "hovertemplate": "%{x|%b %Y}: %{y}<extra>" + name + "</extra>"}
        for name, values, colour in series
    ]
    layout = {
        **LAYOUT, "height": 360,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 60},
        "xaxis": {"type": "date", "tickformat": "%b %Y"},
        "yaxis": {"title": {"text": "Number"}, "gridcolor": GRID, "rangemode": "tozero"},
    }
    return {"data": data, "layout": layout}
