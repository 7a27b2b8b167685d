import datetime

import pytest

from goals.strategy.forms import EvidenceForm, ProgressUpdateForm

from ..factories import AmbitionFactory, GoalFactory


def evidence_data(**overrides):
    return {"kind": "event", "date": "2023-03-15", "title": "Open day", "summary": "We opened our doors.", "link": "", "ambition": "", **overrides}


def test_evidence_with_every_required_field_is_valid(goal):
    assert EvidenceForm(evidence_data(), goal=goal).is_valid()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "Enter a title"),
        ("summary", "", "Enter a summary of what happened"),
        ("kind", "", "Select the kind of evidence"),
        ("kind", "gossip", "Select a valid choice"),
        ("date", "", "Enter the date it happened"),
        ("date", "2023-02-30", "Enter a real date"),
        ("date", "30/02/2023", "Enter a real date, for example 19/11/2023"),
        ("link", "javascript:alert(1)", "Enter a web address starting with http:// or https://"),
        ("link", "ftp://example.org/file", "Enter a web address starting with http:// or https://"),
    ],
)
def test_bad_evidence_is_rejected_with_a_message_for_the_field(goal, field, value, message):
    form = EvidenceForm(evidence_data(**{field: value}), goal=goal)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_evidence_cannot_be_dated_in_the_future(goal):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    form = EvidenceForm(evidence_data(date=tomorrow.isoformat()), goal=goal)
    assert form.errors["date"] == ["The date it happened must be today or in the past"]


def test_evidence_can_only_name_an_ambition_of_its_own_goal(goal):
    other_goal_ambition = AmbitionFactory(goal=GoalFactory(number=4))
    own = AmbitionFactory(goal=goal)
    assert EvidenceForm(evidence_data(ambition=own.pk), goal=goal).is_valid()
    form = EvidenceForm(evidence_data(ambition=other_goal_ambition.pk), goal=goal)
    assert "ambition" in form.errors


def test_an_invalid_field_is_marked_for_assistive_technology(goal):
    form = EvidenceForm(evidence_data(title=""), goal=goal)
    form.is_valid()
    html = str(form["title"].as_field_group())
    assert 'aria-describedby="id_title-error"' in html
    assert "nhsuk-input--error" in html
    assert "nhsuk-form-group--error" in html


def update_data(**overrides):
    return {
        "status": "on_track", "period_start": "2022-11-01", "period_end": "2023-10-31",
        "narrative": "Going well.", "next_steps": "", "ambition": "", "published_on": "2023-11-19", **overrides,
    }


def test_an_update_period_must_not_end_before_it_starts(goal):
    form = ProgressUpdateForm(update_data(period_end="2022-10-01"), goal=goal)
    assert form.errors["period_end"] == ["The period must end on or after the day it starts"]


def test_an_update_needs_a_status_and_a_narrative(goal):
    form = ProgressUpdateForm(update_data(status="", narrative=""), goal=goal)
    assert form.errors["status"] == ["Select a status"]
    assert form.errors["narrative"] == ["Enter the narrative: what happened and why this status"]


def test_dates_are_typed_the_uk_way_or_as_iso(goal):
    for typed in ["05/10/2023", "2023-10-05"]:
        form = EvidenceForm(evidence_data(date=typed), goal=goal)
        assert form.is_valid() and form.cleaned_data["date"] == datetime.date(2023, 10, 5)
    assert 'value="05/10/2023"' in str(EvidenceForm(initial={"date": datetime.date(2023, 10, 5)}, goal=goal)["date"])
