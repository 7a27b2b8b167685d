import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from goals.models import Ambition, EvidenceItem, EvidenceKind, Goal, Measure, MeasurePoint, ProgressUpdate, Status, Strategy


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ["name"]

    name = "Test Improvement Strategy 2022-27"
    start_date = datetime.date(2022, 11, 1)
    years = 5


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        django_get_or_create = ["strategy", "number"]

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda g: f"Goal title {g.number}")
    intent = "What this goal means."


class AmbitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambition

    goal = factory.SubFactory(GoalFactory)
    text = factory.Sequence(lambda n: f"Ambition {n}")


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceItem

    goal = factory.SubFactory(GoalFactory)
    kind = EvidenceKind.EVENT
    date = datetime.date(2023, 3, 15)
    title = factory.Sequence(lambda n: f"Evidence {n}")
    summary = "What happened."


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    goal = factory.SubFactory(GoalFactory)
    status = Status.ON_TRACK
    period_start = datetime.date(2022, 11, 1)
    period_end = datetime.date(2023, 10, 31)
    narrative = "Going well."
    author = factory.SubFactory(UserFactory)
    published_on = datetime.date(2023, 11, 19)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = "falls per 1000 bed days"
    improvement_direction = "decrease"
    goal = factory.SubFactory(GoalFactory)

    @factory.post_generation
    def values(measure, create, extracted, **kwargs):
        """MeasureFactory(values=[...]) adds monthly points from January 2022."""
        for i, value in enumerate(extracted or []):
            MeasurePoint.objects.create(measure=measure, date=datetime.date(2022 + i // 12, i % 12 + 1, 1), value=value)
