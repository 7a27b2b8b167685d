from django.core.management.base import BaseCommand, CommandError

from goals.models import Strategy
from improvement.board import strategyfile


class Command(BaseCommand):
    help = "Write the current strategy (or --strategy NAME) as the YAML file load_strategy reads, to stdout or --output."

    def add_arguments(self, parser):
        parser.add_argument("--strategy", help="the strategy's name (default: the current one)")
        parser.add_argument("--output", "-o", help="a file to write (default: standard output)")

    def handle(self, *args, strategy, output, **options):
        found = Strategy.objects.filter(name=strategy).first() if strategy else Strategy.objects.current()
        if found is None:
            raise CommandError(f"No strategy named {strategy!r}." if strategy else "No strategy is loaded yet.")
        text = strategyfile.export_text(found)
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
