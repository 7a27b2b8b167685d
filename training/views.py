import datetime
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from goals.models import Strategy
from improvement.core.htmx import wants_fragment
from improvement.core.periods import Period
from improvement.core.roles import allowed
from improvement.core.stamp import cached, page_stamp
from improvement.core.xlsx import xlsx_response

from . import charts, importer, stored, uploads
from .forms import NewUnitsForm, UploadForm
from .models import Answer, CourseKind, StaffGroup
from .uploads import PENDING_UPLOAD_HOURS

READ_TRAINING = ("training.view_completion", "training.view_feedbackresponse")

IMPORTS = {
    "training": {
        "heading": "Import training records",
        "url": "training:import_training",
        "columns": importer.TRAINING_COLUMNS,
        "optional": importer.TRAINING_OPTIONAL,
        "sample": "training/training_records_sample.csv",
        "values": {"staff_group": ", ".join(StaffGroup.labels)},
    },
    "feedback": {
        "heading": "Import course feedback",
        "url": "training:import_feedback",
        "columns": importer.FEEDBACK_COLUMNS,
        "optional": importer.FEEDBACK_OPTIONAL,
        "sample": "training/course_feedback_sample.csv",
        "values": {"answer": ", ".join(Answer.labels)},
    },
}


def _shown(request, strategy, today):
    """(year asked or None, the Period shown, its label, the years up to it) for ?year=."""
    if strategy is None:  # no strategy yet: the last twelve months
        shown = Period(None, today - datetime.timedelta(days=364), today)
        return None, shown, "The last 12 months", [shown]
    year = strategy.period_asked(request.GET.get("year", ""))
    years = strategy.periods_so_far()
    return year, year, year.label, [y for y in years if y.year <= (year.year or years[-1].year)]


@require_safe
@allowed(*READ_TRAINING)
def overview(request):
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    strategy = Strategy.objects.current()
    today = datetime.date.today()
    year, shown, label, previous = _shown(request, strategy, today)
    start, end, as_at = shown.first, shown.last, shown.as_at(today)
    year_label = year.name if year else label
    figures, chart_figures = _figures(stamp, start, end, as_at, previous, year_label)
    context = {
        "year": year,
        "year_choices": strategy.year_choices() if strategy else [],
        "label": label,
        "year_label": year_label,
        "as_at": as_at,
        "figures": figures,
        "charts": chart_figures,
        "names": figures.kind_names,
        "method": strategy.method if strategy else "improvement",
        "fed_goals": strategy.goals.fed_by("training") if strategy else [],
    }
    template = "training/overview.html#training-figures" if wants_fragment(request) else "training/overview.html"
    return render(request, template, context)


@require_safe
@allowed(*READ_TRAINING)
def figures_xlsx(request):
    """The Training page's figures for the year asked (?year=N or all), as an Excel workbook: one sheet per table."""
    stamp = page_stamp()
    strategy = Strategy.objects.current()
    today = datetime.date.today()
    year, shown, label, previous = _shown(request, strategy, today)
    as_at = shown.as_at(today)
    in_year = year.name if year else label
    f, _ = _figures(stamp, shown.first, shown.last, as_at, previous, in_year)
    h = f.headline
    names, method = f.kind_names, strategy.method if strategy else "improvement"
    headline = [
        [f"{names[CourseKind.FOUNDATION]} completions, including quality partners", h.foundation_completions_in_year, h.foundation_completions_to_date],
        ["Nursing and Administration colleagues trained through “Excellence In …”", h.excellence_in_people_in_year, h.excellence_in_people_to_date],
        ["People receiving QI teaching", h.qi_teaching_people_in_year, None],
        ["Current staff and partners trained in QI (leavers excluded)", None, h.current_trained_in_qi],
        ["People trained in improvement principles to date (leavers included)", None, h.trained_in_improvement_principles],
        [f"Likely or very likely to recommend {method} training (%)", f.recommend.percent, None],
        [f"Clinical service units with a current trained {method} facilitator (%)", None, f.coverage.percent],
    ]
    sheets = [
        (f"Headline ({in_year})"[:31], [f"{label}, as at {as_at:%d %b %Y}", in_year, "To date"], headline),
        ("Courses", ["Course", in_year, "To date"], [[r.label, r.in_year, r.to_date] for r in f.courses]),
        ("Staff groups", ["Staff group", in_year, "To date"], [[r.label, r.in_year, r.to_date] for r in f.staff_groups]),
        ("Units", ["Unit", in_year, "To date", f"Current {method} facilitator"],
         [[r.label, r.in_year, r.to_date, "yes" if r.has_facilitator else "no"] for r in f.units]),
        ("QI teaching per year", ["Year", "People"], [[r.label, r.people] for r in f.qi_teaching_years]),
        ("Recommend per course", ["Course", "Year", "Responses", "Likely or very likely (%)"],
         [[course, r.label, r.responses, r.percent] for course, per_year in f.recommend_courses for r in per_year]),
    ]
    return xlsx_response(f"training-figures-{(year.name if year else 'last-12-months').lower().replace(' ', '-')}.xlsx", sheets)


