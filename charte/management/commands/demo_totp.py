"""Print the current two-factor code of the demo's staff accounts (development only)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from charte.demo.load import load_accounts


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff accounts (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo's two-factor secret is only used in development.")
        secret = load_accounts().totp_secret
        counter = int(time.time()) // 30
        remaining = 30 - int(time.time()) % 30
        code = format_hotp_value(hotp_value(secret, counter))
        self.stdout.write(f"{code}  (valid for {remaining} more seconds)")
