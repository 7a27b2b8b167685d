"""Goal 3 and Goal 4 figures from the training records, for a year and to date, by database aggregates.

Every function is one query whatever the number of records. Periods are plain dates (training depends on
no other app): `start` is the first day of the chosen year (None: from the beginning), `end` its last day,
and `as_at` the day "current" is judged on (the end of the year, or today while the year runs).

How each figure is counted:
- *completions per course*: completion records (a person who completes twice counts twice);
- *people trained*: distinct learners with at least one completion in the period, leavers included;
- *Excellence In*: distinct Nursing and Administration learners with an "Excellence In …" completion;
- *people receiving QI teaching*: distinct learners with a QI teaching completion in the year;
- *current staff and partners trained in QI*: distinct learners who had not left on `as_at` and had
  completed, by then, at least one course of a QI kind (`QI_KINDS`: the foundation course, Excellence In, QI
  teaching, facilitator training); quality partners count, an "other" course (e-learning) does not;
- *trained in improvement principles*: distinct learners with any completion by `as_at`, leavers included;
- *recommend score*: "likely" and "very likely" answers as a share of all answers (don't know included, as
  the NHS Friends and Family Test counts them) for the improvement method's training (`METHOD_KINDS`) in the period;
- *facilitator coverage*: clinical service units with at least one learner who had not left on `as_at`
  and had completed facilitator training by then, as a share of all clinical service units (a corporate
  department, `Unit.is_clinical` false, is in neither).
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from .models import (
    EXCELLENCE_IN_GROUPS,
    METHOD_KINDS,
    POSITIVE_ANSWERS,
    QI_KINDS,
    Completion,
    Course,
    CourseKind,
    CourseKindName,
    FeedbackResponse,
    Learner,
    StaffGroup,
    Unit,
)


def _in(field, start, end):
    """Q for `field` between start and end (both included); start None: up to end."""
    q = Q(**{f"{field}__lte": end})
    return q & Q(**{f"{field}__gte": start}) if start else q


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Headline:
    foundation_completions_in_year: int
    foundation_completions_to_date: int
    excellence_in_people_in_year: int
    excellence_in_people_to_date: int
    qi_teaching_people_in_year: int
    people_trained_in_year: int
    current_trained_in_qi: int
    trained_in_improvement_principles: int


def _headline_counts(start, end, as_at):
    done = "completions__completed_on"
    kind = "completions__course__kind"
    year, to_date = _in(done, start, end), _in(done, None, as_at)
    return dict(
        excellence_in_people_in_year=Count("pk", distinct=True, filter=year & Q(**{kind: CourseKind.EXCELLENCE_IN}, staff_group__in=EXCELLENCE_IN_GROUPS)),
        excellence_in_people_to_date=Count("pk", distinct=True, filter=to_date & Q(**{kind: CourseKind.EXCELLENCE_IN}, staff_group__in=EXCELLENCE_IN_GROUPS)),
        qi_teaching_people_in_year=Count("pk", distinct=True, filter=year & Q(**{kind: CourseKind.QI_TEACHING})),
        people_trained_in_year=Count("pk", distinct=True, filter=year),
        current_trained_in_qi=Count("pk", distinct=True, filter=to_date & Q(**{f"{kind}__in": QI_KINDS}) & Learner.objects.current_q(as_at)),
        trained_in_improvement_principles=Count("pk", distinct=True, filter=to_date),
        foundation_completions_in_year=Count("completions", filter=year & Q(**{kind: CourseKind.FOUNDATION})),
        foundation_completions_to_date=Count("completions", filter=to_date & Q(**{kind: CourseKind.FOUNDATION})),
    )


def headline(start, end, as_at):
    """The headline counts of Goal 3, in one query over learners and their completions."""
    return Headline(**Learner.objects.aggregate(**_headline_counts(start, end, as_at)))


def headlines(dates):
    """headline() for each (start, end, as_at) of `dates`, all in one query (one pass over the completions)."""
    counts = Learner.objects.aggregate(**{f"p{i}_{name}": count for i, when in enumerate(dates)
                                          for name, count in _headline_counts(*when).items()})
    return [Headline(**{name: counts[f"p{i}_{name}"] for name in Headline.__dataclass_fields__}) for i in range(len(dates))]


@dataclass(frozen=True)
class Row:
    label: str
    in_year: int
    to_date: int


def completions_per_course(start, end, as_at):
    """Completion records per course, in the year and to date (every course, even with none)."""
    return [
        Row(name, in_year, to_date)
        for name, in_year, to_date in Course.objects.annotate(
            in_year=Count("completions", filter=_in("completions__completed_on", start, end)),
            to_date=Count("completions", filter=_in("completions__completed_on", None, as_at)),
        ).order_by("name").values_list("name", "in_year", "to_date")
    ]


def people_per_staff_group(start, end, as_at):
    """Distinct learners trained per staff group, in the year and to date (leavers included)."""
    rows = dict.fromkeys(StaffGroup.values, (0, 0))
    for group, in_year, to_date in (
        Learner.objects.filter(completions__completed_on__lte=as_at)
        .values("staff_group")
        .annotate(in_year=Count("pk", distinct=True, filter=_in("completions__completed_on", start, end)), to_date=Count("pk", distinct=True))
        .values_list("staff_group", "in_year", "to_date")
    ):
        rows[group] = (in_year, to_date)
    return [Row(StaffGroup(group).label, *counts) for group, counts in rows.items()]


@dataclass(frozen=True)
class UnitRow:
    label: str
    in_year: int
    to_date: int
    has_facilitator: bool


def units(start, end, as_at):
    """Each clinical service unit: people trained in the year and to date, and whether it has a current
    trained facilitator on `as_at`."""
    facilitators = Learner.objects.filter(Learner.objects.current_q(as_at), unit=OuterRef("pk")).filter(
        Exists(Completion.objects.filter(learner=OuterRef("pk"), course__kind=CourseKind.FACILITATOR, completed_on__lte=as_at))
    )
    return [
        UnitRow(*values)
        for values in Unit.objects.clinical().annotate(
            in_year=Count("learners", distinct=True, filter=_in("learners__completions__completed_on", start, end)),
            to_date=Count("learners", distinct=True, filter=_in("learners__completions__completed_on", None, as_at)),
            has_facilitator=Exists(facilitators),
        ).order_by("name").values_list("name", "in_year", "to_date", "has_facilitator")
    ]


@dataclass(frozen=True)
class Coverage:
    units: int
    covered: int

    @property
    def percent(self):
        return _share(self.covered, self.units)


def facilitator_coverage(unit_rows):
    """The share of units with a current trained facilitator, from `units()` (no further query)."""
    return Coverage(len(unit_rows), sum(1 for row in unit_rows if row.has_facilitator))


def facilitator_coverage_on(as_at):
    """The same share on its own, in one query (for a measure that only needs this figure)."""
    facilitators = Learner.objects.filter(Learner.objects.current_q(as_at), unit=OuterRef("pk"), completions__course__kind=CourseKind.FACILITATOR,
                                          completions__completed_on__lte=as_at)
    counts = Unit.objects.clinical().aggregate(units=Count("pk"), covered=Count("pk", filter=Q(Exists(facilitators))))
    return Coverage(counts["units"], counts["covered"])


@dataclass(frozen=True)
class YearCount:
    label: str
    people: int


def qi_teaching_per_year(years):
    """Distinct people receiving QI teaching in each of `years` (Periods), in one query."""
    if not years:
        return []
    counts = Learner.objects.aggregate(**{
        f"y{i}": Count("pk", distinct=True, filter=Q(completions__course__kind=CourseKind.QI_TEACHING) & _in("completions__completed_on", y.first, y.last))
        for i, y in enumerate(years)
    })
    return [YearCount(y.name, counts[f"y{i}"]) for i, y in enumerate(years)]


@dataclass(frozen=True)
class Recommend:
    label: str
    responses: int
    positive: int

    @property
    def percent(self):
        return _share(self.positive, self.responses)


def recommend_score(start, end):
    """The share likely or very likely to recommend the improvement method's training, among the period's responses."""
    counts = FeedbackResponse.objects.filter(course__kind__in=METHOD_KINDS).aggregate(
        responses=Count("pk", filter=_in("responded_on", start, end)),
        positive=Count("pk", filter=_in("responded_on", start, end) & Q(answer__in=POSITIVE_ANSWERS)),
    )
    return Recommend("training", counts["responses"], counts["positive"])


def recommend_per_course(years):
    """For each course with feedback and each of `years` (Periods): responses and the share
    positive, in one query. Returns (course name, [Recommend per year])."""
    if not years:
        return []
    annotations = {}
    for i, y in enumerate(years):
        annotations[f"n{i}"] = Count("feedback", filter=_in("feedback__responded_on", y.first, y.last))
        annotations[f"p{i}"] = Count("feedback", filter=_in("feedback__responded_on", y.first, y.last) & Q(feedback__answer__in=POSITIVE_ANSWERS))
    rows = []
    courses = Course.objects.annotate(any_feedback=Count("feedback"), **annotations).filter(any_feedback__gt=0)
    for course in courses.order_by("name").values():
        rows.append((course["name"], [Recommend(y.name, course[f"n{i}"], course[f"p{i}"]) for i, y in enumerate(years)]))
    return rows


@dataclass(frozen=True)
class Figures:
    headline: Headline
    courses: list
    staff_groups: list
    units: list
    coverage: Coverage
    qi_teaching_years: list
    recommend: Recommend
    recommend_courses: list
    kind_names: dict  # {course kind: the trust's name for it}


def figures(start, end, as_at, years):
    """Everything the Training page shows: eight queries, whatever the number of records."""
    return figures_of([(start, end, as_at, years)])[0]


def figures_of(periods):
    """figures() for each (start, end, as_at, years) of `periods`, whose years lists each begin the longest one (the
    strategy's years up to each period): the headlines in one query, the per-year counts once for the longest list,
    the rest per period. What training.stored keeps."""
    longest = max((years for *_, years in periods), key=len)
    assert all(years == longest[:len(years)] for *_, years in periods), "each period's years begin the longest list"
    qi_years, recommend_courses = qi_teaching_per_year(longest), recommend_per_course(longest)
    kind_names = CourseKindName.objects.names()
    result = []
    for (start, end, as_at, years), head in zip(periods, headlines([p[:3] for p in periods])):
        unit_rows = units(start, end, as_at)
        result.append(Figures(
            headline=head,
            courses=completions_per_course(start, end, as_at),
            staff_groups=people_per_staff_group(start, end, as_at),
            units=unit_rows,
            coverage=facilitator_coverage(unit_rows),
            qi_teaching_years=qi_years[:len(years)],
            recommend=recommend_score(start, end),
            recommend_courses=[(course, per_year[:len(years)]) for course, per_year in recommend_courses] if years else [],
            kind_names=kind_names,
        ))
    return result
