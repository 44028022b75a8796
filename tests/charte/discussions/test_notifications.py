"""What the followers of a discussion receive: one e-mail gathering its new comments, at most
one per discussion per hour (or a daily digest, or nothing, as they choose), in their language,
with a one-click « stop » link; never one e-mail per comment, even on a busy thread."""

import datetime
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charte.discussions.notifications import (
    send_daily_thread_digests,
    send_thread_news,
)
from charte.discussions.services import comment_post
from charte.models import ThreadFollow, User
from tests import factories
from tests.charte.discussions.test_comments import make_citizen, url
from tests.worker import work

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def path_of(link: str) -> str:
    return urlparse(link).path


def followers(paragraph, count, **fields):
    """``count`` accounts following the paragraph's discussion, with a verified address."""
    users = factories.UserFactory.create_batch(count, **fields)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    ThreadFollow.objects.bulk_create(
        ThreadFollow(user=user, content_type_id=_type(paragraph), object_id=paragraph.pk)
        for user in users
    )
    return users


def _type(target):
    from charte.core.targets import target_type

    return target_type(target).pk


def post(paragraph, by, text, capture, **kwargs):
    with capture(execute=True):
        return comment_post(paragraph=paragraph, by=by, text=text, **kwargs)


def test_a_follower_gets_the_first_comment_at_once_then_the_others_gathered_an_hour_later(
    client, opened, paragraph, django_capture_on_commit_callbacks
):
    (lea,) = followers(paragraph, 1)
    sam = make_citizen("sam", "Sam")
    post(paragraph, sam, "Premier avis", django_capture_on_commit_callbacks)
    work()
    (first,) = mail.outbox
    assert first.to == [lea.email]
    assert first.subject == f"1 nouveau commentaire sur {paragraph.discussion_title()}"
    assert "Premier avis" in first.body and "Sam" in first.body
    assert "Vous recevez au plus un e-mail par discussion et par heure" in first.body

    for text in ("Deuxième avis", "Troisième avis"):
        post(paragraph, sam, text, django_capture_on_commit_callbacks)
    work()
    assert len(mail.outbox) == 1  # within the hour: nothing more yet

    # Nobody writes again: the next run after the hour gathers both, once.
    assert send_thread_news(now=timezone.now() + HOUR) == 1
    assert send_thread_news(now=timezone.now() + HOUR) == 0
    work()
    assert len(mail.outbox) == 2
    gathered = mail.outbox[1]
    assert gathered.subject == f"2 nouveaux commentaires sur {paragraph.discussion_title()}"
    assert "Deuxième avis" in gathered.body and "Troisième avis" in gathered.body
    assert "Premier avis" not in gathered.body
    assert f"http://testserver{url(opened, paragraph)}#c" in gathered.body

    # The one-click link stops following, without signing in.
    stop = gathered.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop in gathered.body
    response = client.get(path_of(stop))
    assert response.status_code == 200
    assert not ThreadFollow.objects.filter(user=lea).exists()


def test_the_gathered_e_mail_is_in_each_followers_language(
    opened, paragraph, django_capture_on_commit_callbacks
):
    (anna,) = followers(paragraph, 1, preferred_language="en")
    post(paragraph, make_citizen("sam", "Sam"), "Un avis", django_capture_on_commit_callbacks)
    work()
    (message,) = mail.outbox
    assert message.to == [anna.email]
    assert message.subject.startswith("1 new comment on ")
    assert "New in the discussion you follow:" in message.body
    assert "You receive at most one e-mail per discussion per hour." in message.body
    assert "Stop following this discussion (one click):" in message.body
    assert "Un avis" in message.body


