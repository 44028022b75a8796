"""Retention of personal data: purge_personal_data (for cron) deletes old e-mails and sent
reset links and erases IP addresses after the consultation; deleting an account deletes its
e-mails."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from charte.accounts.services import account_delete
from charte.discussions.services import comment_post
from charte.models import Comment
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def email_task(to, *, body="Bonjour", status="SUCCESSFUL", finished_days_ago=None):
    message = {
        "subject": "Sujet",
        "body": body,
        "from_email": "charte@example.org",
        "to": [to],
        "cc": [],
        "bcc": [],
        "reply_to": [],
        "headers": {},
        "alternatives": [],
    }
    finished = None
    if finished_days_ago is not None:
        finished = NOW - datetime.timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(
        task_path="charte.core.mail.deliver_email",
        args_kwargs={"args": [message, 1], "kwargs": {}},
        queue_name="mail",
        backend_name="durable",
        priority=0,
        status=status,
        finished_at=finished,
        run_after=NOW,
    )


def purge():
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    return out.getvalue()


def remaining():
    return set(DBTaskResult.objects.values_list("pk", flat=True))


def test_old_delivered_emails_and_sent_reset_links_are_purged(settings):
    settings.RETENTION_DELIVERED_EMAIL_DAYS = 30
    old = email_task("a@example.org", finished_days_ago=31)
    old_failed = email_task("a@example.org", status="FAILED", finished_days_ago=40)
    recent = email_task("a@example.org", finished_days_ago=2)
    queued = email_task("a@example.org", status="READY")
    reset_body = "Réinitialisez : https://charte.example.org/accounts/password/reset/key/1-abc/"
    reset_sent = email_task("b@example.org", body=reset_body, finished_days_ago=0)
    reset_queued = email_task("b@example.org", body=reset_body, status="READY")

    output = purge()
    assert remaining() == {recent.pk, queued.pk, reset_queued.pk}
    assert not DBTaskResult.objects.filter(pk__in=[old.pk, old_failed.pk, reset_sent.pk]).exists()
    assert "Password-reset e-mails deleted: 1" in output
    assert "Delivered e-mails older than 30 days deleted: 2" in output

    again = purge()  # idempotent: nothing more to do
    assert remaining() == {recent.pk, queued.pk, reset_queued.pk}
    assert "deleted: 0" in again


def test_ip_addresses_are_erased_once_the_consultation_is_closed(settings, opened, paragraph):
    settings.RETENTION_IP_DAYS_AFTER_CLOSE = 0
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="Avis")
    Comment.objects.filter(pk=comment.pk).update(ip_address="203.0.113.7")

    purge()  # still open: the address is kept
    assert Comment.objects.get(pk=comment.pk).ip_address == "203.0.113.7"

    type(opened).objects.filter(pk=opened.pk).update(closes_at=NOW - datetime.timedelta(hours=1))
    Comment.objects.filter(pk=comment.pk).update(submit_date=NOW - datetime.timedelta(hours=2))
    output = purge()
    assert Comment.objects.get(pk=comment.pk).ip_address is None
    assert "Comments whose IP address was erased: 1" in output
    assert "erased: 0" in purge()


def test_deleting_an_account_deletes_its_queued_and_sent_emails():
    user = make_citizen()
    sent = email_task(user.email, finished_days_ago=1)
    queued = email_task(user.email.upper(), status="READY")
    other = email_task("someone@example.org", status="READY")

    account_delete(user=user)
    assert remaining() == {other.pk}
    assert not DBTaskResult.objects.filter(pk__in=[sent.pk, queued.pk]).exists()
