"""The board's pages: the dashboard, its CSV, the annual board papers and their PDF; where each role lands."""

import csv
import datetime
import hashlib
from functools import partial

from django.contrib import messages
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from goals.models import Strategy
from goals.strategy.current import current_strategy_or_404
from goals.strategy.strategyfile import FileRefused
from improvement.core.csvfiles import safe_cell
from improvement.core.forms import saved_or_conflict
from improvement.core.htmx import wants_fragment
from improvement.core.roles import allowed
from improvement.core.stamp import cached, page_stamp
from improvement.core.views import unavailable
from improvement.core.xlsx import xlsx_response

from . import agenda, meetings, papers, strategyfile
from .dashboard import board_view, headline_figures
from .forms import (
    AmendmentForm, BoardReportForm, CommitmentFormSet, DashboardForm, MeetingForm, PaperGoalFormSet, PresentForm,
    ReminderPreferenceForm, RiskFormSet, StrategyFileForm,
)
from .models import BoardReport, Committee, FrozenPaper, Meeting, MeetingKind, ReminderPreference
from .pdf import PlaywrightError, render_pdf


def _since(form, strategy, period):
    """What changed since: the date asked for (any date style the app accepts), else the meeting of the latest paper
    presented before the period's figures were counted, else the period's start."""
    if form.is_valid() and form.cleaned_data.get("since"):
        return form.cleaned_data["since"]
    return papers.since_for(strategy, period)


@require_safe
@allowed("goals.view_goal", "goals.view_measure", "goals.view_evidenceitem")
def dashboard(request):
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    strategy = current_strategy_or_404()
    period = strategy.period_asked(request.GET.get("year", ""))
    form = DashboardForm(request.GET or None)
    since = _since(form, strategy, period)
    if not form.is_bound or (form.is_valid() and not form.cleaned_data.get("since")):
        form = DashboardForm(initial={"since": since})  # show the date the page uses
    paper = BoardReport.objects.readable_by(request.user).filter(strategy=strategy, year=period.year or 0).first()
    return render(request, "board/dashboard.html", {
        "strategy": strategy, "period": period, "since": since, "form": form,
        "year_choices": strategy.year_choices(), "report": paper, "today": datetime.date.today(),
        "view": cached(f"dashboard:{strategy.pk}:{period.year}:{since}", partial(board_view, strategy, period, since), stamp),
    })


@require_safe
@allowed("goals.view_goal", "goals.view_measure", "goals.view_evidenceitem")
def dashboard_export(request):
    """Headline figures per goal and strategy year, as CSV (opens in Excel), for the board secretary's pack. Each
    row says the day its value is as at: a value carried from an earlier year is marked so, never shown as the year's."""
    strategy = current_strategy_or_404()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="headline-figures-{slugify(strategy.name)}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a byte order mark
    writer = csv.writer(response)
    writer.writerow(HEADLINE_COLUMNS)
    for row in headline_figures(strategy):
        writer.writerow([safe_cell(v) for v in headline_cells(row)])
    return response


@require_safe
@allowed("goals.view_goal", "goals.view_measure", "goals.view_evidenceitem")
def dashboard_xlsx(request):
    """The same headline figures as the CSV, as an Excel workbook (numbers as numbers, dates as dates)."""
    strategy = current_strategy_or_404()
    rows = [[row.goal_number, row.goal_title, row.figure, row.unit, row.year, row.period, row.as_at, row.value, row.value_date,
             "yes" if row.carried else "no", row.previous, row.target, row.variation, row.assurance]
            for row in headline_figures(strategy)]
    return xlsx_response(f"headline-figures-{slugify(strategy.name)}.xlsx", [("Headline figures", HEADLINE_COLUMNS, rows)])


HEADLINE_COLUMNS = ["Goal", "Goal title", "Figure", "Unit", "Strategy year", "Period", "Figures as at", "Value",
                    "Value as at", "Carried from an earlier year", "Previous year", "Target", "Variation", "Assurance"]


def headline_cells(row):
    """A headline row's cells, in HEADLINE_COLUMNS order (dates as ISO text, empty for none)."""
    return [
        row.goal_number, row.goal_title, row.figure, row.unit, row.year, row.period, row.as_at.isoformat(),
        _number(row.value), row.value_date.isoformat() if row.value_date else "", "yes" if row.carried else "no",
        _number(row.previous), _number(row.target), row.variation, row.assurance,
    ]


