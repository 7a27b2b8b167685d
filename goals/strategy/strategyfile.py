"""A strategy as a YAML file: read with the line of every value, checked whole, loaded all or nothing, written back.

The file's top level holds `organisation`, `strategy` and `goals` (this module's own section), and the sections of
the apps above goals (training's courses and units, the board's commitments, risks and meetings), each a `Section`
handed in by whoever composes the list (improvement.board.strategyfile), so that goals imports none of them.

Loading matches what is there by goal number and by names (an ambition by its title within its goal, a measure by
its name) and updates it; it never deletes: a goal or ambition that is in the database but not in the file is kept
(it may have evidence) and the result says so. A file with any problem writes nothing; every problem names its
line. `load(..., preview=True)` does the whole load and rolls it back, so the preview says exactly what a load
would do.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from goals.measures.models import DerivedFigure, Frequency, ImprovementDirection, Measure, MeasureSource, SeriesKind

from .models import Ambition, Goal, Strategy

MAX_BYTES = 1_000_000  # a strategy is a few pages of text; a bigger file is not one


@dataclass(frozen=True)
class Problem:
    line: int | None  # 1-based; None when it concerns the whole file
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


class FileRefused(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.message))


class YMap(dict):
    """A mapping of the file, knowing the line of itself and of each key."""

    def __init__(self, line):
        super().__init__()
        self.line = line
        self.lines = {}

    def line_of(self, key):
        return self.lines.get(key, self.line)


class YList(list):
    def __init__(self, line):
        super().__init__()
        self.line = line
        self.lines = []

    def line_of(self, index):
        return self.lines[index] if index < len(self.lines) else self.line


def read_yaml(data):
    """The file as YMap/YList/scalars, or FileRefused: not YAML, too big, aliases, repeated keys."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise FileRefused([Problem(None, f"The file is {len(data) / 1_000_000:.1f} MB: a strategy file is at most 1 MB.")])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileRefused([Problem(None, "The file is not UTF-8 text: save it as UTF-8 and try again.")])
    elif len(data.encode()) > MAX_BYTES:
        raise FileRefused([Problem(None, "The file is over 1 MB: a strategy file is at most 1 MB.")])
    loader = yaml.SafeLoader(data)
    try:
        node = loader.get_single_node()
        if node is None:
            raise FileRefused([Problem(None, "The file is empty.")])
        problems = []
        value = _build(loader, node, problems, set())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise FileRefused([Problem(mark.line + 1 if mark else None, f"This is not YAML: {error.problem or error.context}.")])
    except yaml.YAMLError as error:
        raise FileRefused([Problem(None, f"This is not YAML: {error}.")])
    finally:
        loader.dispose()
    if problems:
        raise FileRefused(problems)
    if not isinstance(value, YMap):
        raise FileRefused([Problem(node.start_mark.line + 1, "The file must start with organisation:, strategy: and goals:.")])
    return value


def _build(loader, node, problems, seen, line=None):
    """`line`: where the node is used, which an alias (the same node again) names rather than its anchor's line."""
    line = line or node.start_mark.line + 1
    if id(node) in seen:
        problems.append(Problem(line, "Anchors and aliases (& and *) are not accepted in a strategy file."))
        return None
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result = YMap(line)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                problems.append(Problem(key_node.start_mark.line + 1, "Every key must be a word, such as title:."))
                continue
            if key in result:
                problems.append(Problem(key_node.start_mark.line + 1, f"{key}: is given twice."))
                continue
            result[key] = _build(loader, value_node, problems, seen, key_node.start_mark.line + 1)
            result.lines[key] = value_node.start_mark.line + 1 if isinstance(value_node, yaml.ScalarNode) else key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        result = YList(line)
        for item in node.value:
            result.append(_build(loader, item, problems, seen))
            result.lines.append(item.start_mark.line + 1)
        return result
    return loader.construct_object(node)


