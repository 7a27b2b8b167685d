from django.core.management.base import BaseCommand, CommandError

from goals.strategy.strategyfile import MAX_BYTES, FileRefused
from improvement.board import strategyfile


class Command(BaseCommand):
    help = ("Load a strategy from a YAML file (see README, 'Set up for your trust'): all or nothing, each problem named "
            "by its line. Loading again updates by goal number and names; nothing is deleted.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--preview", action="store_true", help="say what would change, write nothing")

    def handle(self, *args, file, preview, **options):
        try:
            with open(file, "rb") as f:
                data = f.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.")
        try:
            result = strategyfile.load(data, preview=preview)
        except FileRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{file} was not loaded: {len(refused.problems)} problem(s); nothing was written.")
        for line in strategyfile.describe(result.changes):
            self.stdout.write(line)
        done = "would be loaded (preview: nothing written)" if preview else "loaded"
        self.stdout.write(self.style.SUCCESS(f"{result.strategy.name} {done}."))
