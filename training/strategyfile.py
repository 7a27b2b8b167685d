"""training's part of the strategy file (goals.strategy.strategyfile): its courses and clinical service units.

    courses:
      - {name: LIM Foundation, kind: foundation}
    units:
      - Cardiology
      - {name: Estates, clinical: no}

Matched by name (ignoring case); never deleted (a course may have completions)."""

from goals.strategy.strategyfile import Section, update

from .models import Course, CourseKind, Unit


def _f(model, name):
    return model._meta.get_field(name)


def check(doc, checker, strategy_spec):
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
    return courses, units


def apply(spec, strategy, changes):
    courses, units = spec
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
    courses = [{"name": c.name, "kind": c.kind} for c in Course.objects.order_by("name")]
    if courses:
        doc["courses"] = courses
    units = [u.name if u.is_clinical else {"name": u.name, "clinical": False} for u in Unit.objects.order_by("name")]
    if units:
        doc["units"] = units
    return doc


SECTION = Section(keys=("courses", "units"), check=check, apply=apply, export=export)