class Checker:
    """Collects the problems of a file while its sections read it; every reader names the line of what it reads."""

    def __init__(self):
        self.problems = []

    def problem(self, line, message):
        self.problems.append(Problem(line, message))

    def mapping(self, value, line, what):
        if value is None:
            return YMap(line)
        if not isinstance(value, YMap):
            self.problem(line, f"{what} must be a set of keys (such as title: …).")
            return None
        return value

    def items(self, parent, key, what):
        """(item, line) for each item of the list at parent[key] (none if absent)."""
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, YList):
            self.problem(parent.line_of(key), f"{what} must be a list, each item starting with '- '.")
            return []
        return [(item, value.line_of(i)) for i, item in enumerate(value)]

    def unknown_keys(self, mapping, known, what):
        for key in mapping:
            if key not in known:
                self.problem(mapping.line_of(key), f"{key}: is not a key of {what} (it takes {', '.join(known)}).")

    def text(self, mapping, key, what, model_field=None, required=False, default=""):
        value = mapping.get(key)
        line = mapping.line_of(key)
        if value is None or value == "":
            if required:
                self.problem(line, f"{what} needs {key}:.")
                return None
            return default
        if isinstance(value, (YMap, YList)):
            self.problem(line, f"{key}: must be text.")
            return None
        value = str(value).strip()
        return self.field(model_field, value, line, key) if model_field else value

    def number(self, mapping, key, what, required=False, default=None, whole=True):
        value = mapping.get(key)
        line = mapping.line_of(key)
        if value is None or value == "":
            if required:
                self.problem(line, f"{what} needs {key}:.")
            return default
        kinds = (int,) if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            self.problem(line, f"{key}: must be a {'whole ' if whole else ''}number, not '{value}'.")
            return None
        return value

    def flag(self, mapping, key, default=False):
        value = mapping.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(mapping.line_of(key), f"{key}: must be yes or no, not '{value}'.")
            return default
        return value

    def date(self, mapping, key, what, required=False):
        value = mapping.get(key)
        line = mapping.line_of(key)
        if value is None or value == "":
            if required:
                self.problem(line, f"{what} needs {key}: (a date such as 2025-04-01).")
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if not isinstance(value, datetime.date):
            self.problem(line, f"{key}: must be a date such as 2025-04-01, not '{value}'.")
            return None
        return value

    def choice(self, mapping, key, choices, default):
        """One of a TextChoices' values, or its label as the pages show it."""
        value = mapping.get(key)
        if value is None or value == "":
            return default
        by_word = {str(v).casefold(): v for v in choices.values} | {str(label).casefold(): v for v, label in choices.choices}
        found = by_word.get(str(value).strip().casefold())
        if found is None:
            self.problem(mapping.line_of(key), f"{key}: must be one of {', '.join(choices.values)}, not '{value}'.")
        return found

    def field(self, model_field, value, line, key):
        """The model's own checks of `value` (its length, its validators), named by the line."""
        try:
            return model_field.clean(value, None)
        except ValidationError as error:
            self.problem(line, f"{key}: {' '.join(error.messages)}")
            return None


@dataclass
class Changes:
    """What a load did (or, previewed, would do): per kind of record, the names created, updated and kept."""

    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    kept: list = field(default_factory=list)  # in the database, not in the file: kept as they are

    def note(self, kind, name, created, changed=True):
        if created:
            self.created.setdefault(kind, []).append(name)
        elif changed:
            self.updated.setdefault(kind, []).append(name)

    @property
    def nothing(self):
        return not (self.created or self.updated)


@dataclass
class Section:
    """A part of the file: the keys it reads, how it checks them, writes them, and exports them."""

    keys: tuple
    check: Callable[[YMap, Checker, Any], Any]  # (file, checker, the strategy spec) → its spec
    apply: Callable[[Any, Strategy, Changes], None]  # (its spec, the strategy loaded, changes)
    export: Callable[[Strategy], dict]


@dataclass(frozen=True)
class MeasureSpec:
    line: int
    name: str
    values: dict  # the measure's fields from the file (unit, direction, …)


@dataclass(frozen=True)
class AmbitionSpec:
    line: int
    title: str
    measures: list


@dataclass(frozen=True)
class GoalSpec:
    line: int
    number: int
    title: str
    intent: str
    lead: str
    ambitions: list
    measures: list


@dataclass(frozen=True)
class StrategySpec:
    organisation: str
    name: str
    starts: datetime.date
    years: int
    notice: str
    method: str
    goals: list


@dataclass
class LoadResult:
    strategy: Strategy
    changes: Changes
    previewed: bool


def _f(model, name):
    return model._meta.get_field(name)