def _number(value):
    return "" if value is None else value


# ------------------------------------------------------------------------------------------ board papers


READ_PAPERS = ("goals.view_goal", "goals.view_measure", "goals.view_evidenceitem", "board.view_boardreport")
WRITE_PAPERS = ("board.view_boardreport", "board.change_boardreport")


def _year(strategy, year):
    """A strategy year that has started (a paper may be started for it), or 404."""
    if year not in strategy.years_so_far():
        raise Http404("No such strategy year yet")
    return year


def _paper(request, year):
    """The year's paper if this user may read it (drafts are QiSG's until shared), else None."""
    strategy = current_strategy_or_404()
    _year(strategy, year)
    return strategy, BoardReport.objects.readable_by(request.user).select_related("strategy", "frozen").filter(strategy=strategy, year=year).first()


@require_safe
@allowed(*READ_PAPERS)
def reports(request):
    """Every strategy year's paper with its state; QiSG starts the ones not started yet."""
    strategy = current_strategy_or_404()
    by_year = {r.year: r for r in BoardReport.objects.readable_by(request.user).filter(strategy=strategy)}
    earlier = {}
    for paper in BoardReport.objects.presented().earlier_than(strategy).select_related("strategy").order_by("-strategy__start_date", "year"):
        earlier.setdefault(paper.strategy, []).append(paper)
    return render(request, "board/reports.html", {
        "strategy": strategy, "rows": [(period, by_year.get(period.year)) for period in strategy.periods_so_far()],
        "earlier": list(earlier.items()),
    })


def _earlier_paper(pk):
    """A paper presented under a strategy before the current one: what its board read stays readable, as it was."""
    strategy = current_strategy_or_404()
    return get_object_or_404(BoardReport.objects.presented().earlier_than(strategy).select_related("strategy", "frozen"), pk=pk)


@require_safe
@allowed(*READ_PAPERS)
def earlier_report(request, pk):
    report = _earlier_paper(pk)
    return render(request, "board/earlier_report.html", {
        "report": report, "strategy": report.strategy, "paper_html": report.frozen.html,
        "amendments": list(report.amendments.select_related("made_by")),
    })


@require_safe
@allowed(*READ_PAPERS)
def earlier_report_pdf(request, pk):
    report = _earlier_paper(pk)
    try:
        pdf = _presented_pdf(request, report)
    except (PlaywrightError, PaperBusy):
        return unavailable(10)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(report.strategy.name)}-year-{report.year}-board-paper.pdf"'
    return response


@require_safe
@allowed(*READ_PAPERS)
def report(request, year):
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    strategy, report = _paper(request, year)
    if report is None:
        return render(request, "board/report_missing.html", {
            "strategy": strategy, "period": strategy.period(year), "steering": Committee.objects.of(MeetingKind.QISG),
            "drafting": BoardReport.objects.filter(strategy=strategy, year=year).exists(),
        })
    context = {"report": report, "strategy": strategy, "period": strategy.period(year)}
    if report.is_draft:
        context["steering"] = Committee.objects.of(MeetingKind.QISG)
    if report.is_presented:
        context.update(paper_html=report.frozen.html, amendments=list(report.amendments.select_related("made_by")),
                       changes=cached(f"paper-changes:{report.pk}", partial(papers.changes_since_presented, report), stamp))
    else:  # live: drawn again when the data or the paper change
        context["paper_html"] = cached(f"paper:{report.pk}:{report.version}", partial(papers.html, report), stamp)
    return render(request, "board/report.html", context)


@require_POST
@allowed(*WRITE_PAPERS)
def report_start(request, year):
    strategy = current_strategy_or_404()
    _year(strategy, year)
    try:
        papers.start(strategy, year)
    except (papers.PaperError, IntegrityError):  # started meanwhile (a double click, a colleague): open it
        messages.success(request, f"The paper for year {year} was started already: here it is.")
    else:
        steering = Committee.objects.of(MeetingKind.QISG).short_name
        messages.success(request, f"The paper for year {year} is started as a draft, prefilled from the data. Only {steering} sees it until it is shared.")
    return redirect("report", year)


