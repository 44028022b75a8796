"""Apply the retention policy (README « Security and operations »); run it daily from cron.

Deletes the e-mails delivered more than RETENTION_DELIVERED_EMAIL_DAYS days ago and, at once,
the password-reset e-mails already sent; erases the IP addresses of the comments of
consultations closed RETENTION_IP_DAYS_AFTER_CLOSE days ago; deletes the expired rate-limit
counters kept in the database during a Redis outage (their keys may hold an address). Running it
twice changes nothing more."""

from django.conf import settings
from django.core.management.base import BaseCommand

from charte.core.cache import purge_expired_limits
from charte.core.mail import purge_delivered_emails, purge_reset_emails
from charte.discussions.services import erase_closed_ip_addresses


class Command(BaseCommand):
    help = "Delete old e-mails and sent reset links, erase IP addresses after the consultation."

    def handle(self, *args, **options):
        resets = purge_reset_emails()
        delivered = purge_delivered_emails(older_than_days=settings.RETENTION_DELIVERED_EMAIL_DAYS)
        addresses = erase_closed_ip_addresses(
            days_after_close=settings.RETENTION_IP_DAYS_AFTER_CLOSE
        )
        self.stdout.write(f"Password-reset e-mails deleted: {resets}")
        self.stdout.write(
            f"Delivered e-mails older than {settings.RETENTION_DELIVERED_EMAIL_DAYS} days "
            f"deleted: {delivered}"
        )
        limits = purge_expired_limits()
        self.stdout.write(f"Comments whose IP address was erased: {addresses}")
        self.stdout.write(f"Expired rate-limit counters deleted: {limits}")
