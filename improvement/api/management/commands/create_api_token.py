import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from improvement.api.models import ApiToken, Scope


class Command(BaseCommand):
    help = "Make an API token for a service. The token is printed once, alone on the last line: it is not kept."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the service that will use it, e.g. data-warehouse")
        parser.add_argument("--scope", required=True, choices=Scope.values)
        parser.add_argument("--expires-in-days", type=int, default=None, help="optional: refused after this many days")

    def handle(self, name, scope, expires_in_days, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("The name must be 1 to 100 characters.")
        if ApiToken.objects.filter(name=name).exists():
            raise CommandError(f"A token named “{name}” already exists: choose another name, or revoke it in the admin.")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        expires_at = timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None
        token, raw = ApiToken.issue(name, scope, expires_at)
        self.stdout.write(f"API token “{token.name}” ({token.get_scope_display().lower()}), "
                          f"{'expires ' + f'{expires_at:%d %b %Y %H:%M}' if expires_at else 'no expiry'}. "
                          "Store it now: it is shown only this once.")
        self.stdout.write(raw)
