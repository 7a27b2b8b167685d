"""The strategy file whole: goals' own part (goals.strategy.strategyfile) with training's and the board's sections.

The board's part: the annual commitments and risk appetite rows a strategy's first paper starts with, and its
meetings (QiSG, QASG, QAC, Trust Board), matched by kind and date:

    annual_commitments:
      - Deliver our quality priorities
    risk_appetite:
      - {level_1: Quality, level_2: Patient safety, appetite: minimal, impact: towards}
    meetings:
      - {kind: qisg, date: 2025-06-12}
      - {kind: trust_board, date: 2026-05-28, year: 1}

The rows given replace the standing ones (they are the file's list, not records with evidence); meetings are added
or updated, never deleted (a paper may have been presented at one)."""

from goals.strategy import strategyfile
from improvement.core.words import counted
from goals.strategy.strategyfile import Section, update
from training import strategyfile as training_file

from .models import Appetite, Impact, Meeting, MeetingKind, StandingCommitment, StandingRisk


def _f(model, name):
    return model._meta.get_field(name)


def check_board(doc, checker, strategy_spec):
    commitments = []
    for item, line in checker.items(doc, "annual_commitments", "annual_commitments:"):
        if not isinstance(item, str) or not item.strip():
            checker.problem(line, "Each annual commitment is a line of text.")
            continue
        text = checker.field(_f(StandingCommitment, "text"), item.strip(), line, "annual_commitments")
        if text:
            commitments.append(text)
    risks = []
    for item, line in checker.items(doc, "risk_appetite", "risk_appetite:"):
        risk = checker.mapping(item, line, "A risk appetite row")
        if risk is None:
            continue
        checker.unknown_keys(risk, ("level_1", "level_2", "appetite", "impact"), "a risk appetite row")
        row = {
            "level_1": checker.text(risk, "level_1", "A risk appetite row", _f(StandingRisk, "level_1"), required=True),
            "level_2": checker.text(risk, "level_2", "A risk appetite row", _f(StandingRisk, "level_2"), required=True),
            "appetite": checker.choice(risk, "appetite", Appetite, None),
            "impact": checker.choice(risk, "impact", Impact, Impact.NONE),
        }
        if row["appetite"] is None and "appetite" not in risk:
            checker.problem(line, f"A risk appetite row needs appetite: ({', '.join(Appetite.values)}).")
        if None not in row.values():
            risks.append(row)
    meetings, seen = [], {}
    for item, line in checker.items(doc, "meetings", "meetings:"):
        meeting = checker.mapping(item, line, "A meeting")
        if meeting is None:
            continue
        checker.unknown_keys(meeting, ("kind", "date", "year", "notes"), "a meeting")
        kind = checker.choice(meeting, "kind", MeetingKind, None)
        if kind is None and "kind" not in meeting:
            checker.problem(line, f"A meeting needs kind: ({', '.join(MeetingKind.values)}).")
        date = checker.date(meeting, "date", "A meeting", required=True)
        year = checker.number(meeting, "year", "A meeting")
        if year is not None and year < 1:
            checker.problem(meeting.line_of("year"), "year: must be 1 or more.")
            year = None
        notes = checker.text(meeting, "notes", "A meeting", _f(Meeting, "notes"))
        if kind and date:
            if (kind, date) in seen:
                checker.problem(line, f"This meeting is given twice (also on line {seen[kind, date]}).")
            else:
                seen[kind, date] = line
                meetings.append({"kind": kind, "date": date, "year": year, "notes": notes or ""})
    return commitments, risks, meetings, ("annual_commitments" in doc, "risk_appetite" in doc)


def apply_board(spec, strategy, changes):
    commitments, risks, meetings, given = spec
    if given[0] and [c.text for c in strategy.standing_commitments.all()] != commitments:
        strategy.standing_commitments.all().delete()
        for order, text in enumerate(commitments, start=1):
            StandingCommitment.objects.create(strategy=strategy, order=order, text=text)
            changes.note("annual commitment", text, True)
    fields = ("level_1", "level_2", "appetite", "impact")
    if given[1] and [{f: getattr(r, f) for f in fields} for r in strategy.standing_risks.all()] != risks:
        strategy.standing_risks.all().delete()
        for order, row in enumerate(risks, start=1):
            StandingRisk.objects.create(strategy=strategy, order=order, **row)
            changes.note("risk appetite row", f"{row['level_1']}: {row['level_2']}", True)
    existing = {(m.kind, m.date): m for m in strategy.meetings.all()}
    for m in meetings:
        year = m["year"] or max(1, strategy.year_of(m["date"]))
        name = f"{MeetingKind(m['kind']).label}, {m['date']:%d %B %Y}"
        meeting = existing.get((m["kind"], m["date"]))
        if meeting is None:
            Meeting.objects.create(strategy=strategy, kind=m["kind"], date=m["date"], year=year, notes=m["notes"])
            changes.note("meeting", name, True)
        else:
            changes.note("meeting", name, False, update(meeting, {"year": year, "notes": m["notes"]}))


def export_board(strategy):
    doc = {}
    commitments = list(strategy.standing_commitments.all()) or _newest_paper_rows(strategy, "commitments")
    if commitments:
        doc["annual_commitments"] = [c.text for c in commitments]
    risks = list(strategy.standing_risks.all()) or _newest_paper_rows(strategy, "risks")
    if risks:
        doc["risk_appetite"] = [{"level_1": r.level_1, "level_2": r.level_2, "appetite": r.appetite, "impact": r.impact}
                                for r in risks]
    meetings = []
    for m in strategy.meetings.order_by("date", "kind"):
        entry = {"kind": m.kind, "date": m.date, "year": m.year}
        if m.notes:
            entry["notes"] = m.notes
        meetings.append(entry)
    if meetings:
        doc["meetings"] = meetings
    return doc


def _newest_paper_rows(strategy, related):
    paper = strategy.board_reports.order_by("-year").first()
    return list(getattr(paper, related).all()) if paper else []


SECTION = Section(keys=("annual_commitments", "risk_appetite", "meetings"), check=check_board, apply=apply_board,
                  export=export_board)
SECTIONS = [training_file.SECTION, SECTION]


def load(data, *, preview=False):
    """Load the whole file (goals.strategy.strategyfile.load with every section)."""
    return strategyfile.load(data, SECTIONS, preview=preview)


def export(strategy):
    return strategyfile.export(strategy, SECTIONS)


def export_text(strategy):
    return strategyfile.dump(export(strategy))


def describe(changes):
    """Lines saying what a load did (or, previewed, would do)."""
    lines = []
    for word, groups in (("new", changes.created), ("changed", changes.updated)):
        for kind, names in groups.items():
            lines.append(f"{counted(len(names), kind)} {word}: {'; '.join(names)}")
    lines += [f"Kept as it is (in the database, not in the file): {name}" for name in changes.kept]
    return lines or ["Nothing to change: the installation already holds this file."]
