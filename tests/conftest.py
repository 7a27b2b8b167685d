import pytest

from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from improvement.core.roles import BOARD_MEMBER, PARTNER_ADMIN, QISG_MEMBER, sync_roles

from .factories import GoalFactory, UserFactory

ROLE_USERS = {
    "board": BOARD_MEMBER,
    "qisg": QISG_MEMBER,
    "partneradmin": PARTNER_ADMIN,
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed over strength


@pytest.fixture(autouse=True)
def static_files_without_collectstatic(settings):
    """Production serves hashed files from collectstatic (tested in test_deployment); tests read the sources."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def make_user(db):
    if not Group.objects.exists():
        # A transactional test (the browser tests) flushes the tables, roles included; put them back.
        sync_roles(django_apps, None)

    def make(role_key):
        if role_key == "admin":
            return UserFactory(username="admin", is_superuser=True, is_staff=True)
        return UserFactory(username=role_key, role=ROLE_USERS[role_key])

    return make


@pytest.fixture
def board_client(client, make_user):
    client.force_login(make_user("board"))
    return client


@pytest.fixture
def qisg_user(make_user):
    return make_user("qisg")


@pytest.fixture
def qisg_client(client, qisg_user):
    client.force_login(qisg_user)
    return client


@pytest.fixture
def goal(db):
    return GoalFactory(number=3, title="Developing our workforce improvement skills and capability")

