"""Reminders by email, sent by `python manage.py send_reminders` once a day.

- Before each QiSG meeting (from `REMINDER_DAYS_BEFORE_QISG` days before it to its day): a digest of what changed since
  the previous meeting, the goals not judged this quarter and what has gone stale, with a link to the agenda pack.
- Every week (the first run of each ISO week): a digest of what has gone stale, what the reader owns first. Nothing
  stale, nothing sent.

Who: each active QiSG member (whoever may record progress updates) with an email address, and every owner named on
a collaborative, measure or Lean event; each as their preferences say (both digests until they choose).

Once only: a reminder is claimed before it is sent by a row in the database under a unique constraint (user, digest,
what it is about: the meeting or the week), so two runs at once, on one machine or two, never send it twice. A send
that fails is marked failed and claimed again by the next run while the reminder is still due (every day of its
window), and the run reports it. A run that died between its claim and its send leaves a claim that another run takes
over after an hour.

No partner's personal data: the digests carry counts, the names of goals, measures, ambitions, collaboratives and Lean
events, staff owners' names, and links; never evidence titles, narratives or partner names.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from goals.models import Collaborative, LeanEvent, Measure

from . import agenda, stale
from .models import Digest, Meeting, ReminderPreference, SendState, SentReminder

ABANDONED_AFTER = datetime.timedelta(hours=1)


@dataclass
class RunReport:
    sent: list = field(default_factory=list)  # [(digest, key, email)]
    failed: list = field(default_factory=list)  # [(digest, key, email, error)]
    skipped: int = 0  # already sent, or being sent by another run

    def lines(self):
        yield f"{len(self.sent)} sent, {len(self.failed)} failed (retried on the next run), {self.skipped} already sent or being sent."
        for digest, key, email, error in self.failed:
            yield f"FAILED {digest} {key} to {email}: {error}"


def week_key(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def recipients():
    """QiSG members and the owners named on records, active and with an email address, with their preferences."""
    owners = set()
    for model in (Collaborative, Measure, LeanEvent):
        owners.update(model.objects.exclude(owner=None).values_list("owner", flat=True))
    users = (get_user_model().objects.filter(is_active=True).exclude(email="")
             .filter(Q(groups__permissions__codename="add_progressupdate") | Q(pk__in=owners)).distinct().order_by("pk"))
    preferences = {p.user_id: p for p in ReminderPreference.objects.filter(user__in=users)}
    return [(user, preferences.get(user.pk) or ReminderPreference(user=user)) for user in users]


def link(path):
    return f"{settings.SITE_URL}{path}"


def claim(user, digest, key, now):
    """True when this run may send the reminder: it claimed it first, or took over a failed or abandoned claim."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(user=user, digest=digest, key=key, state=SendState.SENDING, claimed_at=now)
        return True
    except IntegrityError:
        taken = (SentReminder.objects.filter(user=user, digest=digest, key=key)
                 .filter(Q(state=SendState.FAILED) | Q(state=SendState.SENDING, claimed_at__lt=now - ABANDONED_AFTER))
                 .update(state=SendState.SENDING, claimed_at=now, attempts=F("attempts") + 1, error=""))
        return bool(taken)


def _done(user, digest, key, *, error=""):
    SentReminder.objects.filter(user=user, digest=digest, key=key).update(
        state=SendState.FAILED if error else SendState.SENT, sent_at=None if error else timezone.now(), error=error[:300])


def message(user, subject, template, context, connection):
    context = {**context, "user": user, "name": user.first_name or user.get_full_name() or user.username,
               "preferences_url": link(reverse("reminder_preferences")), "site_url": settings.SITE_URL}
    email = EmailMultiAlternatives(subject, render_to_string(f"board/email/{template}.txt", context),
                                   settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection)
    email.attach_alternative(render_to_string(f"board/email/{template}.html", context), "text/html")
    return email


def _absolute(items):
    return [(item, link(item.url)) for item in items]


def due(strategy, today):
    """[(digest, key, subject, template, context builder(user))] due today."""
    found = []
    listed = stale.stale_list(strategy, today)
    window_end = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE_QISG)
    for meeting in Meeting.objects.filter(strategy=strategy).qisg().filter(date__gte=today, date__lte=window_end).select_related("strategy"):
        pack = agenda.pack(meeting, today)
        days = (meeting.date - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        subject = f"{meeting.short_name} meets {when}, {meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}: what changed and what is stale"

        def before(user, pack=pack, meeting=meeting, when=when):
            theirs, rest = pack.stale.for_user(user)
            return {"meeting": meeting, "pack": pack, "when": when, "pack_url": link(reverse("meeting_pack", args=[meeting.pk])),
                    "unjudged": [g for g in pack.goals if not g.judged_this_quarter],
                    "theirs": _absolute(theirs), "rest": _absolute(rest)}

        found.append((Digest.BEFORE_QISG, f"meeting-{meeting.pk}", subject, "before_qisg", before))
    if listed.items:
        def weekly(user):
            theirs, rest = listed.for_user(user)
            return {"listed": listed, "strategy": strategy, "theirs": _absolute(theirs), "rest": _absolute(rest)}

        found.append((Digest.WEEKLY_STALE, week_key(today), f"What has gone stale: week of {today - datetime.timedelta(days=today.weekday()):%d %B %Y}",
                      "weekly_stale", weekly))
    return found


def run(strategy, today=None, now=None):
    """Send every reminder due today that is not sent yet (see the module's docstring); a RunReport."""
    today = today or datetime.date.today()
    report = RunReport()
    reminders = due(strategy, today)
    if not reminders:
        return report
    connection = get_connection(fail_silently=False)
    try:
        for user, preference in recipients():
            for digest, key, subject, template, context in reminders:
                if not preference.wants(digest):
                    continue
                if not claim(user, digest, key, now or timezone.now()):
                    report.skipped += 1
                    continue
                try:
                    message(user, subject, template, context(user), connection).send()
                except Exception as error:  # noqa: BLE001 - any failure of the send: recorded, retried next run
                    _done(user, digest, key, error=f"{type(error).__name__}: {error}")
                    report.failed.append((digest, key, user.email, f"{type(error).__name__}: {error}"))
                    connection.close()  # a broken connection is opened afresh for the next message
                else:
                    _done(user, digest, key)
                    report.sent.append((digest, key, user.email))
    finally:
        connection.close()
    return report
