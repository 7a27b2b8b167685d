"""The JSON API, version 1 (/api/v1/): the strategy's data for the trust's BI and data warehouse, read with a token;
measure points written with a write token. Every list is paged (`limit`, `offset`); dated lists filter by `from` and
`to` (ISO dates, both included)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from goals.measures.charts import analyse_measure
from goals.measures.importer import MAX_ROWS, import_points
from goals.models import Ambition, EvidenceItem, EvidenceKind, Goal, Measure
from goals.strategy.current import current_strategy_or_404
from improvement.board.dashboard import headline_figures
from improvement.core import audit

from .auth import READ, WRITE, PerTokenThrottle

api = NinjaAPI(
    title="Improvement Tracker API",
    version="1",
    description=__doc__ + "\n\nSend a service token as `Authorization: Bearer <token>` (`manage.py create_api_token`). "
    "Without a valid token every call is 401; a read token writing is 403.",
    urls_namespace="api",
    docs_url=None,  # our own page (improvement.api.views.docs): no CDN, the NHS.UK layout
    auth=READ,
    throttle=PerTokenThrottle(),
)


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000, description="How many items (1 to 1000)")
        offset: int = Field(0, ge=0, description="How many items to skip")


class Message(Schema):
    detail: str


class PointError(Schema):
    index: int | None = Field(description="The point's place in `points`, from 0 (none for an error not about one point)")
    field: str
    message: str


class Invalid(Schema):
    detail: str
    errors: list[PointError]


ERRORS = {401: Message, 403: Message, 404: Message, 429: Message}


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    response = api.create_response(request, {"detail": "Send a valid API token: Authorization: Bearer <token>."}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """Every bad value named: which point (its index in `points`) and which field, or which parameter."""
    errors = []
    for error in exc.errors:
        loc = [part for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        index = loc[1] if len(loc) >= 2 and loc[0] == "points" and isinstance(loc[1], int) else None
        field = str(loc[-1]) if loc and index is not None and len(loc) > 2 else ".".join(str(p) for p in loc) or "body"
        errors.append({"index": index, "field": field, "message": error.get("msg", "Not valid")})
    return api.create_response(request, {"detail": "Nothing was written: the request is not valid.", "errors": errors}, status=422)


# ------------------------------------------------------------------------------------------------ reading


class YearOut(Schema):
    year: int
    label: str
    first_day: datetime.date
    last_day: datetime.date


class StrategyOut(Schema):
    name: str
    organisation: str
    start_date: datetime.date
    years: int
    default_year: int = Field(description="The year the pages open on: the latest that has started")
    years_so_far: list[YearOut]


@api.get("/strategy/", response={200: StrategyOut, **ERRORS}, url_name="strategy", summary="The strategy and its years so far")
def strategy(request):
    strategy = current_strategy_or_404()
    return {
        "name": strategy.name, "organisation": strategy.organisation, "start_date": strategy.start_date,
        "years": strategy.years, "default_year": strategy.default_year(),
        "years_so_far": [{"year": p.year, "label": p.label, "first_day": p.first, "last_day": p.last} for p in strategy.periods_so_far()],
    }


class GoalOut(Schema):
    number: int
    title: str
    intent: str
    executive_lead: str
    status: str | None = Field(description="The current status: the newest goal-level judgement (null: none yet)")
    status_label: str | None
    judged_on: datetime.date | None = Field(description="When that judgement was published")
    judged_period_start: datetime.date | None
    judged_period_end: datetime.date | None
    judgement_is_old: bool = Field(description="True when the judged period ended before the current strategy year")
    url: str


@api.get("/goals/", response={200: list[GoalOut], **ERRORS}, url_name="goals", summary="Goals with their current status")
def goals(request):
    strategy = current_strategy_or_404()
    year_start = strategy.period(strategy.default_year()).first
    rows = []
    for goal in Goal.objects.filter(strategy=strategy).with_current_status().order_by("number"):
        update = goal.current_update
        rows.append({
            "number": goal.number, "title": goal.title, "intent": goal.intent, "executive_lead": goal.executive_lead,
            "status": update.status if update else None, "status_label": update.get_status_display() if update else None,
            "judged_on": update.published_on if update else None,
            "judged_period_start": update.period_start if update else None,
            "judged_period_end": update.period_end if update else None,
            "judgement_is_old": bool(update) and update.period_end < year_start,
            "url": reverse("goals:goal_detail", args=[goal.number]),
        })
    return rows


class AmbitionOut(Schema):
    id: int
    goal: int = Field(description="The goal's number")
    order: int
    text: str

    @staticmethod
    def resolve_goal(obj):
        return obj.goal.number


@api.get("/ambitions/", response={200: list[AmbitionOut], **ERRORS}, url_name="ambitions", summary="Ambitions, by goal")
@paginate(Page)
def ambitions(request, goal: int | None = Query(None, description="Only this goal's (its number)")):
    found = Ambition.objects.select_related("goal").order_by("goal__number", "order", "id")
    return found.filter(goal__number=goal) if goal is not None else found


class MeasureOut(Schema):
    id: int
    name: str
    unit: str
    goal: int = Field(description="The goal's number")
    ambition_id: int | None
    collaborative_id: int | None
    derived: bool = Field(description="Worked out from the app's own records: its points cannot be written")
    series_kind: str = Field(description="per_period (SPC applies), running_total or snapshot")
    frequency: str
    improvement_direction: str
    target: float | None
    on_dashboard: bool
    points_url: str
    url: str

    @staticmethod
    def resolve_goal(obj):
        return obj.goal.number

    @staticmethod
    def resolve_derived(obj):
        return obj.is_derived

    @staticmethod
    def resolve_points_url(obj):
        return reverse("api:points", args=[obj.pk])

    @staticmethod
    def resolve_url(obj):
        return reverse("goals:measure_detail", args=[obj.pk])


class MeasureDetailOut(MeasureOut):
    description: str
    points: int = Field(description="How many points it has")
    spc_applies: bool = Field(description="SPC is for a value per period only (not a running total or a snapshot)")
    variation: str | None = Field(description="The SPC engine's variation type for the latest point (null: no SPC)")
    variation_label: str | None
    assurance: str | None = Field(description="The SPC engine's assurance type against the target (null: none)")
    assurance_label: str | None

    @staticmethod
    def resolve_points(obj):
        return len(obj.series)

    @staticmethod
    def resolve_spc_applies(obj):
        return obj.uses_spc

    @staticmethod
    def resolve_variation(obj):
        return obj.spc.result.variation_type if obj.spc else None

    @staticmethod
    def resolve_variation_label(obj):
        return obj.spc.variation.label if obj.spc and obj.spc.variation else None

    @staticmethod
    def resolve_assurance(obj):
        return obj.spc.result.assurance_type if obj.spc else None

    @staticmethod
    def resolve_assurance_label(obj):
        return obj.spc.assurance.label if obj.spc and obj.spc.assurance else None


@api.get("/measures/", response={200: list[MeasureOut], **ERRORS}, url_name="measures", summary="Measures")
@paginate(Page)
def measures(request, goal: int | None = Query(None, description="Only this goal's (its number)")):
    found = Measure.objects.select_related("goal").order_by("goal__number", "name", "id")
    return found.filter(goal__number=goal) if goal is not None else found


@api.get("/measures/{int:measure_id}/", response={200: MeasureDetailOut, **ERRORS}, url_name="measure",
         summary="A measure, with its SPC judgement")
def measure(request, measure_id: int):
    found = get_object_or_404(Measure.objects.select_related("goal"), pk=measure_id)
    analysis = analyse_measure(found) if found.uses_spc else None
    found.spc = analysis  # read by MeasureDetailOut's resolvers
    return found


class PointOut(Schema):
    date: datetime.date
    value: float
    mean: float | None = Field(description="SPC: the process mean at this point (null when SPC does not apply)")
    lower_limit: float | None
    upper_limit: float | None
    special_cause: bool | None
    point_type: str | None = Field(description="SPC: common_cause, special_cause_improvement, special_cause_concern or special_cause_neither")


def _dated(items, date_from, date_to, day=lambda item: item.date):
    return [item for item in items if (date_from is None or day(item) >= date_from) and (date_to is None or day(item) <= date_to)]


@api.get("/measures/{int:measure_id}/points/", response={200: list[PointOut], **ERRORS}, url_name="points",
         summary="A measure's points, each with the SPC engine's results (limits from all the points)")
@paginate(Page)
def points(request, measure_id: int, date_from: datetime.date | None = Query(None, alias="from", description="On or after this day (ISO date)"),
           date_to: datetime.date | None = Query(None, alias="to", description="On or before this day (ISO date)")):
    found = get_object_or_404(Measure, pk=measure_id)
    if not found.uses_spc:
        rows = [{"date": p.date, "value": p.value, "mean": None, "lower_limit": None, "upper_limit": None,
                 "special_cause": None, "point_type": None} for p in found.series]
    else:
        rows = [{"date": p.date, "value": p.value, "mean": p.mean, "lower_limit": p.lpl, "upper_limit": p.upl,
                 "special_cause": p.special_cause_flag, "point_type": p.point_type}
                for p in analyse_measure(found).result.points if p.value is not None]
    return _dated(rows, date_from, date_to, day=lambda row: row["date"])


class EvidenceOut(Schema):
    id: int
    goal: int = Field(description="The goal's number")
    ambition_id: int | None
    collaborative_id: int | None
    kind: str
    kind_label: str
    date: datetime.date
    title: str
    summary: str
    highlighted: bool
    link: str
    has_attachment: bool
    url: str = Field(description="Its goal's page, where it is listed")

    @staticmethod
    def resolve_goal(obj):
        return obj.goal.number

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_has_attachment(obj):
        return bool(obj.attachment)

    @staticmethod
    def resolve_url(obj):
        return reverse("goals:goal_detail", args=[obj.goal.number])


@api.get("/evidence/", response={200: list[EvidenceOut], **ERRORS}, url_name="evidence", summary="Evidence, newest first")
@paginate(Page)
def evidence(request, goal: int | None = Query(None, description="Only this goal's (its number)"),
             kind: EvidenceKind | None = Query(None, description="Only this kind"), date_from: datetime.date | None = Query(None, alias="from", description="On or after this day (ISO date)"),
             date_to: datetime.date | None = Query(None, alias="to", description="On or before this day (ISO date)")):
    found = EvidenceItem.objects.select_related("goal").newest_first()
    if goal is not None:
        found = found.filter(goal__number=goal)
    if kind is not None:
        found = found.filter(kind=kind)
    if date_from is not None:
        found = found.filter(date__gte=date_from)
    if date_to is not None:
        found = found.filter(date__lte=date_to)
    return found


class HeadlineOut(Schema):
    goal: int
    goal_title: str
    measure_id: int
    figure: str
    unit: str
    year: int
    period: str
    as_at: datetime.date = Field(description="The day the year's figures are counted to (its last day, or today)")
    value: float | None = Field(description="The value at the year's end (null when carried from an earlier year)")
    value_date: datetime.date | None
    carried: bool
    previous_year: float | None
    target: float | None
    variation: str = Field(description="The SPC icon's words, or why there is none")
    assurance: str


@api.get("/headline-figures/", response={200: list[HeadlineOut], **ERRORS}, url_name="headline_figures",
         summary="The board's headline figures per strategy year, as on the dashboard")
def headline(request, year: int | None = Query(None, description="Only this strategy year")):
    strategy = current_strategy_or_404()
    return [
        {"goal": row.goal_number, "goal_title": row.goal_title, "measure_id": row.measure_id, "figure": row.figure,
         "unit": row.unit, "year": row.year, "period": row.period, "as_at": row.as_at, "value": row.value,
         "value_date": row.value_date, "carried": row.carried, "previous_year": row.previous, "target": row.target,
         "variation": row.variation, "assurance": row.assurance}
        for row in headline_figures(strategy, years=None if year is None else {year})
    ]


# ------------------------------------------------------------------------------------------------ writing


class PointIn(Schema):
    date: datetime.date = Field(description="ISO date, e.g. 2024-01-31; not in the future")
    value: float = Field(allow_inf_nan=False)


class PointsIn(Schema):
    points: list[PointIn] = Field(min_length=1, max_length=MAX_ROWS)


class Written(Schema):
    added: int
    updated: int = Field(description="Dates that had another value: replaced (the old value is kept in the history)")
    unchanged: int = Field(description="Dates that already had this value: nothing written")


@api.post("/measures/{int:measure_id}/points/", auth=WRITE, url_name="points_add",
          response={200: Written, 401: Message, 403: Message, 404: Message, 422: Invalid, 429: Message},
          summary="Add or replace a hand-entered measure's points: all or nothing, and safe to send again")
def points_add(request, measure_id: int, payload: PointsIn):
    found = get_object_or_404(Measure, pk=measure_id)
    if found.is_derived:
        raise HttpError(403, f"“{found.name}” is derived from the app's own records: its points cannot be written.")
    rows = [(i, [p.date.isoformat(), f"{Decimal(repr(p.value)):f}"]) for i, p in enumerate(payload.points)]
    with audit.acting_service(request.auth.name):
        result = import_points(found, rows, None, replace=True, noun="the point at index")
    if result.errors:
        return Status(422, {"detail": "Nothing was written: some points are not valid.",
                     "errors": [{"index": e.row, "field": e.column, "message": e.message} for e in result.errors]})
    return {"added": result.added, "updated": result.replaced, "unchanged": result.unchanged}