def test_no_storm_a_hundred_followers_and_five_hundred_comments_in_an_hour(
    opened, paragraph, django_capture_on_commit_callbacks
):
    people = followers(paragraph, 100)
    writers = [make_citizen(f"w{n}", f"Auteur {n}") for n in range(5)]
    post(paragraph, writers[0], "Commentaire 0", django_capture_on_commit_callbacks)
    work()
    assert len(mail.outbox) == 100  # the first comment reaches everyone at once
    for n in range(1, 500):
        post(paragraph, writers[n % 5], f"Commentaire {n}", django_capture_on_commit_callbacks)
    work()
    # The 499 others, each queuing its task, wait for the hour.
    assert len(mail.outbox) == 100
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in people)

    later = timezone.now() + HOUR
    with CaptureQueriesContext(connection) as queries:
        assert send_thread_news(now=later) == 100
    # Bounded: a few queries a follower (claim, queue), whatever the number of comments.
    assert len(queries) <= 100 * 5 + 20
    work()
    assert len(mail.outbox) == 200
    gathered = mail.outbox[-1]
    assert gathered.subject.startswith("499 nouveaux commentaires sur ")
    assert "Commentaire 1\n" in gathered.body and "Commentaire 499" in gathered.body
    # Two runs at once, or cron again: nothing twice.
    assert send_thread_news(now=later) == 0


def test_a_follower_who_wrote_is_not_told_of_their_own_comment(
    opened, paragraph, django_capture_on_commit_callbacks
):
    lea = make_citizen()
    post(paragraph, lea, "Mon avis", django_capture_on_commit_callbacks, follow=True)
    post(paragraph, lea, "Mon second avis", django_capture_on_commit_callbacks)
    work()
    assert send_thread_news(now=timezone.now() + HOUR) == 0
    assert mail.outbox == []


