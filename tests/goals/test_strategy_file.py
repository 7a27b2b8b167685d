"""The strategy as a YAML file: load_strategy and export_strategy (all or nothing, each problem by its line)."""

import datetime
import io
import textwrap

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase

from goals.models import Ambition, EvidenceItem, Goal, Measure, Strategy
from goals.strategy.strategyfile import FileRefused
from improvement.board import strategyfile
from improvement.board.models import Meeting, StandingCommitment, StandingRisk
from training.models import Course, Unit

from ..helpers import seed_demo

MINIMUM = textwrap.dedent("""\
    organisation: Northfield and District NHS Foundation Trust
    strategy: {name: Northfield Quality Strategy 2025-30, starts: 2025-04-01, years: 5}
    goals:
      - number: 1
        title: Safer care every time
        ambitions:
          - title: Halve avoidable harm from falls
    """)


def load(text, **kwargs):
    return strategyfile.load(textwrap.dedent(text), **kwargs)


def refused(text):
    """The problems of a refused file, as 'line: message'."""
    with pytest.raises(FileRefused) as caught:
        strategyfile.load(textwrap.dedent(text) if isinstance(text, str) else text)
    return [str(p) for p in caught.value.problems]


def nothing_written():
    return not (Strategy.objects.exists() or Goal.objects.exists() or Ambition.objects.exists() or Measure.objects.exists())


def test_the_minimum_file_loads_a_strategy_with_its_goal_and_ambition(db):
    result = load(MINIMUM)
    strategy = Strategy.objects.get()
    assert (strategy.organisation, strategy.name, str(strategy.start_date), strategy.years) == (
        "Northfield and District NHS Foundation Trust", "Northfield Quality Strategy 2025-30", "2025-04-01", 5)
    goal = strategy.goals.get()
    assert (goal.number, goal.title, goal.intent, goal.executive_lead) == (1, "Safer care every time", "", "")
    assert [a.text for a in goal.ambitions.all()] == ["Halve avoidable harm from falls"]
    assert result.changes.created["goal"] == ["Goal 1: Safer care every time"]


def test_the_optional_parts_load_with_their_defaults(db):
    load(MINIMUM + textwrap.dedent("""\
          - number: 2
            title: Staff who can improve
            intent: Everyone has the skills their role needs.
            lead: Chief Nurse
            ambitions:
              - title: Train a third of staff
                measures:
                  - {name: Staff trained, unit: people, direction: up is better, target: 3000}
                  - Falls per 1000 bed days
        courses:
          - {name: Northfield Improvement Basics, kind: foundation}
        units: [Cardiology, {name: Estates, clinical: no}]
        annual_commitments: [Deliver our quality priorities]
        risk_appetite:
          - {level_1: Quality, level_2: Patient safety, appetite: minimal, impact: towards}
        meetings:
          - {kind: qisg, date: 2025-06-12}
        """))
    goal = Goal.objects.get(number=2)
    assert (goal.intent, goal.executive_lead) == ("Everyone has the skills their role needs.", "Chief Nurse")
    trained = Measure.objects.get(name="Staff trained")
    assert (trained.unit, trained.improvement_direction, trained.target, trained.frequency, trained.ambition.text) == (
        "people", "increase", 3000.0, "monthly", "Train a third of staff")
    falls = Measure.objects.get(name="Falls per 1000 bed days")
    assert (falls.unit, falls.improvement_direction) == ("number", "neutral")
    assert Course.objects.get(name="Northfield Improvement Basics").kind == "foundation"
    assert dict(Unit.objects.values_list("name", "is_clinical")) == {"Cardiology": True, "Estates": False}
    assert list(StandingCommitment.objects.values_list("text", flat=True)) == ["Deliver our quality priorities"]
    assert StandingRisk.objects.get().appetite == "minimal"
    meeting = Meeting.objects.get()
    assert (meeting.kind, str(meeting.date), meeting.year) == ("qisg", "2025-06-12", 1)