def check_strategy(doc, checker):
    """The strategy spec of the file (organisation, strategy, goals), or None when a required part is missing."""
    organisation = checker.text(doc, "organisation", "The file", _f(Strategy, "organisation"), required=True)
    head = checker.mapping(doc.get("strategy"), doc.line_of("strategy"), "strategy:")
    if "strategy" not in doc:
        checker.problem(doc.line, "The file needs strategy: {name: …, starts: …, years: …}.")
    name = starts = years = None
    notice = method = ""
    if head is not None and "strategy" in doc:
        checker.unknown_keys(head, ("name", "starts", "years", "method", "notice"), "strategy:")
        name = checker.text(head, "name", "strategy:", _f(Strategy, "name"), required=True)
        starts = checker.date(head, "starts", "strategy:", required=True)
        years = checker.number(head, "years", "strategy:", default=5)
        if years is not None and not 1 <= years <= 20:
            checker.problem(head.line_of("years"), f"years: must be from 1 to 20, not {years}.")
        notice = checker.text(head, "notice", "strategy:", _f(Strategy, "notice"))
        method = checker.text(head, "method", "strategy:", _f(Strategy, "improvement_method"))
    goals = []
    if "goals" not in doc:
        checker.problem(doc.line, "The file needs goals:, a list of at least one goal.")
    numbers = {}
    measure_names = {}
    for item, line in checker.items(doc, "goals", "goals:"):
        goal = checker.mapping(item, line, "A goal")
        if goal is None:
            continue
        checker.unknown_keys(goal, ("number", "title", "intent", "lead", "ambitions", "measures"), "a goal")
        number = checker.number(goal, "number", "A goal", required=True)
        if number is not None:
            if number < 1:
                checker.problem(goal.line_of("number"), f"number: must be 1 or more, not {number}.")
            elif number in numbers:
                checker.problem(goal.line_of("number"), f"Goal {number} is given twice (also on line {numbers[number]}).")
            else:
                numbers[number] = goal.line_of("number")
        title = checker.text(goal, "title", f"Goal {number}" if number else "A goal", _f(Goal, "title"), required=True)
        intent = checker.text(goal, "intent", "A goal", _f(Goal, "intent")) if goal.get("intent") else ""
        lead = checker.text(goal, "lead", "A goal", _f(Goal, "executive_lead"))
        ambitions = [a for a_item, a_line in checker.items(goal, "ambitions", "ambitions:")
                     if (a := _ambition(checker, a_item, a_line, measure_names, ("title", "measures")))]
        measures = _measures(checker, goal, measure_names)
        if number is not None and title:
            goals.append(GoalSpec(line, number, title, intent or "", lead or "", ambitions, measures))
    if "goals" in doc and isinstance(doc.get("goals"), YList) and not doc["goals"]:
        checker.problem(doc.line_of("goals"), "goals: needs at least one goal.")
    # ambitions may also be listed after the goals, each naming its goal
    by_number = {g.number: g for g in goals}
    for a_item, a_line in checker.items(doc, "ambitions", "ambitions:"):
        ambition = _ambition(checker, a_item, a_line, measure_names, ("goal", "title", "measures"))
        number = checker.number(a_item, "goal", "An ambition listed after the goals", required=True) if isinstance(a_item, YMap) else None
        if ambition and number is not None:
            if number in by_number:
                by_number[number].ambitions.append(ambition)
            elif number not in numbers:
                checker.problem(a_item.line_of("goal"), f"goal: {number} is not a goal of the file (it has {_numbers(numbers)}).")
    for g in goals:
        titles = {}
        for a in g.ambitions:
            if a.title.casefold() in titles:
                checker.problem(a.line, f"The ambition '{a.title}' is given twice under goal {g.number} (also on line {titles[a.title.casefold()]}).")
            titles.setdefault(a.title.casefold(), a.line)
    if None in (organisation, name, starts, years):
        return None
    return StrategySpec(organisation, name, starts, years, notice or "", method or "", goals)


def _numbers(numbers):
    return "goals " + ", ".join(str(n) for n in sorted(numbers)) if numbers else "no goals"


def _ambition(checker, item, line, measure_names, keys):
    if isinstance(item, str):
        item = _with_line({"title": item}, line)
    ambition = checker.mapping(item, line, "An ambition")
    if ambition is None:
        return None
    checker.unknown_keys(ambition, keys, "an ambition")
    title = checker.text(ambition, "title", "An ambition", _f(Ambition, "text"), required=True)
    measures = _measures(checker, ambition, measure_names)
    return AmbitionSpec(line, title, measures) if title else None


