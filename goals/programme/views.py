"""Views of the improvement programme: collaboratives, events and Lean events (goals 1, 4, 6 and 7 of the demo)."""

import datetime
from itertools import groupby

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from goals.strategy.current import current_strategy_or_404
from improvement.core.forms import Refused
from improvement.core.htmx import save_page, wants_fragment
from improvement.core.periods import Period
from improvement.core.roles import allowed
from improvement.core.words import counted

from . import rollup as programme
from .charts import waste_figure
from .forms import CollaborativeForm, CollaborativeMemberForm, EventForm, LeanEventForm, LeanRemeasureForm, StepDownForm
from .models import Checkpoint, Collaborative, Event, EventKind, LeanEvent


@require_safe
@allowed("goals.view_collaborative")
def collaborative_list(request):
    strategy = current_strategy_or_404()
    period = strategy.period_asked(request.GET.get("year", ""))
    portfolio = programme.portfolio(Collaborative.objects.select_related("goal"), period)
    return render(request, "goals/collaborative_list.html", {
        "period": period, "year_choices": strategy.year_choices(),
        "active": portfolio.active, "stepped_down": portfolio.stepped_down, "started": portfolio.started,
    })


@require_safe
@allowed("goals.view_collaborative")
def collaborative_detail(request, pk):
    collaborative = get_object_or_404(Collaborative.objects.select_related("goal"), pk=pk)
    return render(request, "goals/collaborative_detail.html", {
        "collaborative": collaborative, "goal": collaborative.goal,
        "members": collaborative.members.all(), "measures": collaborative.measures.all(),
        "events": collaborative.events.all(), "evidence": collaborative.evidence.select_related("goal", "ambition").order_by("-date"),
        "member_form": CollaborativeMemberForm(),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_collaborative", "goals.add_collaborative")
@transaction.atomic
def collaborative_new(request):
    form = CollaborativeForm(request.POST or None)
    return save_page(
        request, form=form, template="goals/programme_form.html",
        context={"heading": "New QI collaborative", "back": reverse("goals:collaborative_list")}, save=form.save_once,
        message=lambda saved: f"Collaborative “{saved}” recorded.", redirect_to=_collaborative_page,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_collaborative", "goals.change_collaborative")
@transaction.atomic
def collaborative_edit(request, pk):
    collaborative = get_object_or_404(Collaborative, pk=pk)
    return save_page(
        request, form=CollaborativeForm(request.POST or None, instance=collaborative), template="goals/programme_form.html",
        context={"heading": f"Edit {collaborative}", "back": reverse("goals:collaborative_detail", args=[pk])},
        message=lambda saved: f"Collaborative “{saved}” saved.", redirect_to=_collaborative_page,
    )


def _collaborative_page(collaborative):
    return reverse("goals:collaborative_detail", args=[collaborative.pk])


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_collaborative", "goals.change_collaborative")
@transaction.atomic
def collaborative_step_down(request, pk):
    collaborative = get_object_or_404(Collaborative, pk=pk)
    return save_page(
        request, form=StepDownForm(request.POST or None, instance=collaborative), template="goals/programme_form.html",
        context={"heading": f"Step down {collaborative}", "submit_label": "Step down",
                 "intro": "It stays in the portfolio's history, with the date and the reason.",
                 "back": reverse("goals:collaborative_detail", args=[pk])},
        message=lambda saved: f"“{saved}” stepped down on {saved.stepped_down_on:%d/%m/%Y}.", redirect_to=_collaborative_page,
    )


@require_POST
@allowed("goals.view_collaborative", "goals.add_collaborativemember")
@transaction.atomic
def member_add(request, pk):
    collaborative = get_object_or_404(Collaborative, pk=pk)
    form = CollaborativeMemberForm(request.POST, instance=None)
    form.instance.collaborative = collaborative
    if form.is_valid() and _saved_once(form):
        if wants_fragment(request):
            return render(request, "goals/collaborative_detail.html#members", {
                "collaborative": collaborative, "members": collaborative.members.all(), "member_form": CollaborativeMemberForm(),
            })
        messages.success(request, f"{form.instance.name} added.")
        return redirect("goals:collaborative_detail", pk)
    context = {"collaborative": collaborative, "members": collaborative.members.all(), "member_form": form}
    if wants_fragment(request):
        return render(request, "goals/collaborative_detail.html#members", context)
    return render(request, "goals/collaborative_detail.html", {
        **context, "goal": collaborative.goal, "measures": collaborative.measures.all(),
        "events": collaborative.events.all(), "evidence": collaborative.evidence.select_related("goal", "ambition").order_by("-date"),
    })


def _recorded(saved):
    """"Recorded 1 event" / "Recorded 27 events, 24 of them planned"."""
    planned = sum(event.is_planned for event in saved)
    said = f"Recorded {counted(len(saved), 'event')}"
    if planned:
        said += f", {planned} of them planned" if planned < len(saved) else (" (planned)" if len(saved) == 1 else ", all planned")
    return said


def _saved_once(form, create=None):
    try:
        return form.save_once(create)
    except Refused:
        return None


def _months(records):
    return [(month, list(items)) for month, items in groupby(records, key=lambda r: r.date.replace(day=1))]


@require_safe
@allowed("goals.view_event")
def event_list(request):
    strategy = current_strategy_or_404()
    period = strategy.period_asked(request.GET.get("year", ""))
    events = Event.objects.in_period(period).select_related("goal", "collaborative")
    return render(request, "goals/event_list.html", {
        "period": period, "year_choices": strategy.year_choices(), "months": _months(events),
        "counts": events.counts(), "kinds": EventKind.choices,
    })


def _event_summary(event):
    parts = [event.get_kind_display()]
    if event.attendance is not None:
        parts.append(f"attendance {event.attendance}")
    if event.reach:
        parts.append(f"{event.get_reach_display().lower()} conference")
    if event.award_outcome:
        parts.append(event.get_award_outcome_display().lower())
    if event.organisations:
        parts.append("organisations attending: " + ", ".join(event.organisations))
    return "; ".join(parts) + "."


EVENT_FIELDS = ["kind", "title", "goal_id", "attendance", "organisations_attending", "reach", "award_outcome",
                "collaborative_id"]


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_event", "goals.add_event")
def event_new(request):
    strategy = current_strategy_or_404()
    form = EventForm(request.POST or None, initial={"goal": _last_goal(strategy, Event)})
    saved = None
    if request.method == "POST" and form.is_valid():

        def create():
            first = form.save(commit=False)
            until = form.cleaned_data.get("repeat_until")
            dates = programme.fortnightly(first.date, until) if until else [first.date]
            saved = []
            for day in dates:
                # What was typed (attendance, organisations) is the first surgery's; the others are planned and have
                # none until someone records theirs.
                event = Event(**{f: getattr(first, f) for f in EVENT_FIELDS}, date=day)
                if day != first.date:
                    event.attendance, event.organisations_attending = None, ""
                saved.append(programme.save_with_evidence(
                    event, on_timeline=form.cleaned_data["on_timeline"] and not event.is_planned,
                    summary=_event_summary(event)))
            return saved

        with transaction.atomic():
            saved = _saved_once(form, create)
        if saved is not None and not isinstance(saved, list):  # posted again: the first event the first post recorded
            saved = [saved]
    if saved is not None:
        first = saved[0]
        if wants_fragment(request):
            response = render(request, "goals/event_list.html#event-saved", {"saved": saved, "recorded": _recorded(saved)})
            response["HX-Trigger"] = "eventsChanged"  # the calendar on the page reloads itself
            return response
        messages.success(request, f"{_recorded(saved)}.")
        return redirect(f"{reverse('goals:event_list')}?year={strategy.year_of(first.date) or 1}")
    if wants_fragment(request):
        return render(request, "goals/event_list.html#event-form", {"form": form})
    return render(request, "goals/programme_form.html", {"form": form, "heading": "Record an event",
                                                         "back": reverse("goals:event_list")})


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_event", "goals.change_event")
@transaction.atomic
def event_edit(request, pk):
    event = get_object_or_404(Event.objects.select_related("evidence"), pk=pk)
    form = EventForm(request.POST or None, instance=event, initial={"on_timeline": event.evidence_id is not None})
    return save_page(
        request, form=form, template="goals/programme_form.html",
        context={"heading": f"Edit {event}", "back": reverse("goals:event_list")},
        save=lambda: programme.save_with_evidence(form.save(commit=False), on_timeline=form.cleaned_data["on_timeline"],
                                                  summary=_event_summary(form.instance)),
        message=lambda _: f"“{event}” saved.", redirect_to=lambda _: reverse("goals:event_list"),
    )


@require_safe
@allowed("goals.view_leanevent")
def waste_list(request):
    strategy = current_strategy_or_404()
    period = strategy.period_asked(request.GET.get("year", ""))
    in_period = LeanEvent.objects.in_period(period).prefetch_related("remeasures__checked_by")
    to_date = LeanEvent.objects.in_period(Period(None, strategy.start_date, period.as_at()))
    by_year = programme.waste_by_year(strategy)
    return render(request, "goals/waste_list.html", {
        "period": period, "year_choices": strategy.year_choices(), "lean_events": in_period,
        "totals": in_period.totals(period.as_at()), "totals_to_date": to_date.totals(period.as_at()),
        "by_year": by_year,
        "figure": waste_figure(by_year),
    })


def _lean_summary(lean):
    return (f"{lean.get_kind_display()} in {lean.unit}: released {lean.hours_released_per_year} staff hours and "
            f"£{lean.money_released_per_year} a year; {lean.steps_removed} steps and {lean.days_removed} days removed. "
            f"Measured: {lean.how_measured}")


def _last_goal(strategy, model):
    """The goal a new record of `model` is most likely for: that of the newest one recorded (None before the first)."""
    return strategy.goals.filter(pk__in=model.objects.order_by("-date", "-pk").values("goal")[:1]).first()


@transaction.atomic
def _lean_form_view(request, instance, heading):
    strategy = current_strategy_or_404()
    form = LeanEventForm(request.POST or None, instance=instance,
                         initial={"goal": _last_goal(strategy, LeanEvent),
                                  "on_timeline": instance is None or instance.evidence_id is not None})
    return save_page(
        request, form=form, template="goals/programme_form.html",
        context={"heading": heading, "back": reverse("goals:waste_list")},
        save=lambda: form.save_once(lambda: programme.save_with_evidence(
            form.save(commit=False), on_timeline=form.cleaned_data["on_timeline"], summary=_lean_summary(form.instance))),
        message=lambda lean: f"“{lean}” saved.",
        redirect_to=lambda lean: f"{reverse('goals:waste_list')}?year={strategy.year_of(lean.date) or 1}",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_leanevent", "goals.add_leanevent")
def lean_new(request):
    return _lean_form_view(request, None, "Record a Lean event")


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_leanevent", "goals.change_leanevent")
def lean_edit(request, pk):
    lean = get_object_or_404(LeanEvent, pk=pk)
    return _lean_form_view(request, lean, f"Edit {lean}")


@require_http_methods(["GET", "HEAD", "POST"])
@allowed("goals.view_leanevent", "goals.add_leanremeasure")
@transaction.atomic
def lean_remeasure(request, pk):
    """Re-measure a Lean event (30, 60, 90 days, one year): what it still releases, whether it is sustained, who checked."""
    lean = get_object_or_404(LeanEvent, pk=pk)
    done = list(lean.remeasures.all())
    latest = done[-1] if done else None
    due = next((c for c in reversed(Checkpoint) if lean.checkpoint_date(c) <= datetime.date.today()), Checkpoint.DAYS_30)
    base = latest or lean
    form = LeanRemeasureForm(request.POST or None, lean_event=lean, initial={
        "checkpoint": due, "measured_on": datetime.date.today(), "hours_released_per_year": base.hours_released_per_year,
        "money_released_per_year": base.money_released_per_year, "steps_removed": base.steps_removed,
    })
    if request.method == "POST" and form.is_valid():
        remeasure = form.save(commit=False)
        remeasure.checked_by = request.user
        remeasure.save()
        messages.success(request, f"“{lean}” re-measured at {remeasure.get_checkpoint_display().lower()}.")
        return redirect(f"{reverse('goals:waste_list')}?year={current_strategy_or_404().year_of(lean.date) or 1}#lean-{lean.pk}")
    claimed = (f"It claimed {lean.hours_released_per_year:,.0f} staff hours and £{lean.money_released_per_year:,.0f} a year, "
               f"{lean.steps_removed} steps removed, on {lean.date:%d/%m/%Y}.")
    return render(request, "goals/programme_form.html", {
        "form": form, "heading": f"Re-measure {lean}", "submit_label": "Save the re-measure", "back": reverse("goals:waste_list"),
        "intro": claimed + (f" Last re-measured at {latest.get_checkpoint_display().lower()}." if latest else ""),
    })
