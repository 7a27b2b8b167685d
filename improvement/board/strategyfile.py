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

and what the trust calls each kind of meeting and how often it meets (any part left out keeps its default: QiSG
quarterly, QASG, QAC and the Trust Board yearly):

    meeting_kinds:
      qisg: {name: Quality Improvement Group (QIG), short_name: QIG, every_months: 2}
      trust_board: Board of Directors

The rows given replace the standing ones (they are the file's list, not records with evidence); meetings and the
names of their kinds are added or updated, never deleted (a paper may have been presented at one)."""

from goals.strategy import strategyfile
from improvement.core.words import counted
from goals.strategy.strategyfile import Section, update
from training import strategyfile as training_file

from .models import DEFAULT_COMMITTEES, Appetite, Committee, Impact, Meeting, MeetingKind, StandingCommitment, StandingRisk


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
    committees = _check_committees(doc, checker)
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
    return commitments, risks, committees, meetings, ("annual_commitments" in doc, "risk_appetite" in doc)


def _check_committees(doc, checker):
    """{kind: {name, short_name, every_months}} of `meeting_kinds:`; a kind given as text is its name and short name."""
    committees, names = {}, {}
    if "meeting_kinds" not in doc:
        return committees
    given = checker.mapping(doc["meeting_kinds"], doc.line_of("meeting_kinds"), "meeting_kinds:")
    for kind in given or {}:
        line = given.line_of(kind)
        if kind not in MeetingKind.values:
            checker.problem(line, f"{kind}: is not a kind of meeting (the kinds are {', '.join(MeetingKind.values)}).")
            continue
        if isinstance(given[kind], str):
            name = checker.text(given, kind, "meeting_kinds:", _f(Committee, "name"), required=True)
            values = {"name": name, "short_name": checker.field(_f(Committee, "short_name"), name, line, kind) if name else None}
        else:
            entry = checker.mapping(given[kind], line, f"meeting_kinds: {kind}")
            if entry is None:
                continue
            checker.unknown_keys(entry, ("name", "short_name", "every_months"), f"meeting_kinds: {kind}")
            values = {key: checker.text(entry, key, kind, _f(Committee, key)) for key in ("name", "short_name")}
            if entry.get("every_months") not in (None, ""):
                months = checker.number(entry, "every_months", kind)
                if months is not None and not 1 <= months <= 12:
                    checker.problem(entry.line_of("every_months"), "every_months: must be from 1 (monthly) to 12 (yearly).")
                    months = None
                values["every_months"] = months
        if None in values.values():
            continue
        values = {key: value for key, value in values.items() if value != ""}
        for word in {values.get("short_name"), values.get("name")} - {None}:
            if word.casefold() in names:
                checker.problem(line, f"'{word}' names two kinds of meeting (also on line {names[word.casefold()]}).")
            names[word.casefold()] = line
        committees[kind] = values
    return committees


def apply_board(spec, strategy, changes):
    commitments, risks, committees, meetings, given = spec
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
    standing = Committee.objects.by_kind()
    for kind, values in committees.items():
        committee = standing[kind]
        if committee.pk is None:  # a default until now: the file's parts over the default's
            standing[kind] = Committee.objects.create(**{**DEFAULT_COMMITTEES[kind], **values, "kind": kind})
            changes.note("name of a kind of meeting", standing[kind].name, True)
        else:
            changes.note("name of a kind of meeting", committee.name, False, update(committee, values))
    existing = {(m.kind, m.date): m for m in strategy.meetings.all()}
    for m in meetings:
        year = m["year"] or max(1, strategy.year_of(m["date"]))
        name = f"{standing[m['kind']].short_name}, {m['date']:%d %B %Y}"
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
    committees = {c.kind: {"name": c.name, "short_name": c.short_name, "every_months": c.every_months}
                  for c in Committee.objects.all()}
    if committees:
        doc["meeting_kinds"] = committees
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


SECTION = Section(keys=("annual_commitments", "risk_appetite", "meeting_kinds", "meetings"), check=check_board, apply=apply_board,
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