def _with_line(mapping, line):
    result = YMap(line)
    result.update(mapping)
    result.lines = {key: line for key in mapping}
    return result


def _measures(checker, parent, seen):
    measures = []
    for item, line in checker.items(parent, "measures", "measures:"):
        if isinstance(item, str):
            item = _with_line({"name": item}, line)
        spec = check_measure(checker, item, line)
        if spec is None:
            continue
        if spec.name.casefold() in seen:
            checker.problem(line, f"The measure '{spec.name}' is given twice (also on line {seen[spec.name.casefold()]}).")
            continue
        seen[spec.name.casefold()] = line
        measures.append(spec)
    return measures


def apply_strategy(spec, changes):
    """Write the strategy, its goals, ambitions and measures; the strategy written."""
    strategy = Strategy.objects.filter(name=spec.name).first()
    values = {"organisation": spec.organisation, "start_date": spec.starts, "years": spec.years, "notice": spec.notice,
              "improvement_method": spec.method}
    created = strategy is None
    if created:
        strategy = Strategy.objects.create(name=spec.name, **values)
    changes.note("strategy", spec.name, created, update(strategy, values))
    goals = {g.number: g for g in strategy.goals.prefetch_related("ambitions")}
    measures = {m.name.casefold(): m for m in Measure.objects.select_related("goal__strategy")}
    for g in spec.goals:
        goal = goals.get(g.number)
        values = {"title": g.title, "intent": g.intent, "executive_lead": g.lead}
        if goal is None:
            goal = Goal.objects.create(strategy=strategy, number=g.number, **values)
            changes.note("goal", f"Goal {g.number}: {g.title}", True)
            existing = {}
        else:
            changes.note("goal", f"Goal {g.number}: {g.title}", False, update(goal, values))
            existing = {a.text.casefold(): a for a in goal.ambitions.all()}
        ambitions_of = []
        for order, a in enumerate(g.ambitions, start=1):
            ambition = existing.pop(a.title.casefold(), None)
            if ambition is None:
                ambition = Ambition.objects.create(goal=goal, order=order, text=a.title)
                changes.note("ambition", a.title, True)
            else:
                changes.note("ambition", a.title, False, update(ambition, {"order": order, "text": a.title}))
            ambitions_of.append(ambition)
        # the goal's measures in the file's order, which is the order of its headline figures
        in_order = [(m, a_ambition) for a, a_ambition in zip(g.ambitions, ambitions_of) for m in a.measures]
        in_order += [(m, None) for m in g.measures]
        for order, (m, ambition) in enumerate(in_order, start=1):
            _apply_measure(m, goal, ambition, order, measures, changes)
        changes.kept.extend(f"Ambition under goal {g.number}: {a.text}" for a in existing.values())
    in_file = {g.number for g in spec.goals}
    changes.kept.extend(str(goal) for number, goal in sorted(goals.items()) if number not in in_file)
    return strategy


MEASURE_KEYS = ("name", "unit", "direction", "frequency", "target", "kind", "decimals", "description",
                "on_dashboard", "derived_from")


def check_measure(checker, item, line):
    measure = checker.mapping(item, line, "A measure")
    if measure is None:
        return None
    checker.unknown_keys(measure, MEASURE_KEYS, "a measure")
    name = checker.text(measure, "name", "A measure", _f(Measure, "name"), required=True)
    values = {
        "unit": checker.text(measure, "unit", "A measure", _f(Measure, "unit"), default="number"),
        "improvement_direction": checker.choice(measure, "direction", ImprovementDirection, ImprovementDirection.NEUTRAL),
        "frequency": checker.choice(measure, "frequency", Frequency, Frequency.MONTHLY),
        "target": checker.number(measure, "target", "A measure", whole=False),
        "series_kind": checker.choice(measure, "kind", SeriesKind, SeriesKind.PER_PERIOD),
        "decimals": checker.number(measure, "decimals", "A measure"),
        "description": checker.text(measure, "description", "A measure", _f(Measure, "description")),
        "on_dashboard": checker.flag(measure, "on_dashboard"),
        "derived_from": checker.choice(measure, "derived_from", DerivedFigure, ""),
    }
    if values["decimals"] is not None and not 0 <= values["decimals"] <= 4:
        checker.problem(measure.line_of("decimals"), "decimals: must be from 0 to 4.")
    values["source"] = MeasureSource.DERIVED if values["derived_from"] else MeasureSource.ENTERED
    if values["target"] is not None:
        values["target"] = float(values["target"])
    return MeasureSpec(line, name, values) if name else None


