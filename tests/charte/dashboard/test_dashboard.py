"""The team's dashboard on Wagtail's admin home: what awaits an answer or a moderator, how each
open consultation and debate is going, the worker's health; each person sees what they may act
on, in their language, at the same cost at 20,000 comments as at 20."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.users.models import UserProfile

from charte.amendments.services import (
    amendment_answer,
    amendment_answer_draft,
    amendment_propose,
)
from charte.core import roles
from charte.core.formatting import format_date as long_date
from charte.debates.services import argument_post
from charte.discussions.services import comment_post
from charte.models import Amendment, Paragraph
from charte.moderation.services import comment_report
from tests import factories
from tests.charte.dashboard import volume
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def signed_in(client, user, language="fr"):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def section(html, heading_id):
    """The part of the dashboard under the heading ``heading_id``."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def chart_rows(html, chart_id) -> dict:
    """The table of the chart ``chart_id``: its figure for each row's label."""
    table = html[html.index(f'id="{chart_id}-caption"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in table.split('<th scope="row">')[1:]:
        label, rest = row.split("</th>", 1)
        rows[label] = rest.split("<td>", 1)[1].split("</td>", 1)[0]
    return rows


@pytest.fixture
def activity(opened, paragraph, editor):
    """Two residents comment the open version, one proposes two amendments (one answered,
    one waiting since three days); a debate is open with one argument."""
    lea, sam = make_citizen(), make_citizen("sam", "Sam")
    comment_post(paragraph=paragraph, by=lea, text="Bonne idée")
    comment_post(paragraph=paragraph, by=sam, text="Je ne suis pas d’accord")
    answered = amendment_propose(paragraph=paragraph, by=lea, kind="delete", rationale="Inutile")
    amendment_answer(amendment=answered, status="rejected", response="Utile", by=editor)
    waiting = amendment_propose(
        paragraph=paragraph,
        by=sam,
        kind="modify",
        text="Nouvelle rédaction",
        rationale="Plus clair",
    )
    Amendment.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    debate = factories.make_debate(
        opened.get_parent(), closes_at=timezone.now() + datetime.timedelta(days=3), user=editor
    )
    argument_post(debate=debate, by=lea, side="for", title="Oui", text="Les jeunes d’abord")
    return {"waiting": waiting, "answered": answered, "debate": debate}


def test_the_team_sees_what_to_do_today_in_french(client, editor, charter, opened, activity):
    charter.save_revision(user=editor, log_action=True)
    html = signed_in(client, editor).get(HOME).content.decode()
    assert "Piloter la concertation" in html
    amendments = section(html, "dashboard-amendments")
    assert "1 amendement attend une réponse" in amendments
    assert 'href="/admin/amendments/?status=submitted"' in amendments
    assert f'href="/admin/amendments/edit/{activity["waiting"].pk}/"' in amendments
    assert f"/admin/amendments/edit/{activity['answered'].pk}/" not in amendments
    assert "en attente depuis 3 jours" in amendments
    consultation = section(html, f"dashboard-consultation-{opened.pk}")
    assert f'href="/admin/pages/{opened.pk}/edit/"' in consultation
    # Léa and Sam: two comments and two amendments.
    assert "2 participants" in consultation
    assert "4 contributions" in consultation
    assert "Contributions des 14 derniers jours" in consultation
    assert "Participants des 14 derniers jours" in consultation
    today = long_date(timezone.localdate())
    contributions, people = (
        chart_rows(consultation, f"dashboard-consultation-{opened.pk}-{name}")
        for name in ("chart", "people")
    )
    # Today: two comments and one amendment by Léa and Sam; three days ago, Sam's amendment.
    assert contributions[today] == "3"
    assert people[today] == "2"
    three_days_ago = long_date(timezone.localdate() - datetime.timedelta(days=3))
    assert (contributions[three_days_ago], people[three_days_ago]) == ("1", "1")
    debate = section(html, f"dashboard-debate-{activity['debate'].pk}")
    assert "1 participant" in debate
    assert "1 contribution" in debate
    closing = section(html, "dashboard-closing")
    assert f'href="/admin/pages/{activity["debate"].pk}/edit/"' in closing
    assert f'href="/admin/pages/{opened.pk}/edit/"' not in closing
    # Wagtail's own panels stay, below ours.
    assert html.index('id="charte-dashboard') < html.index('id="recent-edits')


def test_the_team_sees_it_in_english(client, editor, opened, activity):
    html = signed_in(client, editor, "en").get(HOME).content.decode()
    assert "Running the consultation" in html
    amendments = section(html, "dashboard-amendments")
    assert "1 amendment awaits an answer" in amendments
    assert "waiting for 3 days" in amendments
    consultation = section(html, f"dashboard-consultation-{opened.pk}")
    assert "2 participants" in consultation
    assert "Contributions of the last 14 days" in consultation
    assert "Closing within 7 days" in html


def test_a_moderator_sees_reports_and_pre_moderation_but_no_amendments(
    client, charter, opened, paragraph, activity
):
    moderator = factories.UserFactory(username="modo", pseudonym="Modo", role=roles.MODERATORS)
    reported = comment_post(paragraph=paragraph, by=make_citizen("zoe", "Zoé"), text="Pub")
    comment_report(comment=reported, by=make_citizen("ali", "Ali"), reason="spam")
    charter.premoderation = True
    charter.save_revision().publish()
    fresh = Paragraph.objects.get(pk=paragraph.pk)  # its charter read again
    comment_post(paragraph=fresh, by=make_citizen("max", "Max"), text="En attente")

    html = signed_in(client, moderator).get(HOME).content.decode()
    moderation = section(html, "dashboard-moderation")
    assert "1 contribution signalée attend un modérateur" in moderation
    assert "1 contribution attend la pré-modération" in moderation
    assert 'href="/admin/charte/moderation/"' in moderation
    assert 'id="dashboard-amendments"' not in html
    assert "/admin/amendments/" not in html
    assert 'id="dashboard-worker"' not in html


def test_who_answers_amendments_sees_them_but_not_the_moderation(client, opened, activity):
    answering = Group.objects.create(name="Réponses")
    answering.permissions.add(
        Permission.objects.get(codename="answer_amendment"),
        Permission.objects.get(codename="access_admin"),
    )
    user = factories.UserFactory(username="reponses", role="Réponses")
    html = signed_in(client, user, "en").get(HOME).content.decode()
    assert "1 amendment awaits an answer" in section(html, "dashboard-amendments")
    assert 'id="dashboard-moderation"' not in html


def test_administrators_see_the_worker_health(client, opened, paragraph):
    volume.seed_tasks(12)
    admin = factories.UserFactory(username="admin", is_superuser=True)
    TOTP.activate(admin, factories.TOTP_SECRET)
    html = signed_in(client, admin, "en").get(HOME).content.decode()
    worker = section(html, "dashboard-worker")
    rows = {
        label: worker.split(f'<th scope="row">{label}</th>', 1)[1].split("</tr>", 1)[0]
        for label in ("E-mails", "Search index", "Other tasks")
    }
    # Twelve tasks, four of each kind, one of them failed.
    assert rows["E-mails"].split() == ["<td>3</td>", "<td>1</td>"]
    assert rows["Search index"].split() == ["<td>3</td>", "<td>1</td>"]
    assert rows["Other tasks"].split() == ["<td>3</td>", "<td>1</td>"]


def test_nothing_open_says_so(client, editor, charter):
    html = signed_in(client, editor, "en").get(HOME).content.decode()
    assert "No consultation or debate is open now." in html
    assert "Every amendment has its answer." in html


def test_the_home_costs_the_same_at_20000_comments(client, editor, opened):
    paragraphs = list(Paragraph.objects.filter(iteration=opened))
    authors = [make_citizen(f"p{n}", f"P{n}") for n in range(5)]
    client = signed_in(client, editor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    volume.seed_comments(paragraphs, authors, 20, pending_every=10)
    volume.seed_amendments(opened, paragraphs, authors, 12)
    client.get(HOME)  # Wagtail's site cache filled, as on a live server
    small = queries()
    ids = volume.seed_comments(paragraphs, authors, 20_000, pending_every=50)
    volume.seed_amendments(opened, paragraphs, authors, 300)
    volume.seed_reports(ids[:200], authors)
    html = client.get(HOME).content.decode()
    assert "312 amendements attendent une réponse" in html
    assert "200 contributions signalées attendent un modérateur" in html
    large = queries()
    assert large == small
    assert large <= 60


def test_drafts_await_validation_and_declarations_await_confirmation(
    client, editor, opened, paragraph, activity
):
    """A draft answer takes its amendment out of « awaiting an answer » and into the drafts to
    validate; an account declaring an institutional author type awaits the team's decision."""
    amendment_answer_draft(
        amendment=activity["waiting"], status="accepted", response="Oui", by=editor
    )
    elected = make_citizen("elue", "Élue")
    elected.author_type = "elected_member"
    elected.save()
    html = signed_in(client, editor).get(HOME).content.decode()
    amendments = section(html, "dashboard-amendments")
    assert "attend une réponse" not in amendments
    assert "Chaque amendement a sa réponse" not in amendments
    assert '<a href="/admin/amendments/?answer_state=draft">' in amendments
    assert "1 projet de réponse attend votre validation" in amendments
    declarations = section(html, "dashboard-declarations")
    assert 'href="/admin/charte/author-types/"' in declarations
    assert "1 compte déclare un type d’auteur" in declarations
    english = signed_in(client, editor, "en").get(HOME).content.decode()
    assert "1 draft answer awaits your validation" in section(english, "dashboard-amendments")
    assert "1 account declares an author type that speaks for an institution" in english
