"""Load the demo: a charter in French with its English translation, two iterations (v1 closed,
v2 in consultation) and one account per role. Running it again changes nothing.

The content is in charte/demo/data/; charte/demo/seed.py writes it."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from charte.demo.load import DemoDataError, load
from charte.demo.seed import EXTRA_SEEDERS, demo_seed, demo_translate


class Command(BaseCommand):
    help = "Load the demo charter, its two iterations, its English translation and accounts."

    def handle(self, *args, **options):
        try:
            demo = load()
        except DemoDataError as error:
            raise CommandError(f"The demo's data is malformed: {error}") from error
        with transaction.atomic():
            seeded = demo_seed(demo=demo, now=timezone.now(), debug=settings.DEBUG)
        # No rebuild of the search index: every write above queues the refresh of its entries,
        # which the background worker runs.
        demo_translate(demo=demo)
        editor = get_user_model().objects.get(username=demo.accounts.editor.username)
        for seeder in EXTRA_SEEDERS:
            try:
                seeded.created |= seeder(editor=editor)
            except DemoDataError as error:
                raise CommandError(f"The demo's data is malformed: {error}") from error
        self.print_accounts(demo, seeded.passwords)
        if seeded.created:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write("Demo content already present: nothing changed.")

    def print_accounts(self, demo, passwords):
        if not settings.DEBUG:
            self.stdout.write(
                "Demo accounts exist (editrice, moderateur, conseillere, camille, jules, each "
                "@demo.example); "
                "their passwords are only shown in development. Use `manage.py changepassword`."
            )
            return
        self.stdout.write("Demo accounts (development only): username, e-mail, password, role")
        roles_by_user = {account.username: account.group for account in demo.accounts.accounts}
        for username, password in passwords.items():
            role = roles_by_user[username] or "Citizen"
            email = f"{username}@demo.example"
            self.stdout.write(f"  {username:<12} {email:<26} {password:<22} {role}")
        self.stdout.write(
            "Everyone signs in at /accounts/login/ with their e-mail (the admin is /admin/). "
            f"Staff accounts also need a two-factor code: add the secret "
            f"{demo.accounts.totp_secret} to an authenticator app, or run "
            "`.venv/bin/python manage.py demo_totp`."
        )
