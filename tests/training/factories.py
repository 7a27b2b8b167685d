import datetime

import factory

from training.models import Answer, Completion, Course, CourseKind, FeedbackResponse, Learner, StaffGroup, Unit


def course(name):
    """A strategy course (the migration creates them; a transactional test's flush may not have)."""
    kind = {"LIM Foundation": CourseKind.FOUNDATION, "Excellence In Nursing": CourseKind.EXCELLENCE_IN,
            "Excellence In Administration": CourseKind.EXCELLENCE_IN, "QI teaching": CourseKind.QI_TEACHING,
            "LIM facilitator training": CourseKind.FACILITATOR}.get(name, CourseKind.OTHER)
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
