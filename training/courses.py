"""The courses of the strategy, created by a data migration (and again by `seed_courses` after a test flush).

A site administrator adds further courses in Django admin; a CSV naming a course not listed here is refused.
"""

STRATEGY_COURSES = [
    # name, kind
    ("LIM Foundation", "foundation"),
    ("Excellence In Nursing", "excellence_in"),
    ("Excellence In Administration", "excellence_in"),
    ("QI teaching", "qi_teaching"),
    ("LIM facilitator training", "facilitator"),
    ("Improvement principles e-learning", "other"),
]


def seed_courses(apps, schema_editor=None):
    """Create any missing strategy course (run from a migration with its `apps`, or with django.apps.apps)."""
    Course = apps.get_model("training", "Course")
    existing = {name.casefold() for name in Course.objects.values_list("name", flat=True)}
    Course.objects.bulk_create(
        [Course(name=name, kind=kind) for name, kind in STRATEGY_COURSES if name.casefold() not in existing]
    )
