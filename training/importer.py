"""CSV import of training records and course feedback: parse → validate → plan → apply, all or nothing.

One module for the Training page and for the `import_training` / `import_feedback` commands. The file
arrives as an iterable of byte chunks and is read as a stream (never whole into memory); what is kept is
one small entry per learner and per completion, never the file. Database work is in bulk: a few queries per
thousand rows to plan, bulk inserts and updates to apply, in one transaction.

The rules, as the page states them:
- a .csv or an .xlsx (its first sheet), read by improvement.core.tabular, the one reader of tables;
- a header row names the columns, in any order (`TRAINING_COLUMNS`, `FEEDBACK_COLUMNS`); other columns are
  ignored; row numbers are the spreadsheet's (the header is row 1);
- a CSV is UTF-8 text (with or without the byte-order mark Excel writes); at most `MAX_BYTES` and `MAX_ROWS`;
- dates as YYYY-MM-DD or DD/MM/YYYY, real, and not in the future (a leaving date may be: a planned
  leaver counts as current staff until that day);
- a cell starting with = + - or @ is refused: a spreadsheet could run it as a formula;
- rows for the same staff number must agree on the person (name, staff group, unit, leaving date); a
  row repeated exactly is skipped, as is a completion already imported;
- a later file updates a person's details; a leaving date marks a leaver (history is kept), and an empty
  leaving date never clears one (an older export must not bring a leaver back);
- any bad row and nothing is written.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction

from improvement.core import tabular
from improvement.core.stamp import written
from improvement.core.tabular import FileRejected

from . import stored
from .models import Answer, Completion, Course, FeedbackResponse, ImportRun, Learner, StaffGroup, Unit

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: about 250,000 training rows
MAX_ROWS = 250_000
MAX_ERRORS_LISTED = 500  # every bad row is counted; the first 500 are listed
FORMULA_STARTS = tabular.FORMULA_STARTS
BATCH = 2000

TRAINING_COLUMNS = ["staff_number", "name", "staff_group", "unit", "course", "completed_on", "left_on"]
TRAINING_OPTIONAL = {"unit", "left_on"}
FEEDBACK_COLUMNS = ["response_id", "course", "responded_on", "answer"]
FEEDBACK_OPTIONAL = set()

size_text = tabular.size_text


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class Report:
    """What a check or an import found: the counts it would write (or wrote), or why it cannot."""

    kind: str
    rows: int = 0
    counts: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    error_count: int = 0
    file_error: str = ""
    applied: bool = False
    new_units: list = field(default_factory=list)  # names of the units the file would create
    _row: int = field(default=0, repr=False)
    _row_columns: set = field(default_factory=set, repr=False)

    @property
    def ok(self):
        return not self.file_error and not self.error_count

    @property
    def errors_not_listed(self):
        return self.error_count - len(self.errors)

    def add_error(self, row, column, value, reason):
        """Record a problem; a cell's first problem is its only one (a formula cell is not also "unknown")."""
        if row != self._row:
            self._row, self._row_columns = row, set()
        if column in self._row_columns:
            return
        self._row_columns.add(column)
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append(RowError(row, column, _shown(value), reason))


def _shown(value):
    return value if len(value) <= 60 else value[:57] + "\u2026"


# ---------------------------------------------------------------------------------------------- parse


def _records(chunks, limit):
    """(row number, cells) for each record of the .csv or .xlsx, the header first (row 1). Raises FileRejected."""
    return tabular.read_upload(chunks, limit)


def _header(cells, columns, optional):
    names = [re.sub(r"[\s-]+", "_", cell.strip().lower()) for cell in cells]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise FileRejected(f"The header row names a column more than once: {', '.join(repeated)}.")
    missing = [column for column in columns if column not in names and column not in optional]
    if missing:
        found = ", ".join(name for name in names if name) or "nothing"
        raise FileRejected(
            f"The header row must name the columns {', '.join(columns)}. Missing: {', '.join(missing)} "
            f"(found: {found}). Is this the right file?"
        )
    return {column: names.index(column) for column in columns if column in names}


def _rows(chunks, report, columns, optional, limit):
    """Each data row as {column: stripped text}, with its row number; blank rows are skipped."""
    records = _records(chunks, limit)
    first = next(records, None)
    if first is None:
        raise FileRejected("The file is empty. It needs a header row and at least one row of records.")
    positions = _header(first[1], columns, optional)
    width = len(first[1])
    for row, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        report.rows += 1
        if report.rows > MAX_ROWS:
            raise FileRejected(f"The file has more than {MAX_ROWS:,} rows, the most one import accepts. Split it into smaller files.")
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            report.add_error(row, "", "", f"The row has {len(cells)} cells but the header names {width} columns.")
            continue
        values = {column: (cells[i].strip() if i < len(cells) else "") for column, i in positions.items()}
        for column in optional:
            values.setdefault(column, "")
        yield row, values
    if report.rows == 0:
        raise FileRejected("The file has a header row but no records below it.")


