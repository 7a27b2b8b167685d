from django.core.management.base import BaseCommand

from improvement.board import derived
from training import stored


class Command(BaseCommand):
    help = ("Bring every derived measure up to the last month-end, and store the training figures as at today. Run daily "
            "(cron, a Kubernetes CronJob): the write hook refreshes both when their records change, and this when only "
            "time has passed.")

    def handle(self, *args, **options):
        count = derived.refresh()
        self.stdout.write(f"Derived measures refreshed: {count}.")
        self.stdout.write(f"Training figures stored: {stored.store()} periods.")
