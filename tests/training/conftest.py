import pytest

from improvement.demo.training import seed_courses


@pytest.fixture(autouse=True)
def demo_courses(request):
    """The files of these tests name the demo's courses; a new installation has none (its strategy file gives them)."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        seed_courses()