# ------------------------------------------------------------------------------------------- validate


class _Cells:
    """Checks the cells of one row, recording each problem against its row and column."""

    def __init__(self, report, today):
        self.report = report
        self.today = today
        self._dates = {}

    def formula_free(self, row, values):
        for column, value in values.items():
            if value.startswith(FORMULA_STARTS):
                self.report.add_error(
                    row, column, value,
                    f"Starts with \u201c{value[0]}\u201d, so a spreadsheet could run it as a formula: it is refused. "
                    "Remove that first character (or the formula) and export again.",
                )

    def required(self, row, column, value, label, max_length):
        if not value:
            self.report.add_error(row, column, value, f"Missing {label}.")
            return None
        if len(value) > max_length:
            self.report.add_error(row, column, value, f"Longer than {max_length} characters.")
            return None
        return value

    def date(self, row, column, value, label, *, required=True, future=False):
        if not value:
            if required:
                self.report.add_error(row, column, value, f"Missing {label}.")
            return None
        if value not in self._dates:
            self._dates[value] = _parse_date(value)
        day, problem = self._dates[value]
        if not problem and day > self.today and not future:
            problem = f"In the future: a {label} after today ({self.today:%d/%m/%Y}) cannot be recorded yet."
        if problem:
            self.report.add_error(row, column, value, problem)
            return None
        return day

    def choice(self, row, column, value, lookup, label, known):
        found = lookup.get(_key(value))
        if found is None:
            if not value:
                self.report.add_error(row, column, value, f"Missing {label}.")
            elif not known:  # a new installation: its courses come from the strategy file (or Django admin)
                self.report.add_error(row, column, value, f"Unknown {label} \u201c{_shown(value)}\u201d: no {label} is set up "
                                                          "yet. A site administrator adds them from the strategy file or in Django admin.")
            else:
                self.report.add_error(row, column, value, f"Unknown {label} \u201c{_shown(value)}\u201d. Use one of: {known}.")
        return found


def _parse_date(value):
    """(date, None) or (None, reason)."""
    day, problem = tabular.parse_date(value)
    return day, problem and f"{problem}."


def _key(text):
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def _labels(choices):
    lookup = {}
    for value, label in choices:
        lookup[_key(label)] = value
        lookup[_key(value)] = value
        lookup[_key(value.replace("_", " "))] = value
    return lookup


STAFF_GROUPS = _labels(StaffGroup.choices)
ANSWERS = {**_labels(Answer.choices), "neither": Answer.NEITHER, "dont know": Answer.DONT_KNOW}


def _courses():
    courses = list(Course.objects.order_by("name"))
    return {_key(c.name): c.pk for c in courses}, ", ".join(c.name for c in courses)


