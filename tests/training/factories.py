import datetime

import factory

from improvement.demo.training import DEMO_COURSES
from training.models import Answer, Completion, Course, CourseKind, FeedbackResponse, Learner, StaffGroup, Unit


def course(name):
    """A course of the demo's names, made when missing (a new installation has no course)."""
    kind = dict(DEMO_COURSES).get(name, CourseKind.OTHER)
    return Course.objects.get_or_create(name=name, defaults={"kind": kind})[0]


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Unit {n}")


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    staff_number = factory.Sequence(lambda n: f"{40000000 + n}")
    name = factory.Sequence(lambda n: f"Learner {n}")
    staff_group = StaffGroup.NURSING
    unit = factory.SubFactory(UnitFactory)


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Completion

    learner = factory.SubFactory(LearnerFactory)
    course = factory.LazyFunction(lambda: course("LIM Foundation"))
    completed_on = datetime.date(2023, 3, 15)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackResponse

    response_id = factory.Sequence(lambda n: f"R{n}")
    course = factory.LazyFunction(lambda: course("LIM Foundation"))
    responded_on = datetime.date(2023, 3, 15)
    answer = Answer.VERY_LIKELY
