"""Following a discussion: an e-mail gathering its new comments, one-click signed
unsubscribe."""

import pytest
from django.core import mail, signing
from django.urls import reverse

from charte.discussions.notifications import unfollow_token
from charte.discussions.services import comment_post
from charte.models import ThreadFollow
from tests.charte.discussions.test_comments import make_citizen, url
from tests.worker import work

pytestmark = pytest.mark.django_db


def deliver_notifications():
    """What the worker does with the queued tasks: the notifications, then their e-mails."""
    work()


def test_the_first_author_is_emailed_when_someone_replies(
    opened, paragraph, django_capture_on_commit_callbacks
):
    lea = make_citizen()
    with django_capture_on_commit_callbacks(execute=True):
        first = comment_post(paragraph=paragraph, by=lea, text="Ma proposition", follow=True)
    deliver_notifications()
    assert mail.outbox == []  # nobody else follows yet
    sam = make_citizen("sam", "Sam")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(paragraph=paragraph, by=sam, text="Je suis d’accord", parent_id=first.pk)
    assert mail.outbox == []  # the request does not send it: the worker does
    deliver_notifications()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea@example.org"]
    assert "Sam" in message.body and "Je suis d’accord" in message.body
    assert f"http://testserver{url(opened, paragraph)}#c" in message.body
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop in message.body and stop.startswith("http://testserver/")


def test_one_click_unfollow_and_forged_links(client, opened, paragraph):
    lea = make_citizen()
    ThreadFollow.objects.create(user=lea, target=paragraph)
    token = unfollow_token(lea.pk, paragraph)
    assert client.get(reverse("thread_unfollow", args=[token[:-2] + "xx"])).status_code == 400
    response = client.get(reverse("thread_unfollow", args=[token]))
    assert response.status_code == 200
    assert not ThreadFollow.objects.exists()


def test_expired_unfollow_links_are_refused(client, paragraph, monkeypatch):
    import charte.discussions.notifications as notifications

    token = unfollow_token(1, paragraph)
    monkeypatch.setattr(notifications, "UNFOLLOW_MAX_AGE", -1)
    with pytest.raises(signing.SignatureExpired):
        notifications.read_unfollow_token(token)
    assert client.get(reverse("thread_unfollow", args=[token])).status_code == 400


def test_follow_toggle_on_the_paragraph_page(client, opened, paragraph):
    lea = make_citizen()
    client.force_login(lea)
    client.post(url(opened, paragraph, "follow/"))
    assert ThreadFollow.objects.filter(user=lea).exists()
    assert 'aria-pressed="true"' in client.get(url(opened, paragraph)).content.decode()
    client.post(url(opened, paragraph, "follow/"))
    assert not ThreadFollow.objects.exists()
