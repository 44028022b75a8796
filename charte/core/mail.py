"""Every e-mail the site sends goes through a durable queue.

``QueuedEmailBackend`` is the site's ``EMAIL_BACKEND``: it stores each message as a task in the
database (django-tasks-db) and returns at once. The worker (``manage.py db_worker``) delivers it
with the real backend (``DELIVERY_EMAIL_BACKEND``, SMTP in production). A failed delivery is
tried again later, with a growing delay, so an SMTP outage delays mail and loses none.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAIL_QUEUE = "mail"


def retry_delay(attempt: int) -> datetime.timedelta:
    """1, 2, 4, 8 … minutes, at most 6 hours between tries."""
    return datetime.timedelta(minutes=min(2 ** (attempt - 1), 360))


def _serialize(message: EmailMessage) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {k: str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def _deserialize(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


@task(backend="durable", queue_name=MAIL_QUEUE)
def deliver_email(message: dict, attempt: int = 1) -> None:
    """Send one queued message; on failure, queue it again for later."""
    try:
        connection = get_connection(settings.DELIVERY_EMAIL_BACKEND, fail_silently=False)
        connection.send_messages([_deserialize(message)])
    except Exception:
        if attempt >= settings.EMAIL_MAX_ATTEMPTS:
            logger.exception("E-mail to %s given up after %s attempts", message["to"], attempt)
            raise
        delay = retry_delay(attempt)
        logger.warning(
            "E-mail to %s failed (attempt %s); trying again in %s", message["to"], attempt, delay
        )
        deliver_email.using(run_after=timezone.now() + delay).enqueue(message, attempt + 1)


class QueuedEmailBackend(BaseEmailBackend):
    """Queue messages for delivery by the worker instead of sending them in the request.

    A message from the default sender (Django's, allauth's and Wagtail's e-mails, the site's
    notifications) comes from the site's identity instead, as the team set it; every plain-text
    message ends with the identity's signature (name, postal address, the site's address)."""

    def send_messages(self, email_messages):
        from charte.core.identity import current

        count = 0
        identity = None
        for message in email_messages:
            identity = identity or current()
            if message.from_email in (None, "", settings.DEFAULT_FROM_EMAIL):
                message.from_email = identity.from_email
            if message.content_subtype == "plain" and identity.signature not in message.body:
                message.body = message.body.rstrip("\n") + "\n\n" + identity.signature
            deliver_email.enqueue(_serialize(message))
            count += 1
        return count


# -- One-click « no more of these e-mails » links ----------------------------------------------
# Signed and expiring like the « stop following this discussion » links: ``what`` names the
# e-mails to stop (charte.accounts.views.stop_emails applies it).

STOP_SALT = "charte.emails-stop"
STOP_MAX_AGE = 60 * 60 * 24 * 90  # 90 days
STOP_THREADS = "threads"  # every e-mail about the discussions followed
STOP_TEAM_DIGEST = "team"  # the team's daily digest
STOP_CHARTER = "charter"  # the news of one charter: "charter:<its pk>"


def stop_token(user_pk: int, what: str) -> str:
    return signing.dumps({"u": user_pk, "w": what}, salt=STOP_SALT)


def read_stop_token(token: str) -> tuple[int, str]:
    """(user pk, what to stop); raise signing.BadSignature for a forged or expired link."""
    data = signing.loads(token, salt=STOP_SALT, max_age=STOP_MAX_AGE)
    if not isinstance(data, dict) or "u" not in data or not isinstance(data.get("w"), str):
        raise signing.BadSignature("nothing to stop")
    return int(data["u"]), data["w"]


# -- Retention (README « Security and operations ») ------------------------------------------

DELIVER_PATH = "charte.core.mail.deliver_email"
FINISHED = ("SUCCESSFUL", "FAILED")
# A password-reset message holds its link in the task's arguments: never kept once sent.
RESET_LINK_MARKER = "/password/reset/key/"


def _email_tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=DELIVER_PATH)


def _message(row) -> dict:
    args = (row.args_kwargs or {}).get("args") or [{}]
    return args[0] if isinstance(args[0], dict) else {}


def purge_delivered_emails(*, older_than_days: int) -> int:
    """Delete the e-mail tasks finished more than ``older_than_days`` ago; their number."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = _email_tasks().filter(status__in=FINISHED, finished_at__lt=cutoff).delete()
    return deleted


def purge_reset_emails() -> int:
    """Delete the password-reset e-mails already sent (their arguments hold the link)."""
    sent = _email_tasks().filter(status__in=FINISHED).only("id", "args_kwargs")
    ids = [row.pk for row in sent.iterator() if RESET_LINK_MARKER in _message(row).get("body", "")]
    return _email_tasks().filter(pk__in=ids).delete()[0] if ids else 0


def delete_emails_to(addresses) -> int:
    """Delete every e-mail task, queued or sent, addressed to one of ``addresses``."""
    wanted = {address.lower() for address in addresses if address}
    if not wanted:
        return 0
    ids = [
        row.pk
        for row in _email_tasks().only("id", "args_kwargs").iterator()
        if wanted & {str(to).lower() for to in _message(row).get("to", [])}
    ]
    return _email_tasks().filter(pk__in=ids).delete()[0] if ids else 0