def test_loading_again_updates_by_number_and_name_and_never_duplicates(db):
    load(MINIMUM)
    result = load(MINIMUM.replace("Safer care every time", "Safer care, every time"))
    assert list(Goal.objects.values_list("number", "title")) == [(1, "Safer care, every time")]
    assert Ambition.objects.count() == 1 and Strategy.objects.count() == 1
    assert result.changes.updated == {"goal": ["Goal 1: Safer care, every time"]}
    assert load(MINIMUM.replace("Safer care every time", "Safer care, every time")).changes.nothing


def test_a_goal_with_evidence_left_out_of_the_file_is_kept(db, qisg_user):
    load(MINIMUM.replace("goals:", "goals:\n  - {number: 2, title: Kept goal}"))
    kept = Goal.objects.get(number=2)
    EvidenceItem.objects.create(goal=kept, kind="other", date="2025-05-01", title="A talk", summary="Given.")
    result = load(MINIMUM)
    assert Goal.objects.filter(number=2).exists() and EvidenceItem.objects.count() == 1
    assert result.changes.kept == ["Goal 2: Kept goal"]


def test_a_preview_says_what_would_change_and_writes_nothing(db):
    result = load(MINIMUM, preview=True)
    assert result.previewed and result.changes.created["ambition"] == ["Halve avoidable harm from falls"]
    assert nothing_written()


@pytest.mark.parametrize("text, problem", [
    ("""\
     organisation: Northfield
     strategy: {name: N 2025-30, starts: 2025-04-01}
     goals:
       - number: 1
         ambitions: [Halve falls]
     """, "Line 4: Goal 1 needs title:."),
    ("""\
     organisation: Northfield
     strategy:
       name: N 2025-30
       starts: 2025-04-01
       years: five
     goals:
       - {number: 1, title: Safer care}
     """, "Line 5: years: must be a whole number, not 'five'."),
    ("""\
     organisation: Northfield
     strategy: {name: N 2025-30, starts: 2025-04-01}
     goals:
       - {number: 1, title: Safer care}
       - {number: 1, title: Safer still}
     """, "Line 5: Goal 1 is given twice (also on line 4)."),
    ("""\
     organisation: Northfield
     strategy: {name: N 2025-30, starts: 2025-04-01}
     goals:
       - {number: 1, title: Safer care}
     ambitions:
       - {goal: 4, title: Halve falls}
     """, "Line 6: goal: 4 is not a goal of the file (it has goals 1)."),
    ("""\
     organisation: Northfield
     strategy: {name: N 2025-30, starts: 2025-04-01}
     goals:
       - number: 1
         title: [Safer care
     """, "Line 6: This is not YAML"),
    ("""\
     organisation: Northfield
     strategy: {name: N 2025-30, starts: 1 April 2025}
     goals:
       - {number: 1, title: Safer care, owner: Someone}
     """, "Line 2: starts: must be a date such as 2025-04-01, not '1 April 2025'."),
])
def test_a_bad_file_is_refused_by_its_line_and_nothing_is_written(db, text, problem):
    problems = refused(text)
    assert any(p.startswith(problem) for p in problems), problems
    assert nothing_written()


def test_every_problem_of_a_file_is_named_at_once(db):
    problems = refused("""\
        organisation: Northfield
        strategy: {name: N 2025-30, starts: 2025-04-01}
        goals:
          - {number: 1, title: Safer care, owner: Someone}
          - {number: 2}
        courses:
          - {name: Basics, kind: masterclass}
        """)
    assert problems == [
        "Line 4: owner: is not a key of a goal (it takes number, title, intent, lead, ambitions, measures).",
        "Line 5: Goal 2 needs title:.",
        "Line 7: kind: must be one of foundation, excellence_in, qi_teaching, facilitator, other, not 'masterclass'.",
    ]


def test_a_10_mb_file_is_refused_unread(db):
    assert refused(b"# " + b"x" * 10_000_000) == ["The file is 10.0 MB: a strategy file is at most 1 MB."]
    assert nothing_written()


def test_aliases_are_refused(db):
    problems = refused("""\
        organisation: &o Northfield
        strategy: {name: *o, starts: 2025-04-01}
        goals: [{number: 1, title: Safer care}]
        """)
    assert problems[0].startswith("Line 2: Anchors and aliases")


