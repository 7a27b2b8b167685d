"""UK GDPR for quality partners: the subject access export and erasure.

Erasure removes the personal fields from the partner's row *and* from every history row of it, and the
name from the linked training record and the admin log; roles, contributions and dates stay, so the
anonymous counts of Goal 2 do not change.
"""

import csv
import datetime
import io

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from improvement.core import csvfiles as csvsafe
from improvement.core.history import change_log, name_of
from improvement.core.stamp import written

from .models import AccessAction, Partner, PartnerAccessLog

PERSONAL_FIELDS = {"full_name": "", "display_name": "", "email": "", "phone": ""}
ERASED_LEARNER_NAME = "Erased quality partner"


def _date(value):
    return value.isoformat() if value else None


def subject_access(partner):
    """Everything held about one partner, as plain data (dicts, lists, strings)."""
    learner = partner.learner
    training = None
    if learner is not None:
        training = {
            "staff_number": learner.staff_number,
            "name": learner.name,
            "left_on": _date(learner.left_on),
            "completions": [
                {"course": c.course.name, "completed_on": _date(c.completed_on)}
                for c in learner.completions.select_related("course").order_by("completed_on")
            ],
        }
    return {
        "partner": {
            "reference": partner.pk,
            "full_name": partner.full_name,
            "display_name": partner.display_name,
            "email": partner.email,
            "phone": partner.phone,
            "cohort": partner.cohort.name,
            "joined_on": _date(partner.joined_on),
            "left_on": _date(partner.left_on),
            "consents_to_be_credited_by_name": partner.credit_consent,
            "consent_recorded_on": _date(partner.consent_recorded_on),
            "erased_on": _date(partner.erased_on),
        },
        "roles": [
            {"role": role.get_kind_display(), "collaborative": role.collaborative.name if role.collaborative else "",
             "committee": role.committee, "from": _date(role.started_on), "to": _date(role.ended_on)}
            for role in partner.roles.select_related("collaborative").order_by("started_on", "id")
        ],
        "contributions": [
            {"kind": c.get_kind_display(), "title": c.title, "date": _date(c.date), "goal": c.goal.number,
             "evidence": c.evidence.title if c.evidence else ""}
            for c in partner.contributions.select_related("goal", "evidence").order_by("date", "id")
        ],
        "training_record": training,
        "changes": [
            {"when": entry.when.isoformat(), "who": entry.who, "action": entry.action,
             "changes": [{"field": c.field, "from": c.old, "to": c.new} for c in entry.changes]}
            for entry in change_log(partner.history.all())
        ],
        "access_log": [
            {"when": log.at.isoformat(), "who": _who(log.user), "action": log.get_action_display(), "detail": log.detail}
            for log in partner.access_log.select_related("user").order_by("at", "id")
        ],
    }


def _who(user):
    if user is None:
        return "a deleted user"
    return name_of(user)


def safe_cell(value):
    """A CSV cell of the export: text, yes/no for booleans, never a formula a spreadsheet would run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return csvsafe.safe_cell(str(value))


def as_csv(data):
    """The export as one CSV table: section, item number, field, value (every cell neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "item", "field", "value"])
    for field, value in data["partner"].items():
        writer.writerow(["partner", "", field, safe_cell(value)])
    for section in ("roles", "contributions", "access_log"):
        for number, row in enumerate(data[section], start=1):
            for field, value in row.items():
                writer.writerow([section, number, field, safe_cell(value)])
    training = data["training_record"]
    if training:
        for field in ("staff_number", "name", "left_on"):
            writer.writerow(["training_record", "", field, safe_cell(training[field])])
        for number, row in enumerate(training["completions"], start=1):
            for field, value in row.items():
                writer.writerow(["training_completions", number, field, safe_cell(value)])
    for number, entry in enumerate(data["changes"], start=1):
        writer.writerow(["changes", number, "when", safe_cell(entry["when"])])
        writer.writerow(["changes", number, "who", safe_cell(entry["who"])])
        writer.writerow(["changes", number, "action", safe_cell(entry["action"])])
        for change in entry["changes"]:
            writer.writerow(["changes", number, change["field"], safe_cell(f"{change['from']} → {change['to']}")])
    return "\ufeff" + out.getvalue()  # a byte order mark: Excel then reads UTF-8 names correctly


@transaction.atomic
def erase(partner, by):
    """Remove the partner's personal data everywhere it is held; keep what the anonymous figures count."""
    today = datetime.date.today()
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    for field, blank in PERSONAL_FIELDS.items():
        setattr(partner, field, blank)
    partner.credit_consent = False
    partner.consent_recorded_on = None
    partner.erased_on = today
    partner.left_on = partner.left_on or max(today, partner.joined_on)
    partner._history_user = by
    partner._change_reason = "Personal data erased"
    partner.save()
    _end_open_roles(partner, partner.left_on, by)
    Partner.history.filter(id=partner.pk).update(**PERSONAL_FIELDS)
    if partner.learner_id:
        partner.learner.__class__.objects.filter(pk=partner.learner_id).update(name=ERASED_LEARNER_NAME)
        written(partner.learner.__class__, "changed", pk=partner.learner_id)  # .update() sends no signal
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Partner), object_id=str(partner.pk)).update(
        object_repr="Erased partner", change_message="",
    )
    PartnerAccessLog.objects.create(partner=partner, user=by, action=AccessAction.ERASED)
    return partner


def mark_left(partner, left_on, by):
    """The partner left on `left_on`: their open roles end then too."""
    with transaction.atomic():
        partner.left_on = left_on
        partner._history_user = by
        partner.save()
        _end_open_roles(partner, left_on, by)
    return partner


def _end_open_roles(partner, day, by):
    for role in partner.roles.filter(ended_on__isnull=True):
        role.ended_on = max(day, role.started_on)
        role._history_user = by
        role.save()
