"""The council's review space: for council members and the team, signed in; the final text
with its provenance, the amendments still unanswered, and private notes that no citizen sees
on any channel."""

import json

import pytest
from django.utils import timezone

from charte.amendments.services import amendment_answer, amendment_propose
from charte.core import roles
from charte.models import Paragraph, ReviewNote
from charte.review.services import NoteRefused, note_add
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.documents import fetch_document

pytestmark = pytest.mark.django_db

SECRET = "Note confidentielle : vérifier le coût du dispositif avec les finances."


@pytest.fixture
def council_member(db):
    return factories.UserFactory(username="sophie", role=roles.COUNCIL_MEMBERS)


@pytest.fixture
def review_url(opened):
    return f"{opened.get_parent().url}review/"


@pytest.fixture
def rows(opened):
    return list(Paragraph.objects.filter(iteration=opened).order_by("position"))


def test_the_review_space_is_for_the_council_and_the_team(client, review_url, council_member):
    response = client.get(review_url)
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]

    client.force_login(make_citizen())
    response = client.get(review_url)
    assert response.status_code == 403
    assert "réservé aux membres du conseil" in response.content.decode()

    client.force_login(council_member)
    response = client.get(review_url)
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]


def test_unanswered_amendments_are_listed_and_block_the_adoption(
    client, opened, rows, review_url, council_member, editor
):
    citizen = make_citizen()
    waiting = amendment_propose(
        paragraph=rows[2], by=citizen, kind="delete", text="", rationale="Inutile."
    )
    client.force_login(council_member)
    html = client.get(review_url).content.decode()
    assert "1 amendement attend encore sa réponse" in html
    assert waiting.get_url() in html

    amendment_answer(amendment=waiting, status="rejected", response="Conservé.", by=editor)
    html = client.get(review_url).content.decode()
    assert "Chaque amendement a sa réponse." in html


def test_a_council_member_writes_a_note_and_the_team_reads_it(
    client, rows, review_url, council_member, editor
):
    client.force_login(council_member)
    response = client.post(review_url, {"paragraph": rows[0].key, "text": SECRET})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#notes-{rows[0].key}")
    note = ReviewNote.objects.get()
    assert note.author == council_member and note.paragraph == rows[0]

    client.force_login(editor)
    assert SECRET in client.get(review_url).content.decode()


def test_a_refused_note_keeps_what_was_typed(client, rows, review_url, council_member):
    client.force_login(council_member)
    too_long = "Trop long. " * 200
    response = client.post(review_url, {"paragraph": rows[1].key, "text": too_long})
    html = response.content.decode()
    assert response.status_code == 400
    assert "au plus 2000 caractères" in html
    assert too_long.strip()[:100] in html
    assert f'aria-describedby="note-error-{rows[1].key}"' in html
    assert not ReviewNote.objects.exists()

    response = client.post(review_url, {"paragraph": rows[1].key, "text": "   "})
    assert response.status_code == 400 and "Écrivez votre note" in response.content.decode()


def test_a_citizen_cannot_write_a_note(client, rows, review_url):
    citizen = make_citizen()
    with pytest.raises(NoteRefused):
        note_add(paragraph=rows[0], by=citizen, text="Je me glisse ici.")
    client.force_login(citizen)
    response = client.post(review_url, {"paragraph": rows[0].key, "text": "Je me glisse ici."})
    assert response.status_code == 403 and not ReviewNote.objects.exists()


def test_review_notes_are_invisible_to_citizens_on_every_channel(
    client, opened, rows, council_member, editor
):
    """The pages, the search page and its API, the comments API, the open data exports and
    the text to download: a note is never in what a citizen can read."""
    note_add(paragraph=rows[0], by=council_member, text=SECRET)
    charter = opened.get_parent().specific
    client.force_login(make_citizen())
    addresses = [
        opened.url,
        f"{opened.url}p/{rows[0].key}/",
        f"{opened.url}p/{rows[0].key}/history/",
        charter.url,
        "/recherche/?q=dispositif",
        "/api/search/?q=dispositif",
        f"/api/paragraphs/{rows[0].pk}/comments/",
        f"{opened.url}contributions/csv/",
        f"{opened.url}contributions/json/",
        f"{opened.url}download/odt/",
    ]
    for address in addresses:
        if address.endswith("/odt/"):
            response = fetch_document(client, address)
        else:
            response = client.get(address)
        assert response.status_code == 200, address
        content = response.content
        if address.endswith("/odt/"):
            import io
            import zipfile

            content = zipfile.ZipFile(io.BytesIO(content)).read("content.xml")
        assert "vérifier le coût" not in content.decode("utf-8-sig"), address
    search = json.loads(client.get("/api/search/?q=dispositif").content)
    assert search["total"] == 0


def test_notes_end_with_the_adoption(client, opened, rows, review_url, council_member, editor):
    services.iteration_close(iteration=opened, by=editor)
    services.iteration_adopt(
        iteration=opened,
        by=editor,
        session_date=timezone.localdate(),
        deliberation_reference="DEL-9",
        votes_for=10,
        votes_against=1,
        abstentions=0,
    )
    with pytest.raises(NoteRefused):
        note_add(paragraph=Paragraph.objects.get(pk=rows[0].pk), by=council_member, text="Tard.")
    client.force_login(council_member)
    html = client.get(review_url).content.decode()
    assert 'name="text"' not in html


@pytest.mark.parametrize("count", [6, 40])
def test_the_review_space_reads_a_fixed_number_of_queries(
    client, charter, editor, council_member, count, django_assert_max_num_queries
):
    from charte.models import Paragraph as Row

    iteration = factories.make_iteration(charter, factories.body_with(count), user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    for row in Row.objects.filter(iteration=iteration):
        note_add(paragraph=row, by=council_member, text=f"Note sur {row.key}")
        amendment_propose(
            paragraph=row, by=make_citizen(f"c{row.pk}", f"C{row.pk}"), kind="delete", rationale="M"
        )
    client.force_login(council_member)
    # 40, +2 on a first request: the site's identity and its footer menu (then cached).
    with django_assert_max_num_queries(42):
        response = client.get(f"{charter.url}review/")
    assert response.status_code == 200
    assert response.content.decode().count("Note sur") == count