def test_the_commands_load_a_file_and_refuse_a_bad_one_by_its_line(db, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(MINIMUM)
    out = io.StringIO()
    call_command("load_strategy", str(good), stdout=out)
    assert "Northfield Quality Strategy 2025-30 loaded." in out.getvalue()
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMUM.replace("number: 1", "number: one"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_strategy", str(bad), stderr=err)
    assert f"{bad}: Line 4: number: must be a whole number, not 'one'." in err.getvalue()
    exported = io.StringIO()
    call_command("export_strategy", stdout=exported)
    assert exported.getvalue().startswith("organisation: Northfield and District NHS Foundation Trust\n")


@pytest.mark.django_db(transaction=True)  # committed, so that the database can be emptied (PostgreSQL's TRUNCATE)
def test_the_demo_exported_loads_into_an_empty_database_and_exports_the_same():
    seed_demo()
    first = strategyfile.export_text(Strategy.objects.current())
    # the demo's file the first page offers as a template is the demo's export, kept in step
    assert (settings.BASE_DIR / "static" / "board" / "strategy-demo.yaml").read_text(encoding="utf-8") == first
    call_command("flush", interactive=False, verbosity=0)
    assert not Course.objects.exists()
    strategyfile.load(first)
    assert strategyfile.export_text(Strategy.objects.current()) == first
    assert Goal.objects.count() == 7 and Measure.objects.filter(on_dashboard=True).count() >= 7


def test_the_example_file_loads(db):
    result = strategyfile.load((settings.BASE_DIR / "static" / "board" / "strategy-example.yaml").read_bytes())
    assert result.strategy.organisation == "Northfield and District NHS Foundation Trust"
    assert list(Goal.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_the_next_strategy_loaded_ahead_becomes_current_on_its_start_date(db):
    load(MINIMUM)
    load(MINIMUM.replace("Northfield Quality Strategy 2025-30", "Northfield Quality Strategy 2030-35").replace("2025-04-01", "2030-04-01"))
    assert Strategy.objects.count() == 2
    assert Strategy.objects.current(datetime.date(2030, 3, 31)).name == "Northfield Quality Strategy 2025-30"
    assert Strategy.objects.current(datetime.date(2030, 4, 1)).name == "Northfield Quality Strategy 2030-35"
    assert Goal.objects.count() == 2  # each its own goal 1


def test_the_next_strategy_cannot_take_a_measure_of_the_one_before(db):
    with_measure = MINIMUM + "        measures: [Falls per 1000 bed days]\n"
    load(with_measure)
    problems = refused(with_measure.replace("2025-30", "2030-35").replace("2025-04-01", "2030-04-01"))
    assert problems == ["Line 8: The measure 'Falls per 1000 bed days' belongs to Northfield Quality Strategy 2025-30: "
                        "give this strategy's measure a name of its own."]
    assert Strategy.objects.count() == 1


def test_when_the_next_strategy_becomes_current_the_old_ones_papers_stay_readable_as_presented(client, make_user):
    from django.urls import reverse

    from improvement.board import papers

    from ..helpers import text_of

    load(MINIMUM.replace("2025-04-01", "2020-04-01").replace("2025-30", "2020-25"))
    old = Strategy.objects.get()
    presented = papers.present(papers.start(old, 1), "Trust Board", datetime.date(2021, 5, 27))
    load(MINIMUM.replace("Safer care every time", "Safer care, always"))  # 2025-30 has started: it is current
    assert Strategy.objects.current().name == "Northfield Quality Strategy 2025-30"
    client.force_login(make_user("board"))
    listed = text_of(client.get(reverse("reports")))
    assert "Northfield Quality Strategy 2020-25" in listed and reverse("earlier_report", args=[presented.pk]) in listed
    page = text_of(client.get(reverse("earlier_report", args=[presented.pk])))
    assert "Presented to Trust Board on 27 May 2021" in page and "Safer care every time" in page
    assert presented.frozen.html in page
    assert client.get(reverse("report", args=[1])).status_code == 200  # year 1 is now 2025-30's
    assert client.get(reverse("earlier_report", args=[999])).status_code == 404
