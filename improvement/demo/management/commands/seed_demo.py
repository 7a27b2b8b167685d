import logging
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from improvement.core.roles import BOARD_MEMBER, PARTNER_ADMIN, QISG_MEMBER
from improvement.demo import board as board_demo
from improvement.demo import goals as goals_demo
from improvement.demo import partners as partners_demo
from improvement.demo import scale
from improvement.demo import training as training_demo
from improvement.demo import years

DEMO_PASSWORD = "improve-demo"
DEMO_USERS = [
    # username, full name, role (None: superuser)
    ("board", "Bea Board", BOARD_MEMBER),
    ("qisg", "Quinn Steering", QISG_MEMBER),
    ("partneradmin", "Pat Partnerships", PARTNER_ADMIN),
    ("admin", "Ada Admin", None),
]


class Command(BaseCommand):
    help = ("Load the demo: users, year one of the LTHT Improvement Strategy 2022-27 and illustrative later years. Safe to run again. "
            "--scale trust adds, on top, a large trust's five years of records (improvement/scale.py), once.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["demo", "trust"], default="demo",
                            help="demo (the default): the demo alone; trust: the demo and trust-scale generated data")

    def handle(self, *args, **options):
        logging.getLogger("improvement.audit").setLevel(logging.WARNING)  # demo data are not users' writes
        users = self._demo()
        if options["scale"] == "trust":
            began = time.perf_counter()
            result = scale.generate(author=users["qisg"])
            if result.skipped:
                self.stdout.write("Trust-scale data are already there: nothing added.")
            else:
                made = ", ".join(f"{number:,} {what}" for what, number in result.counts.items())
                self.stdout.write(self.style.SUCCESS(f"Trust-scale data added in {time.perf_counter() - began:.1f} s: {made}."))

    @transaction.atomic
    def _demo(self):
        users = {username: self._user(username, name, role) for username, name, role in DEMO_USERS}
        strategy = goals_demo.seed(author=users["qisg"])
        training_demo.seed()
        partners_demo.seed(author=users["partneradmin"])
        years.seed(strategy, author=users["qisg"])
        board_demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins (password for all: %s):" % DEMO_PASSWORD))
        for username, _, role in DEMO_USERS:
            self.stdout.write(f"  {username:<13} {role or 'Site admin (superuser)'}")
        return users

    def _user(self, username, full_name, role):
        User = get_user_model()
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "is_superuser": role is None, "is_staff": role is None,
                      "email": f"{username}@example.nhs.uk"},
        )
        if not user.email:  # a demo loaded before the reminders: give the user the demo address
            user.email = f"{username}@example.nhs.uk"
            user.save(update_fields=["email"])
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role:
            user.groups.set([Group.objects.get(name=role)])
        return user