def _figures(stamp, start, end, as_at, previous, year_label):
    """The page's figures and charts, counted once while the data stand (the page and its workbook share them)."""
    return cached(f"training:{start}:{end}:{as_at}:{"-".join(str(p.year) for p in previous)}",
                  partial(_figures_and_charts, start, end, as_at, previous, year_label), stamp)


def _figures_and_charts(start, end, as_at, previous, year_label):
    figures = stored.figures(start, end, as_at, previous)
    return figures, {
        "courses": charts.in_year_and_to_date(figures.courses, year_label, axis_title="Completions"),
        "groups": charts.in_year_and_to_date(figures.staff_groups, year_label),
        "units": charts.in_year_and_to_date(figures.units, year_label, horizontal=True),
        "qi_teaching": charts.bars(
            [row.label for row in figures.qi_teaching_years],
            [("People receiving QI teaching", [row.people for row in figures.qi_teaching_years], charts.NHS_BLUE)],
        ),
    }


def _import_page(request, kind):
    spec = IMPORTS[kind]
    action = reverse(spec["url"])
    context = {"kind": kind, "spec": spec, "action": action, "max_mb": importer.MAX_BYTES // (1024 * 1024),
               "max_rows": importer.MAX_ROWS, "hours": PENDING_UPLOAD_HOURS}
    form = UploadForm()
    if request.method == "POST" and "upload" in request.POST:
        response = _confirm(request, kind, context)
        if response:
            return response
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = importer.check(kind, upload.chunks())
            context.update(report=report, filename=upload.name)
            if report.ok:
                context["pending"] = uploads.keep(kind, upload, request.user)
                context["units_form"] = NewUnitsForm(units=report.new_units)
    context["form"] = form
    name = "training/import.html#import-panel" if wants_fragment(request) else "training/import.html"
    return render(request, name, context)


def _confirm(request, kind, context):
    """Import the file checked earlier; None to show the page again (with what went wrong)."""
    pending = uploads.find(request.POST["upload"], request.user, kind)
    if pending is None:  # imported meanwhile (a double click, a second tab), or expired
        context["expired"] = True
        return None
    units_form = NewUnitsForm(request.POST, units=request.POST.getlist("new_unit"))
    if not units_form.is_valid():  # the preview again, with the units still to answer
        report = importer.check(kind, uploads.verified_chunks(pending))
        context.update(report=report, filename=pending.filename, pending=pending if report.ok else None, units_form=units_form)
        return None
    with transaction.atomic():
        pending = uploads.find(request.POST["upload"], request.user, kind, for_import=True)
        if pending is None:  # imported meanwhile (a double click, a second tab), or expired
            context["expired"] = True
            return None
        report = importer.import_file(kind, uploads.verified_chunks(pending), clinical=units_form.answers())
        if report.applied:
            pending.delete()
    context.update(report=report, filename=pending.filename, imported=report.applied)
    if not report.applied:
        return None
    summary = "; ".join(f"{label.split(' (')[0].lower()}: {number}" for label, number in report.counts.items() if number)
    if wants_fragment(request):
        return render(request, "training/import.html#import-panel", {**context, "form": UploadForm(), "summary": summary})
    messages.success(request, f"Imported {pending.filename}: {summary}.")
    return redirect("training:overview")


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("training.view_completion", "training.add_completion")
def import_training(request):
    return _import_page(request, "training")


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("training.view_feedbackresponse", "training.add_feedbackresponse")
def import_feedback(request):
    return _import_page(request, "feedback")
