"""Following a charter: a button on its page (a form, no JavaScript), and an e-mail to each
follower, in their language, when a version opens for consultation, when a consultation's
synthesis is published and when the charter is adopted; queued in bounded batches, each with
a one-click « stop following » link."""

from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from charte.discussions import charter_notifications
from charte.models import CharterFollow
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.review.test_adoption import adopt
from tests.worker import work

pytestmark = pytest.mark.django_db


def follower(charter, username, language="fr"):
    user = factories.UserFactory(username=username, preferred_language=language)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    CharterFollow.objects.create(user=user, charter=charter)
    return user


def open_now(iteration, editor, capture):
    with capture(execute=True):
        return services.iteration_open(iteration=iteration, by=editor)


def test_the_follow_button_on_the_charter_page(client, charter):
    html = client.get(charter.url).content.decode()
    assert "Connectez-vous pour suivre cette charte" in html
    lea = make_citizen()
    client.force_login(lea)
    html = client.get(charter.url).content.decode()
    assert 'aria-pressed="false"' in html and "Suivre cette charte" in html
    response = client.post(reverse("charter_follow", args=[charter.pk]))
    assert response.status_code == 302 and response["Location"] == charter.url
    assert CharterFollow.objects.filter(user=lea, charter=charter).exists()
    html = client.get(charter.url).content.decode()
    assert 'aria-pressed="true"' in html and "Ne plus suivre cette charte" in html
    client.post(reverse("charter_follow", args=[charter.pk]), {"follow": "stop"})
    assert not CharterFollow.objects.exists()


def test_signing_in_is_required_to_follow(client, charter):
    response = client.post(reverse("charter_follow", args=[charter.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not CharterFollow.objects.exists()


def test_a_version_opening_is_told_to_each_follower_in_their_language(
    client, charter, iteration, editor, django_capture_on_commit_callbacks
):
    lea = follower(charter, "lea")
    anna = follower(charter, "anna", "en")
    open_now(iteration, editor, django_capture_on_commit_callbacks)
    assert mail.outbox == []  # queued for the worker
    work()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {lea.email, anna.email}
    french = by_address[lea.email]
    assert french.subject == "«\u00a0Version 1\u00a0» est ouverte à la concertation"
    assert "est ouverte à la concertation jusqu’au " in french.body
    assert f"http://testserver{iteration.url}" in french.body
    english = by_address[anna.email]
    assert english.subject == "« Version 1 » is open for consultation"
    assert "is open for consultation until " in english.body

    stop = french.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop in french.body
    response = client.get(urlparse(stop).path)
    assert response.status_code == 200
    assert "vous ne suivez plus cette charte" in response.content.decode()
    assert list(CharterFollow.objects.values_list("user_id", flat=True)) == [anna.pk]


def test_no_storm_followers_are_told_in_bounded_batches(
    charter, iteration, editor, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(charter_notifications, "BATCH", 3)
    people = [follower(charter, f"p{n}") for n in range(7)]
    open_now(iteration, editor, django_capture_on_commit_callbacks)
    work()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    batches = DBTaskResult.objects.filter(task_path__endswith="notify_charter_followers_task")
    assert batches.count() == 3  # 3 + 3 + 1, each batch queuing the next


def test_the_synthesis_and_the_adoption_are_told(
    opened, editor, charter, django_capture_on_commit_callbacks
):
    lea = follower(charter, "lea")
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_close(iteration=opened, by=editor)
    work()
    (synthesis,) = mail.outbox
    assert synthesis.to == [lea.email]
    assert synthesis.subject == (
        "La synthèse de la concertation sur «\u00a0Version 1\u00a0» est publiée"
    )
    assert f"http://testserver{opened.url}synthesis/" in synthesis.body

    with django_capture_on_commit_callbacks(execute=True):
        adopt(opened, editor)
    work()
    adopted = mail.outbox[-1]
    assert adopted.subject == f"«\u00a0{charter.title}\u00a0» a été adoptée"
    assert "Le conseil a adopté" in adopted.body


def test_charter_follows_are_in_download_my_data(client, charter):
    lea = follower(charter, "lea")
    client.force_login(lea)
    data = client.get(reverse("account_data")).json()
    settings = data["contributions"]["notifications"]
    assert settings["thread_emails"] == "hourly"
    assert [row["charter"] for row in settings["followed_charters"]] == [charter.title]


def test_a_deleted_account_follows_nothing_any_more(charter, paragraph):
    from charte.accounts.services import account_delete
    from charte.models import ThreadFollow

    lea = follower(charter, "lea")
    ThreadFollow.objects.create(user=lea, target=paragraph)
    account_delete(user=lea)
    assert not CharterFollow.objects.exists()
    assert not ThreadFollow.objects.exists()


def test_a_version_opened_for_a_later_date_is_told_at_its_opening(
    charter, editor, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from charte.models import CharterIterationPage

    lea = follower(charter, "lea")
    now = timezone.now()
    draft = CharterIterationPage(
        title="Version 1",
        slug="version-1",
        label="Projet soumis à la concertation",
        body=factories.body_with(3),
        owner=editor,
        live=False,
    )
    charter.add_child(instance=draft)
    draft.save_revision(user=editor)
    opens_at = now + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_open(
            iteration=draft,
            by=editor,
            opens_at=opens_at,
            closes_at=now + datetime.timedelta(days=30),
        )
    work()
    assert mail.outbox == []  # not public yet: nobody is told
    with django_capture_on_commit_callbacks(execute=True):
        services.open_scheduled_consultations(now=opens_at)
    work()
    (message,) = mail.outbox
    assert message.to == [lea.email]
    assert message.subject == "«\u00a0Version 1\u00a0» est ouverte à la concertation"
    assert DBTaskResult.objects.filter(task_path__endswith="charter_followers_task").count() == 1


def test_a_public_version_whose_consultation_opens_later_is_told_then(
    charter, editor, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    follower(charter, "lea")
    now = timezone.now()
    public = factories.make_iteration(
        charter,
        user=editor,
        opens_at=now + datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_open(iteration=public, by=editor)
    work()
    assert mail.outbox == []  # queued for its opening, not sent before
    (task,) = DBTaskResult.objects.filter(task_path__endswith="charter_followers_task")
    assert abs(task.run_after - (now + datetime.timedelta(days=1))) < datetime.timedelta(seconds=1)
