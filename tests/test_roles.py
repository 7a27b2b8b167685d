from django.contrib.auth.models import Group

from improvement.core.roles import ROLES


def test_the_migrations_create_each_role_with_exactly_its_permissions(db):
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    assert set(groups) == set(ROLES)
    for role, perms in ROLES.items():
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in groups[role].permissions.all()}
        assert granted == set(perms), role


def test_only_the_qisg_role_may_record_progress():
    writers = [role for role, perms in ROLES.items() if "goals.add_evidenceitem" in perms]
    assert writers == ["QiSG member"]
