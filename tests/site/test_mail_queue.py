"""E-mail goes through a durable queue: an SMTP outage delays mail and loses none."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.worker import work

# The worker closes its database connection when it is done, as a real worker process does:
# these tests run outside a wrapping transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def queued(settings):
    settings.EMAIL_BACKEND = "charte.core.mail.QueuedEmailBackend"
    settings.DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def test_mail_waits_in_the_queue_until_the_worker_sends_it(queued):
    mail.send_mail("Réponse", "Quelqu’un vous a répondu.", None, ["lea@example.org"])
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(queue_name="mail").count() == 1
    work()
    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    assert mail.outbox[0].subject == "Réponse"


def test_an_smtp_outage_delays_mail_and_loses_none(queued):
    queued.DELIVERY_EMAIL_BACKEND = "tests.failing_mail.DownEmailBackend"
    message = mail.EmailMultiAlternatives("Modération", "Texte", None, ["lea@example.org"])
    message.attach_alternative("<p>Texte</p>", "text/html")
    message.send()
    work()
    assert mail.outbox == []
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=30)
    assert retry.args_kwargs["args"][1] == 2  # second attempt

    # The server is back; the retry is due.
    queued.DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    work()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives[0][0] == "<p>Texte</p>"


def test_allauth_mail_goes_through_the_queue(queued, client):
    from django.urls import reverse

    client.post(
        reverse("account_signup"),
        {
            "email": "lea@example.org",
            "password1": "une phrase de passe solide",
            "password2": "une phrase de passe solide",
            "pseudonym": "Léa",
            "author_type": "resident",
            "territory": "",
            "preferred_language": "fr",
            "accept_rules": "on",
        },
    )
    assert mail.outbox == []
    work()
    assert len(mail.outbox) == 1 and "confirm-email" in mail.outbox[0].body
