"""What the team is told: at once when readers' reports hide a contribution (the moderators),
and every morning what to do today (the team's digest), in each member's language."""

import datetime
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from charte.amendments.services import amendment_propose
from charte.core import roles
from charte.discussions.services import comment_post
from charte.models import Amendment, User
from charte.moderation.services import comment_report
from charte.notices.digest import send_team_digests
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.worker import work

pytestmark = pytest.mark.django_db


def member(username, role, language="fr"):
    user = factories.UserFactory(
        username=username, pseudonym=username.title(), role=role, preferred_language=language
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def tomorrow_morning():
    """The next 8 o'clock in Paris: whatever the hour the suite runs, the same day follows."""
    return timezone.localtime(timezone.now() + datetime.timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )


@override_settings(COMMENT_AUTO_HIDE_REPORTS=2)
def test_moderators_are_told_at_once_when_reports_hide_a_comment(
    opened, paragraph, django_capture_on_commit_callbacks
):
    modo = member("modo", roles.MODERATORS)
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="Propos douteux")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            comment_report(comment=comment, by=make_citizen(f"r{n}", f"Lecteur {n}"), reason="spam")
    work()
    told = [m for m in mail.outbox if m.to == [modo.email]]
    assert len(told) == 1
    (message,) = told
    assert message.subject == (
        "Des signalements ont masqué une contribution\u00a0: un modérateur doit décider"
    )
    assert "Propos douteux" in message.body
    assert f"http://testserver{reverse('charte_moderation')}" in message.body


def test_the_team_digest_says_what_to_do_today_once_a_day(
    client, opened, paragraph, django_capture_on_commit_callbacks
):
    editor = member("redaction", roles.COMMUNICATION_TEAM)
    anna = member("anna", roles.COMMUNICATION_TEAM, "en")
    make_citizen("lea", "Léa")  # residents get no digest
    proposed = amendment_propose(
        paragraph=paragraph,
        by=make_citizen("marc", "Marc"),
        kind="modify",
        text="Une autre rédaction.",
        rationale="Plus clair.",
    )
    morning = tomorrow_morning()
    # Proposed the evening before the digest (the suite may run at any hour).
    Amendment.objects.filter(pk=proposed.pk).update(
        created_at=morning - datetime.timedelta(hours=12)
    )
    assert send_team_digests(now=morning) == 2
    assert send_team_digests(now=morning + datetime.timedelta(hours=2)) == 0  # never twice
    work()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {editor.email, anna.email}
    french = by_address[editor.email]
    assert french.subject == "Le récapitulatif de l’équipe\u00a0: à faire aujourd’hui"
    assert "1 nouvel amendement depuis le dernier récapitulatif\u00a0:" in french.body
    assert "1 amendement attend une réponse" in french.body
    assert "http://testserver/admin/" in french.body
    english = by_address[anna.email]
    assert english.subject == "The team's digest: what to do today"
    assert "1 new amendment since the last digest:" in english.body

    stop = french.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.get(urlparse(stop).path)
    assert response.status_code == 200
    assert User.objects.get(pk=editor.pk).team_digest is False
    # The next day, only Anna gets it.
    mail.outbox.clear()
    assert send_team_digests(now=morning + datetime.timedelta(days=1)) == 1


def test_no_digest_when_there_is_nothing_to_do(db):
    member("redaction", roles.COMMUNICATION_TEAM)
    assert send_team_digests(now=tomorrow_morning()) == 0
