import datetime

from django.core.management.base import BaseCommand, CommandError

from goals.models import Strategy
from improvement.board import reminders


class Command(BaseCommand):
    help = ("Send the reminders due today by email: the digest before each QiSG meeting and the weekly digest of what "
            "has gone stale (improvement/board/reminders.py). Run daily (cron, a Kubernetes CronJob); safe to run twice "
            "or on two machines at once. Exits 1 when a send failed: it is retried on the next run.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None,
                            help="Send as if today were this day (YYYY-MM-DD); default: today")

    def handle(self, *args, date=None, **options):
        strategy = Strategy.objects.current()
        if strategy is None:
            self.stdout.write("No strategy loaded: nothing to remind anyone of.")
            return
        report = reminders.run(strategy, today=date)
        for line in report.lines():
            self.stdout.write(line)
        if report.failed:
            raise CommandError(f"{len(report.failed)} reminder(s) could not be sent; the next run retries them.")
