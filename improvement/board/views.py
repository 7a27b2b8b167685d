"""The board's pages: the dashboard, its CSV, the annual board papers and their PDF; where each role lands."""

import csv
from functools import partial

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from goals.measures.charts import analyse_measure, spc_figure
from goals.strategy.current import current_strategy_or_404
from improvement.core.csvfiles import safe_cell
from improvement.core.roles import BOARD_MEMBER, allowed
from improvement.core.stamp import page_stamp

from .dashboard import board_view
from .forms import BoardReportForm, CommitmentFormSet, RiskFormSet
from .models import BoardReport
from .pdf import PlaywrightError, render_pdf


def _since(request, strategy, period):
    """What changed since the last board: ?since=, else the previous year's board meeting, else the period's start."""
    try:
        asked = parse_date(request.GET.get("since", "") or "")
    except ValueError:  # a well-formed but impossible date, e.g. 2023-02-30
        asked = None
    if asked:
        return asked
    previous = BoardReport.objects.filter(strategy=strategy, meeting_date__lt=period.last).order_by("-meeting_date").first()
    return previous.meeting_date if previous else period.first


@require_GET
@allowed("goals.view_goal", "goals.view_measure", "goals.view_evidenceitem")
def dashboard(request):
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    strategy = current_strategy_or_404()
    period = strategy.period_asked(request.GET.get("year", ""))
    since = _since(request, strategy, period)
    return render(request, "board/dashboard.html", {
        "data_stamp": stamp, "strategy": strategy, "period": period, "since": since, "year_choices": strategy.year_choices(),
        # built only when the page is not in the cache (improvement.core.stamp)
        "view": SimpleLazyObject(partial(board_view, strategy, period, since)),
        "report": SimpleLazyObject(partial(BoardReport.objects.filter(strategy=strategy, year=period.year or 0).first)),
    })


@require_GET
@allowed("goals.view_goal", "goals.view_measure", "goals.view_evidenceitem")
def dashboard_export(request):
    """Headline figures per goal and strategy year, as CSV (opens in Excel), for the board secretary's pack."""
    strategy = current_strategy_or_404()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="headline-figures-{slugify(strategy.name)}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a byte order mark
    writer = csv.writer(response)
    writer.writerow(["Goal", "Goal title", "Figure", "Unit", "Strategy year", "Value", "Previous year", "Target", "Variation", "Assurance"])
    for year in strategy.years_so_far():
        view = board_view(strategy, strategy.period(year), strategy.year_bounds(year)[0])
        for goal_view in view.goals:
            for figure in goal_view.figures:
                writer.writerow([safe_cell(v) for v in [
                    goal_view.goal.number, goal_view.goal.title, figure.measure.name, figure.measure.unit, year,
                    _number(figure.value), _number(figure.previous), _number(figure.target),
                    figure.variation.label, figure.assurance.label if figure.assurance else "",
                ]])
    return response


def _number(value):
    return "" if value is None else value


def _report_context(request, year):
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    strategy = current_strategy_or_404()
    report = get_object_or_404(BoardReport.objects.prefetch_related("commitments", "risks"), strategy=strategy, year=year)
    period = strategy.period(year)
    since = _since(request, strategy, period)
    view = SimpleLazyObject(partial(board_view, strategy, period, since))  # built only when the page is not cached
    return {"data_stamp": stamp, "strategy": strategy, "report": report, "view": view, "period": period, "since": since,
            "sections": SimpleLazyObject(partial(_report_sections, view))}


def _report_sections(view):
    return [
        (goal_view, [(f"report-chart-{figure.measure.pk}", spc_figure(figure.measure, analyse_measure(figure.measure), height=300), figure)
                     for figure in goal_view.figures])
        for goal_view in view.goals
    ]


@require_GET
@allowed("goals.view_goal", "goals.view_measure", "goals.view_evidenceitem", "board.view_boardreport")
def report(request, year):
    return render(request, "board/report.html", _report_context(request, year))


@require_GET
@allowed("goals.view_goal", "goals.view_measure", "goals.view_evidenceitem", "board.view_boardreport")
def report_pdf(request, year):
    context = _report_context(request, year)
    try:
        pdf = cache.get_or_set(
            f"report-pdf:{year}:{context['since']}:{context['data_stamp']}",
            lambda: render_pdf(render_to_string("board/report.html", context, request=request)),
            timeout=86400,
        )
    except PlaywrightError:  # Chromium missing, crashed or too slow: say so, do not 500
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="improvement-strategy-year-{year}-board-report.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@allowed("board.view_boardreport", "board.change_boardreport")
def report_edit(request, year):
    strategy = current_strategy_or_404()
    report = get_object_or_404(BoardReport, strategy=strategy, year=year)
    form = BoardReportForm(request.POST or None, instance=report)
    commitments = CommitmentFormSet(request.POST or None, instance=report, prefix="commitments")
    risks = RiskFormSet(request.POST or None, instance=report, prefix="risks")
    if request.method == "POST" and form.is_valid() and commitments.is_valid() and risks.is_valid():
        with transaction.atomic():
            form.save()
            commitments.save()
            risks.save()
        messages.success(request, "The report is saved.")
        return redirect("report", year)
    return render(request, "board/report_form.html", {"report": report, "form": form, "commitments": commitments, "risks": risks})


@require_GET
@allowed()
def landing(request):
    """After login: the board lands on its dashboard, everyone else on the goals."""
    return redirect("dashboard" if request.user.groups.filter(name=BOARD_MEMBER).exists() else "goals:overview")