def test_the_daily_digest_gathers_every_discussion_once_a_day(
    client, opened, paragraph, django_capture_on_commit_callbacks
):
    from charte.texts.paragraphs import Paragraph

    other = Paragraph.objects.filter(iteration=opened).order_by("position")[1]
    (lea,) = followers(paragraph, 1, thread_emails="daily")
    ThreadFollow.objects.create(user=lea, target=other)
    sam = make_citizen("sam", "Sam")
    post(paragraph, sam, "Sur le premier", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(target=other, by=sam, text="Sur le second")
    work()
    assert mail.outbox == []  # no e-mail per discussion for a daily reader

    tomorrow = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(
        hour=8, minute=0
    )
    assert send_daily_thread_digests(now=tomorrow) == 1
    assert send_daily_thread_digests(now=tomorrow + HOUR) == 0  # never twice a day
    work()
    (digest,) = mail.outbox
    assert digest.subject == "Votre récapitulatif du jour\u00a0: 2 nouveaux commentaires"
    assert "Sur le premier" in digest.body and "Sur le second" in digest.body
    assert "Ne plus la suivre (en un clic)\u00a0:" in digest.body

    stop = digest.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.get(path_of(stop))
    assert response.status_code == 200
    assert "vous ne recevrez plus d’e-mails sur les discussions" in response.content.decode()
    lea.refresh_from_db()
    assert lea.thread_emails == "none"


def test_a_forged_stop_link_is_refused_in_the_readers_language(client):
    response = client.get(reverse("emails_stop", args=["forged"]))
    assert response.status_code == 400
    assert "Ce lien n’est plus valable" in response.content.decode()


def test_no_e_mail_for_those_who_chose_none(opened, paragraph, django_capture_on_commit_callbacks):
    followers(paragraph, 3, thread_emails="none")
    post(paragraph, make_citizen("sam", "Sam"), "Un avis", django_capture_on_commit_callbacks)
    work()
    assert send_thread_news(now=timezone.now() + HOUR) == 0
    assert send_daily_thread_digests(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert mail.outbox == []


def test_the_cron_command_sends_what_is_due(opened, paragraph, django_capture_on_commit_callbacks):
    followers(paragraph, 2)
    sam = make_citizen("sam", "Sam")
    with django_capture_on_commit_callbacks(execute=False):  # no worker ran the request's task
        comment_post(paragraph=paragraph, by=sam, text="Un avis")
    call_command("send_notifications")
    call_command("send_notifications")
    work()
    assert len(mail.outbox) == 2


# -- Following is offered, never silent ------------------------------------------------------


def test_the_comment_form_offers_to_follow_and_posting_follows_only_when_ticked(
    client, opened, paragraph
):
    lea = make_citizen()
    client.force_login(lea)
    html = client.get(url(opened, paragraph)).content.decode()
    label = (
        "Suivre cette discussion\u00a0: recevoir un e-mail quand d’autres y écrivent "
        "(au plus un par heure)"
    )
    assert label in html
    assert 'name="follow" value="on">' in html  # not ticked for them

    client.post(url(opened, paragraph, "comment/"), {"comment": "Sans suivre"})
    assert not ThreadFollow.objects.filter(user=lea).exists()
    client.post(url(opened, paragraph, "comment/"), {"comment": "En suivant", "follow": "on"})
    assert ThreadFollow.objects.filter(user=lea).count() == 1
    html = client.get(url(opened, paragraph)).content.decode()
    assert "Vous suivez cette discussion." in html


# -- The preferences page ---------------------------------------------------------------------


def test_the_preferences_page_lists_and_changes_what_is_followed(client, opened, paragraph):
    lea = make_citizen()
    ThreadFollow.objects.create(user=lea, target=paragraph)
    client.force_login(lea)
    page = reverse("account_notifications")
    html = client.get(page).content.decode()
    assert "Mes préférences d’e-mails" in html
    assert "Au plus un e-mail par discussion et par heure" in html
    assert "Discussions que je suis" in html and url(opened, paragraph) in html
    assert "Récapitulatif quotidien de l’équipe" not in html  # not a team member
    assert "Recevoir le récapitulatif quotidien" not in html

    response = client.post(page, {"thread_emails": "daily"})
    assert response.status_code == 302
    lea.refresh_from_db()
    assert lea.thread_emails == "daily"
    follow = ThreadFollow.objects.get(user=lea)
    client.post(page, {"stop_discussion": str(follow.pk)})
    assert not ThreadFollow.objects.filter(user=lea).exists()

    refused = client.post(page, {"thread_emails": "often"})
    assert refused.status_code == 400
    assert "Sélectionnez un choix valide" in refused.content.decode()


def test_the_preferences_page_in_english_and_for_the_team(client, english, in_english):
    editor = factories.editor("redaction")
    client.force_login(editor)
    html = client.get(reverse("account_notifications")).content.decode()
    assert "<h1>My e-mail preferences</h1>" in html
    assert "At most one e-mail per discussion per hour, gathering what is new" in html
    assert "Receive the team&#x27;s daily digest" in html
    client.post(reverse("account_notifications"), {"thread_emails": "hourly"})
    assert User.objects.get(pk=editor.pk).team_digest is False  # unticked box: off


def test_a_refused_comment_comes_back_with_the_box_ticked(client, opened, paragraph, settings):
    lea = make_citizen()
    client.force_login(lea)
    settings.COMMENT_MAX_LENGTH = 10
    response = client.post(
        url(opened, paragraph, "comment/"), {"comment": "Un avis bien trop long", "follow": "on"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Un avis bien trop long" in html
    assert 'id="follow-new" name="follow" value="on" checked>' in html
    assert not ThreadFollow.objects.exists()


def test_the_preferences_page_reads_a_bounded_number_of_queries(
    client, opened, django_assert_max_num_queries
):
    from charte.texts.paragraphs import Paragraph

    lea = make_citizen()
    rows = list(Paragraph.objects.filter(iteration=opened))
    ThreadFollow.objects.bulk_create(
        ThreadFollow(user=lea, content_type_id=_type(row), object_id=row.pk) for row in rows
    )
    client.force_login(lea)
    client.get(reverse("account_notifications"))  # warm the caches (site, locales)
    # A query or two per discussion followed (its page in the reader's language), no more.
    with django_assert_max_num_queries(20 + 2 * len(rows)):
        html = client.get(reverse("account_notifications")).content.decode()
    assert html.count('name="stop_discussion"') == len(rows)
