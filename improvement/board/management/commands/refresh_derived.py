from django.core.management.base import BaseCommand

from improvement.board import derived


class Command(BaseCommand):
    help = ("Bring every derived measure up to the last month-end. Run daily (cron, a Kubernetes CronJob): the write "
            "hook refreshes them when their records change, and this when only time has passed.")

    def handle(self, *args, **options):
        count = derived.refresh()
        self.stdout.write(f"Derived measures refreshed: {count}.")
