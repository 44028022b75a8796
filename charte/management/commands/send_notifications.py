"""Send the e-mails that gather news: each discussion's new comments to its followers (at
most one e-mail per discussion per hour), the daily digests of those who chose them, and the
team's daily digest. Run it from cron, e.g. every ten minutes: an e-mail is never sent twice,
even by two runs at once, and news is sent even when nobody writes afterwards."""

from django.core.management.base import BaseCommand

from charte.discussions.notifications import send_daily_thread_digests, send_thread_news
from charte.notices.digest import send_team_digests


class Command(BaseCommand):
    help = (
        "Queue the e-mails gathering what is new in followed discussions (hourly and daily) "
        "and the team's daily digest."
    )

    def handle(self, *args, **options):
        threads = send_thread_news()
        daily = send_daily_thread_digests()
        team = send_team_digests()
        self.stdout.write(
            f"{threads} discussion e-mail(s), {daily} daily digest(s), "
            f"{team} team digest(s) queued."
        )
