"""The roles of DESIGN.md as Django groups with explicit permissions: the one place they are defined.

Views check permissions (never group or user names) through `allowed()`, which also records on the view
which permissions it needs, so the access test can prove every URL states its rule.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

BOARD_MEMBER = "Board member"
QISG_MEMBER = "QiSG member"
PARTNER_ADMIN = "Partner admin"
SITE_ADMIN = "Site admin"  # not a group: Django's superuser, who may do everything (single sign-on can grant it)

READ_STRATEGY = (
    "goals.view_strategy",
    "goals.view_goal",
    "goals.view_ambition",
    "goals.view_progressupdate",
    "goals.view_evidenceitem",
    "goals.view_collaborative",
    "goals.view_measure",
    "goals.view_measurepoint",
    "goals.view_rebase",
    "goals.view_collaborativemember",
    "goals.view_event",
    "goals.view_leanevent",
    "goals.view_leanremeasure",
    "board.view_boardreport",
    "board.view_meeting",
    "training.view_completion",
    "training.view_feedbackresponse",
)
RECORD_PROGRESS = (
    "goals.add_evidenceitem",
    "goals.change_evidenceitem",
    "goals.add_progressupdate",
    "goals.change_progressupdate",
    "goals.add_measure",
    "goals.change_measure",
    "goals.add_measurepoint",
    "goals.change_measurepoint",
    "goals.delete_measurepoint",
    "goals.add_rebase",
    "goals.change_rebase",
    "goals.delete_rebase",
    "goals.add_collaborative",
    "goals.change_collaborative",
    "goals.add_collaborativemember",
    "goals.add_event",
    "goals.change_event",
    "goals.add_leanevent",
    "goals.change_leanevent",
    "goals.add_leanremeasure",
    "goals.change_leanremeasure",
    "board.change_boardreport",
    "board.add_meeting",
    "board.change_meeting",
    "training.add_completion",
    "training.add_feedbackresponse",
)

# Quality partners' personal data: partner admins alone (board and QiSG see Goal 2's anonymous figures only).
PARTNER_RECORDS = (
    "partners.view_cohort",
    "partners.add_cohort",
    "partners.change_cohort",
    "partners.view_partner",
    "partners.add_partner",
    "partners.change_partner",
    "partners.export_partner",
    "partners.erase_partner",
    "partners.view_partnerrole",
    "partners.add_partnerrole",
    "partners.change_partnerrole",
    "partners.view_contribution",
    "partners.add_contribution",
    "partners.change_contribution",
    "partners.view_partneraccesslog",
)

ROLES = {
    BOARD_MEMBER: READ_STRATEGY,
    QISG_MEMBER: READ_STRATEGY + RECORD_PROGRESS,
    PARTNER_ADMIN: READ_STRATEGY + PARTNER_RECORDS,
}


def allowed(*perms):
    """Let a logged-in user through only with every one of `perms` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permissions = perms
        return wrapper

    return decorator


def public(view):
    """Open to anyone, logged in or not (login page, health check)."""
    view = login_not_required(view)
    view.required_permissions = ()
    view.is_public = True
    return view


def sync_roles(apps=None, schema_editor=None):
    """Give each role's group exactly its permissions, creating the groups and any missing permission first."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, **kwargs):
    """Run after every `migrate`, with the code of the release being migrated to: the roles always match ROLES."""
    sync_roles()
