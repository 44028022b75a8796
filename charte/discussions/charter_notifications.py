"""E-mails to the people who follow a charter: a version opens for consultation, a
consultation closes and its synthesis is public, the charter is adopted.

One e-mail per follower, in their language, with a one-click « stop following this charter »
link; queued by the worker in bounded batches (each batch queues the next one), so that
opening a version, even of a thousand paragraphs, never sends a storm from one request.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from charte.core.formatting import format_date, format_datetime
from charte.core.mail import STOP_CHARTER, stop_token
from charte.core.targets import page_in_language
from charte.discussions.models import ThreadFollow
from charte.discussions.notifications import absolute, addresses_of
from charte.texts.follows import CharterFollow
from charte.texts.pages import CharterIterationPage
from charte.texts.services import source_charter

OPENED, CLOSED, ADOPTED = "opened", "closed", "adopted"
BATCH = 200


def charter_stop_token(user_pk: int, charter_pk: int) -> str:
    return stop_token(user_pk, f"{STOP_CHARTER}:{charter_pk}")


def announce(event: str, iteration, at=None) -> None:
    """Once the transaction commits, tell the charter's followers about ``event`` of
    ``iteration`` (its page in the default language); at the moment ``at`` if given (a
    public version whose consultation opens later)."""
    pk = iteration.pk
    task = notify_charter_followers_task
    if at is not None:
        task = task.using(run_after=at)
    transaction.on_commit(lambda: task.enqueue(event, pk, 0))


@task(backend="durable", queue_name="notifications")
def notify_charter_followers_task(event: str, iteration_pk: int, after: int = 0) -> int:
    """One batch of followers (those after the follow ``after``); queues the next batch."""
    sent, last = notify_charter_followers(event, iteration_pk, after=after)
    if last is not None:
        notify_charter_followers_task.enqueue(event, iteration_pk, last)
    return sent


def _messages(event: str, iteration, language: str) -> tuple[str, str]:
    """The subject and body of the e-mail about ``event``, in the active language."""
    charter = iteration.get_parent().specific
    version = page_in_language(iteration, language)
    names = {"charter": page_in_language(charter, language).title, "version": version.title}
    if event == OPENED:
        subject = _("« %(version)s » is open for consultation") % names
        body = _(
            "« %(version)s » of « %(charter)s » is open for consultation until %(date)s. "
            "Read it, comment it and propose amendments: %(link)s\n"
        ) % {**names, "date": format_datetime(iteration.closes_at), "link": absolute(version.url)}
    elif event == CLOSED:
        subject = _("The synthesis of the consultation on « %(version)s » is published") % names
        body = _(
            "The consultation on « %(version)s » of « %(charter)s » is closed. Its synthesis "
            "is published: who took part, what was discussed most, every amendment and its "
            "answer: %(link)s\n"
        ) % {**names, "link": absolute(version.url + version.reverse_subpage("synthesis"))}
    else:
        adoption = getattr(iteration, "adoption", None)
        names["date"] = format_date(adoption.session_date) if adoption is not None else ""
        subject = _("« %(charter)s » has been adopted") % names
        body = _(
            "The council adopted « %(charter)s » on %(date)s. Read the adopted text: %(link)s\n"
        ) % {**names, "link": absolute(version.url)}
    return subject, body


def notify_charter_followers(event: str, iteration_pk: int, *, after: int = 0):
    """E-mail up to BATCH followers of the iteration's charter (after the follow ``after``):
    (the number queued, the last follow handled when more may follow, else None)."""
    iteration = CharterIterationPage.objects.filter(pk=iteration_pk).first()
    if iteration is None or (event == OPENED and not iteration.live):
        return 0, None
    charter = source_charter(iteration.get_parent())
    follows = list(
        CharterFollow.objects.filter(
            charter_id=charter.pk,
            pk__gt=after,
            user__is_active=True,
            user__deleted_at__isnull=True,
        )
        .select_related("user")
        .order_by("pk")[:BATCH]
    )
    if not follows:
        return 0, None
    addresses = addresses_of(follow.user_id for follow in follows)
    texts = {}
    sent = 0
    for follow in follows:
        address = addresses.get(follow.user_id)
        if address is None:
            continue
        language = follow.user.preferred_language
        with translation.override(language):
            if language not in texts:
                texts[language] = _messages(event, iteration, language)
            subject, body = texts[language]
            stop = absolute(
                reverse("emails_stop", args=[charter_stop_token(follow.user_id, charter.pk)])
            )
            footer = _(
                "\nYou receive this e-mail because you follow this charter. "
                "Stop following it (one click): %(stop)s\n"
            ) % {"stop": stop}
        EmailMessage(
            subject=subject,
            body=body + footer,
            to=[address],
            headers={"List-Unsubscribe": f"<{stop}>"},
        ).send()
        sent += 1
    return sent, (follows[-1].pk if len(follows) == BATCH else None)


def export_notification_settings(user) -> dict:
    """For « download my data »: the charters ``user`` follows and their e-mail preferences
    (the discussions they follow are in the export of the discussions)."""
    return {
        "thread_emails": user.thread_emails,
        "team_digest": user.team_digest,
        "followed_charters": [
            {
                "charter": follow.charter.title,
                "address": absolute(follow.charter.url or ""),
                "since": follow.created_at.isoformat(),
            }
            for follow in CharterFollow.objects.filter(user=user).select_related("charter")
        ],
    }


def erase_follows(user) -> None:
    """On account deletion: it follows nothing any more (no e-mail could reach it anyway)."""
    CharterFollow.objects.filter(user=user).delete()
    ThreadFollow.objects.filter(user=user).delete()