def _in_batches(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ------------------------------------------------------------------------------------- training records


@dataclass
class _Person:
    name: str
    staff_group: str
    unit: str
    left_on: datetime.date | None
    row: int


PERSON_COLUMNS = [("name", "name"), ("staff_group", "staff group"), ("unit", "unit"), ("left_on", "leaving date")]


class TrainingPlan:
    """A checked file of training records and what importing it would change."""

    kind = "training"

    def __init__(self, chunks, today=None):
        self.report = Report(kind=self.kind)
        self.today = today or datetime.date.today()
        self.people = {}  # staff number -> _Person
        self.completions = set()  # (staff number, course id, date)
        self._read(chunks)
        if self.report.ok:
            self._plan()

    def _read(self, chunks):
        report, cells = self.report, _Cells(self.report, self.today)
        courses, course_names = _courses()
        group_names = ", ".join(StaffGroup.labels)
        duplicates = 0
        try:
            for row, values in _rows(chunks, report, TRAINING_COLUMNS, TRAINING_OPTIONAL, MAX_BYTES):
                errors_before = report.error_count
                cells.formula_free(row, values)
                staff_number = cells.required(row, "staff_number", values["staff_number"], "staff number", 30)
                name = cells.required(row, "name", values["name"], "name", 200)
                group = cells.choice(row, "staff_group", values["staff_group"], STAFF_GROUPS, "staff group", group_names)
                unit = values["unit"]
                if len(unit) > 200:
                    report.add_error(row, "unit", unit, "Longer than 200 characters.")
                course = cells.choice(row, "course", values["course"], courses, "course", course_names)
                completed_on = cells.date(row, "completed_on", values["completed_on"], "completion date")
                left_on = cells.date(row, "left_on", values["left_on"], "leaving date", required=False, future=True)
                if left_on and completed_on and left_on < completed_on:
                    report.add_error(row, "left_on", values["left_on"], "The leaving date is before the completion date.")
                if report.error_count > errors_before:
                    continue
                person = _Person(name, group, " ".join(unit.split()), left_on, row)
                known = self.people.setdefault(staff_number, person)
                if known is not person and not self._agrees(row, staff_number, known, person, values):
                    continue
                key = (staff_number, course, completed_on)
                if key in self.completions:
                    duplicates += 1
                else:
                    self.completions.add(key)
        except FileRejected as rejected:
            report.file_error = str(rejected)
        self.duplicates_in_file = duplicates

    def _agrees(self, row, staff_number, known, person, values):
        for attr, label in PERSON_COLUMNS:
            if getattr(known, attr) != getattr(person, attr):
                self.report.add_error(
                    row, attr, values[attr],
                    f"Row {known.row} gives staff number {staff_number} a different {label} "
                    f"(\u201c{_shown(str(getattr(known, attr) or ''))}\u201d): rows for one person must agree.",
                )
                return False
        return True

    def _plan(self):
        units = dict(Unit.objects.values_list("name", "pk"))
        self.new_units = sorted({p.unit for p in self.people.values() if p.unit and p.unit not in units})
        existing = {}
        for batch in _in_batches(self.people):
            for pk, number, name, group, unit, left_on in Learner.objects.filter(staff_number__in=batch).values_list(
                "pk", "staff_number", "name", "staff_group", "unit__name", "left_on"
            ):
                existing[number] = (pk, name, group, unit or "", left_on)
        self.existing = existing
        self.new_learners = [n for n in self.people if n not in existing]
        self.changed, self.leavers = [], []
        for number, (pk, name, group, unit, left_on) in existing.items():
            person = self.people[number]
            if (person.name, person.staff_group, person.unit) != (name, group, unit):
                self.changed.append(number)
            if person.left_on and person.left_on != left_on:
                self.leavers.append(number)
        known_completions = set()
        for batch in _in_batches(existing):
            known_completions.update(
                Completion.objects.filter(learner__staff_number__in=batch).values_list(
                    "learner__staff_number", "course_id", "completed_on"
                )
            )
        self.new_completions = self.completions - known_completions
        self.report.counts = {
            "Rows read": self.report.rows,
            "New learners": len(self.new_learners),
            "Learners whose details change": len(self.changed),
            "Leavers marked (their records are kept)": len(self.leavers),
            "New completions": len(self.new_completions),
            "Duplicates skipped (already imported, or repeated in the file)": self.report.rows - len(self.new_completions),
            "New units": len(self.new_units),
        }
        self.report.new_units = self.new_units

    def unanswered(self, clinical):
        """The new units `clinical` (name -> whether it is a clinical service unit) says nothing about."""
        return [name for name in self.new_units if name not in clinical]

    def apply(self, clinical=None):
        """Write the plan; `clinical` says which new units are clinical service units (None: all of them)."""
        Unit.objects.bulk_create([Unit(name=name, is_clinical=True if clinical is None else clinical[name]) for name in self.new_units],
                                 ignore_conflicts=True, batch_size=BATCH)
        written(Unit, "created", len(self.new_units))
        units = dict(Unit.objects.values_list("name", "pk"))

        def learner(number, pk=None):
            person = self.people[number]
            left_on = person.left_on or (self.existing[number][4] if number in self.existing else None)
            return Learner(
                pk=pk, staff_number=number, name=person.name, staff_group=person.staff_group,
                unit_id=units.get(person.unit), left_on=left_on,
            )

        Learner.objects.bulk_create([learner(n) for n in self.new_learners], batch_size=BATCH, ignore_conflicts=True)
        written(Learner, "created", len(self.new_learners))
        to_update = sorted(set(self.changed) | set(self.leavers))
        Learner.objects.bulk_update(
            [learner(n, pk=self.existing[n][0]) for n in to_update], ["name", "staff_group", "unit", "left_on"], batch_size=500
        )
        written(Learner, "changed", len(to_update))
        ids = dict(self.existing_ids())
        Completion.objects.bulk_create(
            (Completion(learner_id=ids[number], course_id=course, completed_on=day) for number, course, day in sorted(self.new_completions, key=_completion_order)),
            batch_size=BATCH, ignore_conflicts=True,
        )
        written(Completion, "created", len(self.new_completions))
        self.report.applied = True

    @property
    def added(self):
        return len(self.new_completions)

    def existing_ids(self):
        wanted = {number for number, _, _ in self.new_completions}
        for batch in _in_batches(wanted):
            yield from Learner.objects.filter(staff_number__in=batch).values_list("staff_number", "pk")


def _completion_order(key):
    number, course, day = key
    return (day, number, course)


# ----------------------------------------------------------------------------------------- feedback


class FeedbackPlan:
    """A checked file of course feedback ("how likely are you to recommend this training?")."""

    kind = "feedback"

    def __init__(self, chunks, today=None):
        self.report = Report(kind=self.kind)
        self.today = today or datetime.date.today()
        self.responses = {}  # response id -> (course id, date, answer, row)
        self._read(chunks)
        if self.report.ok:
            self._plan()

    def _read(self, chunks):
        report, cells = self.report, _Cells(self.report, self.today)
        courses, course_names = _courses()
        answer_names = ", ".join(Answer.labels)
        try:
            for row, values in _rows(chunks, report, FEEDBACK_COLUMNS, FEEDBACK_OPTIONAL, MAX_BYTES):
                errors_before = report.error_count
                cells.formula_free(row, values)
                response_id = cells.required(row, "response_id", values["response_id"], "response id", 64)
                course = cells.choice(row, "course", values["course"], courses, "course", course_names)
                day = cells.date(row, "responded_on", values["responded_on"], "response date")
                answer = cells.choice(row, "answer", values["answer"], ANSWERS, "answer", answer_names)
                if report.error_count > errors_before:
                    continue
                known = self.responses.setdefault(response_id, (course, day, answer, row))
                if known[:3] != (course, day, answer):
                    report.add_error(
                        row, "response_id", response_id,
                        f"Row {known[3]} has the same response id with a different course, date or answer.",
                    )
        except FileRejected as rejected:
            report.file_error = str(rejected)

    def _plan(self):
        known = set()
        for batch in _in_batches(self.responses):
            known.update(FeedbackResponse.objects.filter(response_id__in=batch).values_list("response_id", flat=True))
        self.new_responses = [rid for rid in self.responses if rid not in known]
        self.report.counts = {
            "Rows read": self.report.rows,
            "New responses": len(self.new_responses),
            "Duplicates skipped (already imported, or repeated in the file)": self.report.rows - len(self.new_responses),
        }

    def unanswered(self, clinical):
        return []  # feedback names no units

    def apply(self, clinical=None):
        FeedbackResponse.objects.bulk_create(
            (FeedbackResponse(response_id=rid, course_id=self.responses[rid][0], responded_on=self.responses[rid][1],
                              answer=self.responses[rid][2]) for rid in self.new_responses),
            batch_size=BATCH, ignore_conflicts=True,
        )
        written(FeedbackResponse, "created", len(self.new_responses))
        self.report.applied = True

    @property
    def added(self):
        return len(self.new_responses)


PLANS = {"training": TrainingPlan, "feedback": FeedbackPlan}


def check(kind, chunks, today=None):
    """Parse, validate and plan: the preview. Writes nothing."""
    return PLANS[kind](chunks, today).report


def import_file(kind, chunks, today=None, clinical=None):
    """Parse, validate, plan and, if every row is good, apply: in one transaction, all or nothing.

    Training records: `clinical` maps each new unit's name to whether it is a clinical service unit, as QiSG
    answered at the preview; a new unit it does not name stops the import. None: every new unit is one (the demo).
    """
    with transaction.atomic():
        plan = PLANS[kind](chunks, today)
        unanswered = plan.unanswered(clinical) if plan.report.ok and clinical is not None else []
        if unanswered:
            plan.report.file_error = (
                f"Say whether {_names(unanswered)} {'is a clinical service unit' if len(unanswered) == 1 else 'are clinical service units'} "
                "(each one): nothing was imported."
            )
        elif plan.report.ok:
            plan.apply(clinical)
            ImportRun.objects.create(kind=kind, imported_on=plan.today, rows=plan.report.rows, added=plan.added)
            stored.store()  # the figures commit with the records (training.stored)
    return plan.report


def _names(names):
    quoted = [f"\u201c{name}\u201d" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def file_chunks(path, size=64 * 1024):
    """A file on disk as byte chunks (for the management commands)."""
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk
