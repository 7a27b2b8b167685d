import datetime
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from goals.models import Strategy
from improvement.core.htmx import wants_fragment
from improvement.core.periods import Period
from improvement.core.roles import allowed
from improvement.core.stamp import cached, page_stamp

from . import charts, importer, rollup, uploads
from .forms import UploadForm
from .models import Answer, StaffGroup
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


@require_GET
@allowed(*READ_TRAINING)
def overview(request):
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    strategy = Strategy.objects.current()
    today = datetime.date.today()
    if strategy is None:  # no strategy yet: the last twelve months
        year, years, label = None, [], "The last 12 months"
        shown = Period(None, today - datetime.timedelta(days=364), today)
        previous = [shown]
    else:
        year = shown = strategy.period_asked(request.GET.get("year", ""))
        years = strategy.periods_so_far()
        label = year.label
        previous = [y for y in years if y.year <= (year.year or years[-1].year)]
    start, end, as_at = shown.first, shown.last, shown.as_at(today)
    year_label = year.name if year else label
    figures, chart_figures = cached(f"training:{start}:{end}:{as_at}:{"-".join(str(p.year) for p in previous)}",
                                    partial(_figures_and_charts, start, end, as_at, previous, year_label), stamp)
    context = {
        "year": year,
        "year_choices": strategy.year_choices() if strategy else [],
        "label": label,
        "year_label": year_label,
        "as_at": as_at,
        "figures": figures,
        "charts": chart_figures,
    }
    template = "training/overview.html#training-figures" if wants_fragment(request) else "training/overview.html"
    return render(request, template, context)


def _figures_and_charts(start, end, as_at, previous, year_label):
    figures = rollup.figures(start, end, as_at, previous)
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
    context["form"] = form
    name = "training/import.html#import-panel" if wants_fragment(request) else "training/import.html"
    return render(request, name, context)


def _confirm(request, kind, context):
    """Import the file checked earlier; None to show the page again (with what went wrong)."""
    pending = uploads.find(request.POST["upload"], request.user, kind)
    if pending is None:
        context["expired"] = True
        return None
    with transaction.atomic():
        report = importer.import_file(kind, uploads.verified_chunks(pending))
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


@require_http_methods(["GET", "POST"])
@allowed("training.view_completion", "training.add_completion")
def import_training(request):
    return _import_page(request, "training")


@require_http_methods(["GET", "POST"])
@allowed("training.view_feedbackresponse", "training.add_feedbackresponse")
def import_feedback(request):
    return _import_page(request, "feedback")
