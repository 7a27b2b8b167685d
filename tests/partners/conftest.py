import pytest


@pytest.fixture
def admin_user(make_user):
    return make_user("partneradmin")


@pytest.fixture
def partner_admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