def _apply_measure(spec, goal, ambition, order, measures, changes):
    measure = measures.get(spec.name.casefold())
    if measure is not None and measure.goal.strategy_id != goal.strategy_id:
        # its points belong to the other strategy's years: moving it would take them from the strategy still readable
        raise FileRefused([Problem(spec.line, f"The measure '{spec.name}' belongs to {measure.goal.strategy}: give this "
                                              "strategy's measure a name of its own.")])
    values = {**spec.values, "goal": goal, "ambition": ambition, "name": spec.name, "dashboard_order": order}
    if measure is None:
        measures[spec.name.casefold()] = Measure.objects.create(**values)
        changes.note("measure", spec.name, True)
    else:
        changes.note("measure", spec.name, False, update(measure, values))


def export_measures(strategy):
    """{(goal id, ambition id or None): [measure as the file has it]} for the strategy's measures."""
    result = {}
    for m in Measure.objects.filter(goal__strategy=strategy).order_by("goal__number", "dashboard_order", "name"):
        entry = {"name": m.name, "unit": m.unit, "direction": m.improvement_direction, "frequency": m.frequency}
        if m.target is not None:
            entry["target"] = m.target
        if m.series_kind != SeriesKind.PER_PERIOD:
            entry["kind"] = m.series_kind
        if m.decimals is not None:
            entry["decimals"] = m.decimals
        if m.description:
            entry["description"] = m.description
        if m.on_dashboard:
            entry["on_dashboard"] = True
        if m.derived_from:
            entry["derived_from"] = m.derived_from
        result.setdefault((m.goal_id, m.ambition_id), []).append(entry)
    return result


def update(obj, values):
    """Set `values` on `obj` and save it if any differ; whether it changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    return bool(changed)


def load(data, sections=(), *, preview=False):
    """Check the file whole, then load it in one transaction (rolled back when previewing). FileRefused on any problem."""
    doc = read_yaml(data)
    checker = Checker()
    known = {"organisation", "strategy", "goals", "ambitions"}.union(*(s.keys for s in sections))
    checker.unknown_keys(doc, sorted(known, key=lambda k: (k not in ("organisation", "strategy", "goals"), k)), "the file")
    spec = check_strategy(doc, checker)
    extras = [(section, section.check(doc, checker, spec)) for section in sections]
    if checker.problems:
        raise FileRefused(checker.problems)
    changes = Changes()
    with transaction.atomic():
        strategy = apply_strategy(spec, changes)
        for section, section_spec in extras:
            section.apply(section_spec, strategy, changes)
        if preview:
            transaction.set_rollback(True)
    return LoadResult(strategy, changes, preview)


def export(strategy, sections=()):
    """The strategy as the file `load` reads (a dict in the file's order)."""
    head = {"name": strategy.name, "starts": strategy.start_date, "years": strategy.years}
    if strategy.improvement_method:
        head["method"] = strategy.improvement_method
    if strategy.notice:
        head["notice"] = strategy.notice
    doc = {"organisation": strategy.organisation, "strategy": head, "goals": []}
    goals = strategy.goals.prefetch_related("ambitions").order_by("number")
    by_goal = export_measures(strategy)
    for goal in goals:
        entry = {"number": goal.number, "title": goal.title}
        if goal.intent:
            entry["intent"] = goal.intent
        if goal.executive_lead:
            entry["lead"] = goal.executive_lead
        ambitions = []
        for ambition in goal.ambitions.all():
            a = {"title": ambition.text}
            if by_goal.get((goal.pk, ambition.pk)):
                a["measures"] = by_goal[(goal.pk, ambition.pk)]
            ambitions.append(a)
        if ambitions:
            entry["ambitions"] = ambitions
        if by_goal.get((goal.pk, None)):
            entry["measures"] = by_goal[(goal.pk, None)]
        doc["goals"].append(entry)
    for section in sections:
        doc.update(section.export(strategy))
    return doc


def dump(doc):
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