@require_http_methods(["GET", "HEAD", "POST"])
@allowed(*WRITE_PAPERS)
def report_edit(request, year):
    strategy = current_strategy_or_404()
    report = get_object_or_404(BoardReport.objects.select_related("strategy"), strategy=strategy, year=year)
    if report.is_presented:
        messages.success(request, "This paper was presented: it stays as the board read it. Correct it with an amendment.")
        return redirect("report_amend", year)
    form = BoardReportForm(request.POST or None, instance=report)
    commitments = CommitmentFormSet(request.POST or None, instance=report, prefix="commitments")
    risks = RiskFormSet(request.POST or None, instance=report, prefix="risks")
    sections = PaperGoalFormSet(request.POST or None, instance=report, prefix="goals",
                                queryset=report.goal_sections.select_related("goal"))
    conflict = None
    if request.method == "POST" and all(f.is_valid() for f in (form, commitments, risks, sections)):
        with transaction.atomic():  # the rows are the paper's: saved only when the paper's version check passes
            _, conflict = saved_or_conflict(form, lambda: [part.save() for part in (form, commitments, risks, sections)])
        if conflict is None:
            messages.success(request, "The paper is saved.")
            return redirect("report", year)
    return render(request, "board/report_form.html", {"report": report, "form": form, "commitments": commitments,
                                                     "risks": risks, "sections": sections, "conflict": conflict,
                                                     "steering": Committee.objects.of(MeetingKind.QISG)})


@require_POST
@allowed(*WRITE_PAPERS)
def report_share(request, year):
    strategy = current_strategy_or_404()
    report = get_object_or_404(BoardReport, strategy=strategy, year=year)
    try:
        papers.share(report)
    except papers.PaperError as error:
        messages.success(request, str(error))
    else:
        messages.success(request, "The paper is shared: board members can read it now.")
    return redirect("report", year)


@require_http_methods(["GET", "HEAD", "POST"])
@allowed(*WRITE_PAPERS)
def report_present(request, year):
    """Mark the paper presented to a meeting on a date: it is frozen as it is now, PDF included."""
    strategy = current_strategy_or_404()
    report = get_object_or_404(BoardReport.objects.select_related("strategy"), strategy=strategy, year=year)
    if report.is_presented:
        messages.success(request, f"This paper was presented to {report.presented_to} on {report.presented_on:%d/%m/%Y}.")
        return redirect("report", year)
    board = Meeting.objects.filter(strategy=strategy, kind=MeetingKind.TRUST_BOARD, year=year).order_by("date").first()
    on = board.date if board else report.meeting_date  # the year's Trust Board, where one is planned
    form = PresentForm(request.POST or None, initial={"meeting": Committee.objects.of(MeetingKind.TRUST_BOARD).short_name,
                                                      "on": min(on, datetime.date.today())})
    if request.method == "POST" and form.is_valid():
        base = request.build_absolute_uri("/")
        try:
            papers.present(report, form.cleaned_data["meeting"], form.cleaned_data["on"],
                           print_pdf=lambda html: render_pdf(_print_html(report, html), base_url=base))
        except PlaywrightError:
            form.add_error(None, "The PDF could not be printed just now, so the paper was not presented. Try again in a minute.")
        except (papers.PaperError, IntegrityError):  # presented meanwhile by someone else
            messages.success(request, "This paper was presented meanwhile: here it is as it was presented.")
            return redirect("report", year)
        else:
            messages.success(request, "The paper is presented and frozen: it stays as the board read it.")
            return redirect("report", year)
    return render(request, "board/report_present.html", {"report": report, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@allowed(*WRITE_PAPERS)
def report_amend(request, year):
    strategy = current_strategy_or_404()
    report = get_object_or_404(BoardReport.objects.presented(), strategy=strategy, year=year)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        papers.amend(report, request.user, form.cleaned_data["reason"], form.cleaned_data["correction"])
        messages.success(request, "The amendment is added to the paper, dated today.")
        return redirect("report", year)
    return render(request, "board/report_amend.html", {"report": report, "form": form})


def _print_html(report, paper_html):
    return _printable(report.strategy, report.title, paper_html)


def _printable(strategy, title, html):
    """A page to print as PDF: `html` alone, with the stylesheets and scripts its charts need, titled `title`."""
    return render_to_string("board/report_print.html", {"strategy": strategy, "print_title": title, "paper_html": html})


@require_safe
@allowed(*READ_PAPERS)
def report_pdf(request, year):
    """The paper's PDF: as presented (kept for good), or the live draft's (kept until the data change). One print at
    a time per paper: a second request while it prints is told to come back, instead of holding a worker."""
    strategy, report = _paper(request, year)
    if report is None:
        raise Http404("No paper for this year that you may read")
    try:
        if report.is_presented:
            pdf = _presented_pdf(request, report)
        else:
            stamp = page_stamp()
            base_url = request.build_absolute_uri("/")
            pdf = cached(f"report-pdf:{report.pk}", lambda: _printing(
                lambda: render_pdf(_print_html(report, papers.html(report)), base_url=base_url), report), stamp)
    except (PlaywrightError, PaperBusy):  # Chromium missing, crashed or too slow, or printing already: say so
        return unavailable(10)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(strategy.name)}-year-{year}-board-paper.pdf"'
    return response


class PaperBusy(Exception):
    pass


# Chromium takes seconds and much memory: one print at a time in the whole deployment (every worker and server on
# one PostgreSQL), so that readers asking for PDFs cannot occupy the workers the other pages need.
PRINT_LOCK = 0x50444601  # any number no other advisory lock of the app takes


def _printing(print_pdf, report=None):
    """Print while holding the print lock (and the paper's row): a request that finds either taken is told to come
    back (PaperBusy) at once, never queued behind a print."""
    with transaction.atomic():
        if connection.vendor == "postgresql":  # advisory, for this transaction; SQLite (development) has none
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [PRINT_LOCK])
                if not cursor.fetchone()[0]:
                    raise PaperBusy
        if report is not None:
            nowait = connection.features.has_select_for_update_nowait
            try:
                BoardReport.objects.select_for_update(nowait=nowait).get(pk=report.pk)
            except OperationalError:
                raise PaperBusy from None
        return print_pdf()


