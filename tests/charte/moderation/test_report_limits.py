"""Reports can hide a contribution: they are refused to blocked and unverified accounts and
limited in rate like every other post."""

import pytest
from django.utils import timezone

from charte.discussions.services import CommentRefused, comment_post
from charte.moderation.services import comment_report
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db


def blocked_citizen():
    user = make_citizen("b", "Bloqué")
    user.blocked_at = timezone.now()
    user.save(update_fields=["blocked_at"])
    return user


def test_a_blocked_account_cannot_report(paragraph, in_english):
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="À signaler")
    with pytest.raises(CommentRefused, match="blocked from contributing"):
        comment_report(comment=comment, by=blocked_citizen(), reason="insult")
    assert not comment.reports.exists()


def test_an_unverified_account_cannot_report(paragraph, in_english):
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="À signaler")
    with pytest.raises(CommentRefused, match="Confirm your e-mail address"):
        comment_report(comment=comment, by=make_citizen("u", "U", verified=False), reason="spam")
    assert not comment.reports.exists()


def test_an_unverified_account_is_told_why_on_the_page(client, opened, paragraph):
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="À signaler")
    client.force_login(make_citizen("u", "U", verified=False))
    response = client.post(
        url(opened, paragraph, f"c/{comment.pk}/report/"),
        {"reason": "insult", "details": "Il ment"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Confirmez votre adresse électronique" in html
    assert 'value="Il ment"' in html
    assert not comment.reports.exists()


def test_a_blocked_account_is_told_why_on_the_page(client, opened, paragraph):
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="À signaler")
    client.force_login(blocked_citizen())
    response = client.post(url(opened, paragraph, f"c/{comment.pk}/report/"), {"reason": "spam"})
    assert response.status_code == 403
    assert "bloqué" in response.content.decode()
    assert not comment.reports.exists()


def test_reports_are_rate_limited(client, opened, paragraph, settings):
    settings.POST_RATE_LIMITS = "2/60"
    author = make_citizen()
    comments = [comment_post(paragraph=paragraph, by=author, text=f"Texte {n}") for n in range(3)]
    client.force_login(make_citizen("b", "B"))
    statuses = [
        client.post(url(opened, paragraph, f"c/{c.pk}/report/"), {"reason": "spam"}).status_code
        for c in comments
    ]
    assert statuses == [302, 302, 429]
    third = client.post(url(opened, paragraph, f"c/{comments[2].pk}/report/"), {"reason": "spam"})
    assert third["Retry-After"]
    assert "trop vite" in third.content.decode()
    assert not comments[2].reports.exists()


@pytest.fixture
def debate(charter, editor):
    from tests import factories

    return factories.make_debate(charter, user=editor)


def test_a_blocked_account_cannot_report_an_argument(client, debate):
    from charte.debates.services import argument_post

    argument = argument_post(
        debate=debate, by=make_citizen(), side="for", title="Un argument", text="Parce que."
    )
    client.force_login(blocked_citizen())
    response = client.post(f"{debate.url}a/{argument.pk}/report/", {"reason": "spam"})
    assert response.status_code == 403
    assert "bloqué" in response.content.decode()
    assert not argument.reports.exists()


def test_argument_reports_are_rate_limited(client, debate, settings):
    from charte.debates.services import argument_post

    settings.POST_RATE_LIMITS = "1/60"
    author = make_citizen()
    arguments = [
        argument_post(debate=debate, by=author, side="for", title=f"Argument {n}", text="Car.")
        for n in range(2)
    ]
    client.force_login(make_citizen("b", "B"))
    first = client.post(f"{debate.url}a/{arguments[0].pk}/report/", {"reason": "spam"})
    second = client.post(f"{debate.url}a/{arguments[1].pk}/report/", {"reason": "spam"})
    assert (first.status_code, second.status_code) == (302, 429)
    assert "trop vite" in second.content.decode()
    assert not arguments[1].reports.exists()
