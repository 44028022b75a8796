"""The team's daily digest: what is new since the last one (amendments proposed, reports
filed) and what awaits the team (amendments to answer, of which those whose consultation is
over, comments awaiting approval, reports to decide), with the links to act.

Sent by ``manage.py send_notifications`` (run from cron) once a day after
NOTIFICATION_DIGEST_HOUR, to each team member who keeps it on; never twice in a day, whichever
worker runs it; nothing when there is nothing to say.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charte.amendments.models import Amendment, AmendmentStatus
from charte.core.mail import STOP_TEAM_DIGEST, stop_token
from charte.core.rules import ANSWER_AMENDMENT, MODEL_BACKEND, MODERATE_CONTRIBUTION
from charte.debates.models import ArgumentReport
from charte.discussions.models import Comment, CommentReport
from charte.discussions.notifications import absolute, addresses_of, day_start
from charte.texts.pages import CharterIterationPage

LISTED = 10  # amendments named in the e-mail; the others are counted


def team_members():
    """The active accounts that answer amendments or moderate, who keep the digest on."""
    users = get_user_model().objects
    pks = set(users.with_perm(ANSWER_AMENDMENT, backend=MODEL_BACKEND).values_list("pk", flat=True))
    pks |= set(
        users.with_perm(MODERATE_CONTRIBUTION, backend=MODEL_BACKEND).values_list("pk", flat=True)
    )
    return users.filter(pk__in=pks, is_active=True, deleted_at__isnull=True, team_digest=True)


def figures(since: datetime.datetime, now: datetime.datetime) -> dict:
    """What the digest says, the same for every member (a bounded number of queries)."""
    new_amendments = Amendment.objects.filter(created_at__gt=since, created_at__lte=now)
    waiting = Amendment.objects.filter(status=AmendmentStatus.SUBMITTED)
    consulting = CharterIterationPage.objects.consulting(now).values("pk")
    return {
        "new_amendments": list(new_amendments.order_by("number")[:LISTED]),
        "new_amendment_count": new_amendments.count(),
        "new_reports": CommentReport.objects.filter(created_at__gt=since).count()
        + ArgumentReport.objects.filter(created_at__gt=since).count(),
        "open_reports": CommentReport.objects.filter(resolved_at__isnull=True).count()
        + ArgumentReport.objects.filter(resolved_at__isnull=True).count(),
        "unanswered": waiting.count(),
        "unanswered_due": waiting.exclude(iteration_id__in=consulting).count(),
        "pending_comments": Comment.objects.filter(
            is_public=False, is_removed=False, hidden_at__isnull=True, deleted_at__isnull=True
        ).count(),
    }


def worth_sending(facts: dict) -> bool:
    return any(
        facts[key]
        for key in (
            "new_amendment_count",
            "new_reports",
            "open_reports",
            "unanswered",
            "pending_comments",
        )
    )


def message(user, facts: dict, address: str) -> EmailMessage:
    with translation.override(user.preferred_language):
        stop = absolute(reverse("emails_stop", args=[stop_token(user.pk, STOP_TEAM_DIGEST)]))
        lines = []
        count = facts["new_amendment_count"]
        if count:
            lines.append(
                ngettext(
                    "%(count)s new amendment since the last digest:",
                    "%(count)s new amendments since the last digest:",
                    count,
                )
                % {"count": count}
            )
            for amendment in facts["new_amendments"]:
                lines.append(
                    "- "
                    + _("amendment no. %(number)s: %(link)s")
                    % {
                        "number": amendment.number,
                        "link": absolute(reverse("amendments:edit", args=[amendment.pk])),
                    }
                )
            if count > len(facts["new_amendments"]):
                lines.append(
                    "- " + _("and %(count)s more") % {"count": count - len(facts["new_amendments"])}
                )
        if facts["unanswered"]:
            lines.append(
                ngettext(
                    "%(count)s amendment awaits an answer (%(due)s of them in a consultation "
                    "that is over: they block the adoption): %(link)s",
                    "%(count)s amendments await an answer (%(due)s of them in a consultation "
                    "that is over: they block the adoption): %(link)s",
                    facts["unanswered"],
                )
                % {
                    "count": facts["unanswered"],
                    "due": facts["unanswered_due"],
                    "link": absolute(reverse("amendments:index")),
                }
            )
        queue = absolute(reverse("charte_moderation"))
        if facts["new_reports"] or facts["open_reports"]:
            lines.append(
                ngettext(
                    "%(count)s report to decide (%(new)s new): %(link)s",
                    "%(count)s reports to decide (%(new)s new): %(link)s",
                    facts["open_reports"],
                )
                % {"count": facts["open_reports"], "new": facts["new_reports"], "link": queue}
            )
        if facts["pending_comments"]:
            lines.append(
                ngettext(
                    "%(count)s comment awaits approval: %(link)s",
                    "%(count)s comments await approval: %(link)s",
                    facts["pending_comments"],
                )
                % {"count": facts["pending_comments"], "link": queue}
            )
        subject = _("The team's digest: what to do today")
        body = _(
            "What to do today:\n\n%(lines)s\n\nThe administration's home: %(admin)s\n\n"
            "Stop receiving this digest (one click): %(stop)s\n"
        ) % {
            "lines": "\n".join(lines),
            "admin": absolute(reverse("wagtailadmin_home")),
            "stop": stop,
        }
    return EmailMessage(
        subject=subject, body=body, to=[address], headers={"List-Unsubscribe": f"<{stop}>"}
    )


def send_team_digests(*, now: datetime.datetime | None = None) -> int:
    """Queue today's digest for every team member who has not had it; the number queued."""
    now = now or timezone.now()
    day = day_start(now)
    members = list(
        team_members().filter(Q(team_digest_at__isnull=True) | Q(team_digest_at__lt=day))
    )
    if not members:
        return 0
    addresses = addresses_of(user.pk for user in members)
    facts_since: dict = {}
    users = get_user_model().objects
    sent = 0
    for user in members:
        address = addresses.get(user.pk)
        if address is None:
            continue
        since = user.team_digest_at or now - datetime.timedelta(days=1)
        if since not in facts_since:
            facts_since[since] = figures(since, now)
        facts = facts_since[since]
        if not worth_sending(facts):
            continue
        with transaction.atomic():
            claimed = (
                users.filter(pk=user.pk)
                .filter(Q(team_digest_at__isnull=True) | Q(team_digest_at__lt=day))
                .update(team_digest_at=now)
            )
            if claimed:
                message(user, facts, address).send()
                sent += 1
    return sent