def _presented_pdf(request, report):
    """The presented paper's PDF; printed once from its frozen HTML if it was presented without one (the demo)."""
    frozen = report.frozen
    if frozen.pdf is None:
        pdf = _printing(lambda: render_pdf(_print_html(report, frozen.html), base_url=request.build_absolute_uri("/")), report)
        FrozenPaper.objects.filter(pk=frozen.pk, pdf__isnull=True).update(pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest())
        frozen.refresh_from_db()
    return bytes(frozen.pdf)


@require_safe
@allowed()
def landing(request):
    """After login: readers who record nothing (the board) land on the dashboard, everyone else on the goals."""
    records = any(perm.split(".", 1)[1].startswith(("add_", "change_")) for perm in request.user.get_all_permissions())
    return redirect("goals:overview" if records else "dashboard")


# ------------------------------------------------------------------------------------------------- meetings


@require_safe
@allowed("board.view_meeting")
def meeting_list(request):
    """The strategy's meetings of a year (by default QiSG quarterly, QASG, QAC and the Trust Board), with the papers
    presented."""
    strategy = current_strategy_or_404()
    period = strategy.period_asked(request.GET.get("year", ""))
    listed = Meeting.objects.filter(strategy=strategy).prefetch_related("papers")
    if period.year:
        listed = listed.filter(year=period.year)
    committees = Committee.objects.by_kind()
    listed = list(listed)
    for meeting in listed:
        meeting.committee = committees[meeting.kind]
    return render(request, "board/meeting_list.html", {
        "strategy": strategy, "period": period, "year_choices": strategy.year_choices(), "meetings": listed,
        "today": datetime.date.today(), "rhythm": meetings.rhythm(committees),
        "steering": committees[MeetingKind.QISG],
    })


def _meeting_form_view(request, strategy, instance, heading, initial=None):
    form = MeetingForm(request.POST or None, instance=instance, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, f"Saved: {meeting}.")
        return redirect(f"{reverse('meeting_list')}?year={meeting.year}")
    return render(request, "goals/programme_form.html", {"form": form, "heading": heading, "back": reverse("meeting_list")})


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("board.view_meeting", "board.add_meeting")
def meeting_new(request):
    strategy = current_strategy_or_404()
    return _meeting_form_view(request, strategy, None, "Add a meeting",
                              initial={"kind": MeetingKind.QISG, "date": meetings.next_qisg_date(strategy)})


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("board.view_meeting", "board.change_meeting")
def meeting_edit(request, pk):
    strategy = current_strategy_or_404()
    meeting = get_object_or_404(Meeting, strategy=strategy, pk=pk)
    return _meeting_form_view(request, strategy, meeting, f"Edit {meeting}")


