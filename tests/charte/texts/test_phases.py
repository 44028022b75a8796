"""One truth for the phases: the charter's timeline follows its versions, the team is warned
where the dates it typed disagree, and the adoption closes the charter's open debates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from charte.models import CharterPage, DebatePage
from charte.texts import phases, services
from tests import factories
from tests.charte.review.test_adoption import adopt

pytestmark = pytest.mark.django_db


def french(msgid, **values):
    with translation.override("fr"):
        return translation.gettext(msgid) % values if values else translation.gettext(msgid)


def with_timeline(charter, editor):
    """The timeline as a team typed it before the consultation was extended and the council
    met early: by its dates the consultation is over and the adoption still to come."""
    today = timezone.localdate()

    def phase(title, start, end, kind=""):
        return {
            "type": "phase",
            "value": {
                "title": title,
                "start": (today + datetime.timedelta(days=start)).isoformat(),
                "end": (today + datetime.timedelta(days=end)).isoformat(),
                "description": "",
                "kind": kind,
            },
        }

    page = CharterPage.objects.get(pk=charter.pk)
    page.timeline = [
        phase("Temps d’écoute", -90, -61),
        phase("Concertation sur le projet", -60, -10, "consultation"),
        phase("Vote du conseil", 10, 20),  # kind read from its title
        phase("Mise en œuvre et suivi", 21, 400, "other"),
    ]
    page.save_revision(user=editor).publish(user=editor)
    return CharterPage.objects.get(pk=charter.pk)


def told(charter, stage):
    """Where the charter stands, as its French page words it (``stage`` checked first)."""
    where = phases.standing(CharterPage.objects.get(pk=charter.pk).source_iterations())
    assert where.stage == stage
    with translation.override("fr"):
        return where.text


def phases_of(html):
    """The status class of each phase, in order."""
    items = html.split('class="timeline"')[1].split("</ol>")[0].split("<li ")[1:]
    return [item.split("timeline__phase--")[1].split('"')[0] for item in items]


def test_the_timeline_follows_the_versions_and_the_team_is_warned(client, opened, editor):
    charter = with_timeline(opened.get_parent().specific, editor)
    html = client.get(charter.url).content.decode()
    # Its dates say the consultation ended ten days ago: the open version says otherwise.
    assert phases_of(html) == ["past", "current", "upcoming", "upcoming"]
    assert told(charter, "consultation") in html

    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[charter.pk])).content.decode()
    warning = edit.split('id="phase-disagreements"')[1].split("</div>")[0]
    assert "Concertation sur le projet" in warning
    assert "Vote du conseil" not in warning and "Temps d’écoute" not in warning


def test_an_adopted_charter_never_shows_a_consultation_or_adoption_to_come(client, opened, editor):
    charter = with_timeline(opened.get_parent().specific, editor)
    debate = factories.make_debate(charter, user=editor)
    assert debate.state() == "open"
    services.iteration_close(iteration=opened, by=editor)

    client.force_login(editor)
    screen = client.get(reverse("charte_iteration_adopt", args=[opened.pk])).content.decode()
    assert f'href="/admin/pages/{debate.pk}/edit/"' in screen
    client.logout()

    adopt(opened, editor)
    html = client.get(charter.url).content.decode()
    assert phases_of(html) == ["past", "past", "past", "upcoming"]
    assert told(charter, "adopted") in html
    timeline = html.split('aria-labelledby="timeline"')[1].split("</section>")[0]
    # The phases before the adoption, the adoption included, are over.
    for done in timeline.split("Mise en œuvre")[0].split("<li ")[1:]:
        assert french("current phase") not in done and french("upcoming") not in done

    # The adoption closed the charter's debate, for good: its published window ends.
    debate = DebatePage.objects.get(pk=debate.pk)
    assert debate.state() == "closed" and debate.closes_at <= timezone.now()
    assert debate.get_latest_revision().as_object().state() == "closed"
    page = client.get(debate.url).content.decode()
    assert french("The debate closed on %(date)s: its arguments stay readable.").split("%")[0] in (
        page
    )


def test_the_admin_warns_when_the_timeline_announces_an_adoption_already_recorded(
    client, opened, editor
):
    charter = with_timeline(opened.get_parent().specific, editor)
    services.iteration_close(iteration=opened, by=editor)
    adopt(opened, editor)
    warnings = CharterPage.objects.get(pk=charter.pk).phase_disagreements()
    assert len(warnings) == 1 and "Vote du conseil" in warnings[0]
