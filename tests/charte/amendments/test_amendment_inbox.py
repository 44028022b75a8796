"""The communication team's inbox of amendments in the Wagtail admin: filters, the answer
form beside the difference and the tallies, exports; nobody else gets in."""

import csv
import io
import json

import pytest
from django.core import mail

from charte.amendments.services import amendment_answer, amendment_propose, amendment_support
from charte.core import roles
from charte.models import Amendment
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

INBOX = "/admin/amendments/"


@pytest.fixture
def amendments(opened, paragraph, editor):
    lea, sam = make_citizen(), make_citizen("sam", "Sam")
    answered = amendment_propose(paragraph=paragraph, by=lea, kind="delete", rationale="Redondant")
    amendment_answer(amendment=answered, status="rejected", response="Utile", by=editor)
    waiting = amendment_propose(
        paragraph=paragraph,
        by=lea,
        kind="modify",
        text='=HYPERLINK("http://evil.example") nouvelle rédaction',
        rationale="+33 6 00 00 00 00",
    )
    amendment_support(amendment=waiting, by=sam, value="agree")
    return answered, waiting


def test_unanswered_amendments_come_first(client, editor, amendments):
    answered, waiting = amendments
    client.force_login(editor)
    html = client.get(INBOX).content.decode()
    assert html.index(f"/admin/amendments/edit/{waiting.pk}/") < html.index(
        f"/admin/amendments/edit/{answered.pk}/"
    )
    filtered = client.get(INBOX + "?status=rejected").content.decode()
    assert f"/admin/amendments/edit/{answered.pk}/" in filtered
    assert f"/admin/amendments/edit/{waiting.pk}/" not in filtered


@pytest.mark.parametrize("role", [roles.MODERATORS, roles.COUNCIL_MEMBERS, None])
def test_only_the_team_gets_in(client, amendments, role):
    user = factories.UserFactory(username="other", role=role) if role else make_citizen("c", "C")
    client.force_login(user)
    for address in (INBOX, f"{INBOX}edit/{amendments[1].pk}/"):
        response = client.get(address)
        # Moderators, who have the admin but not the inbox, go back to the admin's home; the
        # others, who have no admin at all, to their profile with the reason.
        expected = "/admin/" if role == roles.MODERATORS else "/accounts/profile/"
        assert (response.status_code, response.get("Location")) == (302, expected), address
        assert "Redondant" not in response.content.decode()


def test_amendments_are_neither_added_nor_deleted_here(client, editor, amendments):
    client.force_login(editor)
    assert client.get(INBOX + "new/").status_code == 404
    assert client.get(f"{INBOX}delete/{amendments[0].pk}/").status_code == 404


def test_the_answer_form_beside_the_amendment(
    client, editor, amendments, django_capture_on_commit_callbacks
):
    _answered, waiting = amendments
    client.force_login(editor)
    form = client.get(f"{INBOX}edit/{waiting.pk}/").content.decode()
    assert "<del>" in form and "<ins>" in form
    assert "1 d’accord · 0 réservés · 0 pas d’accord" in form
    assert 'value="withdrawn"' not in form and 'value="submitted"' not in form

    empty = client.post(f"{INBOX}edit/{waiting.pk}/", {"status": "accepted", "response": ""})
    assert empty.status_code == 200
    assert Amendment.objects.get(pk=waiting.pk).status == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{INBOX}edit/{waiting.pk}/",
            {"status": "accepted", "response": "Nous reprenons cette rédaction."},
        )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.answered_by, waiting.response) == (
        "accepted",
        editor,
        "Nous reprenons cette rédaction.",
    )
    assert mail.outbox == []  # queued for the worker


def test_exports_neutralise_formulas(client, editor, amendments):
    client.force_login(editor)
    response = client.get(INBOX + "?export=csv")
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][0] == "N° d’amendement"
    texts = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example") nouvelle rédaction' in texts
    assert "'+33 6 00 00 00 00" in texts

    exported = client.get(INBOX + "?export=json")
    assert exported["Content-Disposition"] == 'attachment; filename="amendements.json"'
    data = json.loads(exported.content)
    assert {row["number"] for row in data} == {1, 2}
    first = next(row for row in data if row["number"] == 2)
    assert first["text"].startswith("=HYPERLINK")  # JSON is data, not a spreadsheet
    assert first["agree"] == 1


def test_the_spoken_labels_of_a_diff_are_hidden_from_sight_in_the_admin(client, editor, amendments):
    """The diff beside the answer form says « [texte ajouté\u00a0: … ] » to screen readers only: the
    admin loads the rule that hides ``.visually-hidden`` (Wagtail's own CSS has none)."""
    from django.contrib.staticfiles import finders

    _answered, waiting = amendments
    client.force_login(editor)
    form = client.get(f"{INBOX}edit/{waiting.pk}/").content.decode()
    assert '<span class="visually-hidden">[texte ajouté\u00a0: </span>' in form
    assert '<link rel="stylesheet" href="/static/css/admin.css">' in form
    with open(finders.find("css/admin.css"), encoding="utf-8") as css:
        rule = next(line for line in css if line.startswith(".visually-hidden"))
    assert "clip: rect(0 0 0 0)" in rule and "width: 1px" in rule