def _qisg_meeting(pk):
    strategy = current_strategy_or_404()
    return get_object_or_404(Meeting.objects.select_related("strategy"), strategy=strategy, kind=MeetingKind.QISG, pk=pk)


PACK_PERMISSIONS = ("board.view_meeting", "goals.view_goal", "goals.view_evidenceitem", "goals.view_measure",
                    "goals.view_collaborative", "goals.view_leanevent")


def _pack_html(meeting):
    return render_to_string("board/_pack.html", {"meeting": meeting, "strategy": meeting.strategy, "pack": agenda.pack(meeting)})


@require_safe
@allowed(*PACK_PERMISSIONS)
def meeting_pack(request, pk):
    """A QiSG meeting's agenda pack (improvement.board.agenda), drawn again when the data change."""
    stamp = page_stamp()  # first, before the data (improvement.core.stamp)
    meeting = _qisg_meeting(pk)
    html = cached(f"pack:{meeting.pk}:{meeting.date}", partial(_pack_html, meeting), stamp)
    return render(request, "board/meeting_pack.html", {"meeting": meeting, "pack_html": mark_safe(html)})


@require_safe
@allowed(*PACK_PERMISSIONS)
def meeting_pack_pdf(request, pk):
    stamp = page_stamp()
    meeting = _qisg_meeting(pk)
    base_url = request.build_absolute_uri("/")
    try:
        pdf = cached(f"pack-pdf:{meeting.pk}:{meeting.date}", lambda: _printing(lambda: render_pdf(
            _printable(meeting.strategy, f"Agenda pack: {meeting}", _pack_html(meeting)), base_url=base_url)), stamp)
    except (PlaywrightError, PaperBusy):  # Chromium missing, crashed or too slow, or printing already: say so
        return unavailable(10)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="qisg-agenda-pack-{meeting.date:%Y-%m-%d}.pdf"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@allowed()
def reminder_preferences(request):
    """Which reminders this user is sent by email (linked from every email)."""
    preference, _ = ReminderPreference.objects.get_or_create(user=request.user)
    form = ReminderPreferenceForm(request.POST if request.method == "POST" else None, instance=preference)  # all unticked: empty
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your reminder choices are saved.")
        return redirect("reminder_preferences")
    return render(request, "board/reminder_preferences.html", {"form": form, "email": request.user.email})


# ------------------------------------------------------------------------------------------------- strategy file

STRATEGY_FILE_PERMS = ("goals.add_strategy", "goals.change_strategy", "goals.add_goal", "goals.change_goal")  # site admins


@require_http_methods(["GET", "HEAD", "POST"])
@allowed(*STRATEGY_FILE_PERMS)
def strategy_file(request):
    """Upload a strategy file: checked whole and previewed (nothing written), then loaded on confirm; or refused with
    every problem by its line. The checked text travels back with the confirm and is checked again there."""
    context = {"form": StrategyFileForm(), "current": Strategy.objects.current()}
    if request.method == "POST":
        if "content" in request.POST:
            data, filename = request.POST["content"], request.POST.get("filename", "")
        else:
            form = StrategyFileForm(request.POST, request.FILES)
            context["form"] = form
            data = filename = None
            if form.is_valid():
                data, filename = form.cleaned_data["file"].read(), form.cleaned_data["file"].name
        if data is not None:
            confirm = "content" in request.POST
            try:
                result = strategyfile.load(data, preview=not confirm)
            except FileRefused as refused:
                context.update(problems=refused.problems, filename=filename)
            else:
                if confirm:
                    messages.success(request, f"Loaded {filename or 'the strategy file'}: {result.strategy.name}.")
                    return redirect("goals:overview")
                text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
                context.update(result=result, lines=strategyfile.describe(result.changes), content=text, filename=filename)
    name = "board/strategy_file.html#strategy-file-panel" if wants_fragment(request) else "board/strategy_file.html"
    return render(request, name, context)


@require_safe
@allowed(*STRATEGY_FILE_PERMS)
def strategy_file_export(request):
    """The current strategy as its file, to edit and load again (or to start another trust's from)."""
    strategy = current_strategy_or_404()
    response = HttpResponse(strategyfile.export_text(strategy), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(strategy.name)}.yaml"'
    return response
