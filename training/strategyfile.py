"""training's part of the strategy file (goals.strategy.strategyfile): the trust's names for the kinds of course,
its courses and clinical service units.

    course_kinds: {foundation: Improvement Essentials, facilitator: Improvement Coach programme}
    courses:
      - {name: Improvement Essentials, kind: foundation}
    units:
      - Cardiology
      - {name: Estates, clinical: no}

Matched by name (ignoring case); never deleted (a course may have completions)."""

from goals.strategy.strategyfile import Section, update

from .models import Course, CourseKind, CourseKindName, Unit


def _f(model, name):
    return model._meta.get_field(name)


def check(doc, checker, strategy_spec):
    kind_names = {}
    if "course_kinds" in doc:
        given = checker.mapping(doc["course_kinds"], doc.line_of("course_kinds"), "course_kinds:")
        for key in given or {}:
            if key not in CourseKind.values:
                checker.problem(given.line_of(key), f"{key}: is not a kind of course (the kinds are {', '.join(CourseKind.values)}).")
                continue
            name = checker.text(given, key, "course_kinds:", _f(CourseKindName, "name"))
            if name:
                kind_names[key] = name
    courses, units, seen = [], [], {}
    for item, line in checker.items(doc, "courses", "courses:"):
        course = checker.mapping(item, line, "A course")
        if course is None:
            continue
        checker.unknown_keys(course, ("name", "kind"), "a course")
        name = checker.text(course, "name", "A course", _f(Course, "name"), required=True)
        kind = checker.choice(course, "kind", CourseKind, CourseKind.OTHER)
        if name and name.casefold() in seen:
            checker.problem(line, f"The course '{name}' is given twice (also on line {seen[name.casefold()]}).")
        elif name and kind:
            seen[name.casefold()] = line
            courses.append((name, kind))
    seen = {}
    for item, line in checker.items(doc, "units", "units:"):
        if isinstance(item, str):
            item = {"name": item}
            unit, name, clinical = None, item["name"].strip(), True
            name = checker.field(_f(Unit, "name"), name, line, "units")
        else:
            unit = checker.mapping(item, line, "A unit")
            if unit is None:
                continue
            checker.unknown_keys(unit, ("name", "clinical"), "a unit")
            name = checker.text(unit, "name", "A unit", _f(Unit, "name"), required=True)
            clinical = checker.flag(unit, "clinical", default=True)
        if name and name.casefold() in seen:
            checker.problem(line, f"The unit '{name}' is given twice (also on line {seen[name.casefold()]}).")
        elif name:
            seen[name.casefold()] = line
            units.append((name, clinical))
    return kind_names, courses, units


def apply(spec, strategy, changes):
    kind_names, courses, units = spec
    existing = {k.kind: k for k in CourseKindName.objects.all()}
    for kind, name in kind_names.items():
        if kind not in existing:
            CourseKindName.objects.create(kind=kind, name=name)
            changes.note("name of a kind of course", name, True)
        else:
            changes.note("name of a kind of course", name, False, update(existing[kind], {"name": name}))
    existing = {c.name.casefold(): c for c in Course.objects.all()}
    for name, kind in courses:
        course = existing.get(name.casefold())
        if course is None:
            Course.objects.create(name=name, kind=kind)
            changes.note("course", name, True)
        else:
            changes.note("course", name, False, update(course, {"name": name, "kind": kind}))
    existing = {u.name.casefold(): u for u in Unit.objects.all()}
    for name, clinical in units:
        unit = existing.get(name.casefold())
        if unit is None:
            Unit.objects.create(name=name, is_clinical=clinical)
            changes.note("unit", name, True)
        else:
            changes.note("unit", name, False, update(unit, {"name": name, "is_clinical": clinical}))


def export(strategy):
    doc = {}
    kind_names = dict(CourseKindName.objects.order_by("kind").values_list("kind", "name"))
    if kind_names:
        doc["course_kinds"] = kind_names
    courses = [{"name": c.name, "kind": c.kind} for c in Course.objects.order_by("name")]
    if courses:
        doc["courses"] = courses
    units = [u.name if u.is_clinical else {"name": u.name, "clinical": False} for u in Unit.objects.order_by("name")]
    if units:
        doc["units"] = units
    return doc


SECTION = Section(keys=("course_kinds", "courses", "units"), check=check, apply=apply, export=export)
