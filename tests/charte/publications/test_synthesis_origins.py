"""The synthesis and the open data count each contribution under its origin: online, in a
workshop, in a paper register; per workshop, what it contributed and how its amendments were
answered; the exports name the workshop, never the facilitator."""

import csv
import datetime
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader

from charte.amendments.services import amendment_answer
from charte.core import roles
from charte.discussions.services import comment_post
from charte.models import Paragraph, Workshop
from charte.publications.synthesis import FIELDS, figures
from charte.texts import services
from charte.workshops.services import workshop_amendment_enter, workshop_comment_enter
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.documents import fetch_document

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PORT = "Atelier du 12 mars 2026 – Maison de quartier du Port, 18 participants"
PORT_EN = "Workshop of 12 March 2026 – Maison de quartier du Port, 18 participants"
REGISTER = "Registre papier – Hôtel de ville, accueil"


def _visible_text(html: str) -> str:
    """What a reader sees, spaces collapsed (non-breaking ones kept)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def facilitator(db):
    user = factories.UserFactory(username="zoe", role=roles.FACILITATORS)
    user.author_type = "elected"  # never counted: what they enter is the workshop's
    user.save()
    return user


@pytest.fixture
def consulted(opened, editor, facilitator):
    """3 online comments by 2 residents; a workshop of 18 participants with 4 comments and 2
    amendments (one accepted, one rejected); a paper register with 2 comments; then the
    consultation closed."""
    charter = opened.get_parent().specific
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    port = factories.make_workshop(
        charter,
        facilitators=[facilitator],
        iteration=opened,
        title="Atelier du Port",
        starts_at=datetime.datetime(2026, 3, 12, 18, 0, tzinfo=PARIS),
        place="Maison de quartier du Port",
        participants=18,
    )
    register = factories.make_workshop(
        charter,
        facilitators=[facilitator],
        iteration=opened,
        kind="register",
        title="Registre de l’hôtel de ville",
        starts_at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=PARIS),
        place="Hôtel de ville, accueil",
    )

    jules, nina = make_citizen("jules", "Jules"), make_citizen("nina", "Nina")
    comment_post(paragraph=rows[0], by=jules, text="Un avis en ligne.")
    comment_post(paragraph=rows[1], by=jules, text="Un autre avis en ligne.")
    comment_post(paragraph=rows[1], by=nina, text="D’accord avec Jules.")
    for n in range(4):
        workshop_comment_enter(
            workshop=port, paragraph=rows[n], text=f"Post-it {n} : plus de bancs.", by=facilitator
        )
    for n in range(2):
        workshop_comment_enter(
            workshop=register, paragraph=rows[2], text=f"Mot {n} du registre.", by=facilitator
        )
    accepted = workshop_amendment_enter(
        workshop=port,
        paragraph=rows[3],
        kind="modify",
        text="Les habitants sont consultés chaque trimestre.",
        rationale="Dit en atelier.",
        by=facilitator,
    )
    rejected = workshop_amendment_enter(
        workshop=port,
        paragraph=rows[4],
        kind="delete",
        rationale="Inutile, selon la table 2.",
        by=facilitator,
    )
    amendment_answer(amendment=accepted, status="accepted", response="Retenu.", by=editor)
    amendment_answer(amendment=rejected, status="rejected", response="Non.", by=editor)
    services.iteration_close(iteration=opened, by=editor)
    opened.refresh_from_db()
    return opened, port, register


def test_the_figures_count_each_origin_and_each_workshop(consulted):
    page, port, register = consulted
    numbers = figures(page)
    assert (numbers.comments, numbers.amendments, numbers.contributions) == (9, 2, 11)
    # Online: the two residents' accounts; the facilitator is nobody's participant.
    assert numbers.participants == 2
    assert numbers.declared_participants == 18
    assert {bar.label: bar.value for bar in numbers.by_author_type} == {"Habitant ou habitante": 2}
    assert [(bar.label, bar.value) for bar in numbers.by_origin] == [
        ("En ligne", 3),
        ("Atelier", 6),
        ("Registre papier", 2),
    ]
    # In date order: the register opened first.
    assert [
        (row.workshop, row.comments, row.amendments, [(b.label, b.value) for b in row.answers])
        for row in numbers.by_workshop
    ] == [
        (register, 2, 0, []),
        (port, 4, 2, [("Accepté", 1), ("Rejeté", 1)]),
    ]
    assert numbers.by_workshop[1].url == f"{page.get_parent().url}workshops/{port.pk}/"


def test_the_synthesis_page_says_where_contributions_come_from_in_french(client, consulted):
    page, port, _register = consulted
    html = client.get(f"{page.url}synthesis/").content.decode()
    text = _visible_text(html)
    assert "Participants en ligne 2" in text
    assert "Participants des ateliers et registres (déclarés) 18" in text
    assert "En ligne, en atelier et dans les registres papier" in text
    assert "En ligne 3 Atelier 6 Registre papier 2" in text  # the chart's table
    assert f'<a href="{page.get_parent().url}workshops/{port.pk}/">{PORT}</a>' in html
    assert f"{PORT} Atelier 12 mars 2026 18 4 2 Accepté\u00a0: 1 · Rejeté\u00a0: 1" in text
    assert f"{REGISTER} Registre papier 1er mars 2026 non précisé 2 0 –" in text
    # Amendments are signed by the workshop, never by the facilitator.
    assert f"Suppression · En atelier {PORT} ·" in text
    assert "zoe" not in text.lower()
    # The columns of the open data, origin and workshop among them.
    assert "<code>workshop</code>" in html


def test_the_synthesis_page_in_english(client, consulted, english):
    page, port, _register = consulted
    translated = page.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    address = translated.url if translated.url.startswith("/en/") else f"/en{translated.url}"
    text = _visible_text(client.get(f"{address}synthesis/").content.decode())
    assert "Participants online 2" in text
    assert "Participants in workshops and registers (as declared) 18" in text
    assert "Online 3 Workshop 6 Paper register 2" in text
    assert f"{PORT_EN} Workshop 12 March 2026 18 4 2 Accepted: 1 · Rejected: 1" in text


def test_without_workshops_the_synthesis_says_participants_only(client, opened, editor):
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    comment_post(paragraph=rows[0], by=make_citizen("jules", "Jules"), text="En ligne.")
    services.iteration_close(iteration=opened, by=editor)
    text = _visible_text(client.get(f"{opened.url}synthesis/").content.decode())
    assert "Participants 1" in text
    assert "Participants en ligne" not in text and "Par atelier et registre" not in text
    assert "En ligne 1 Atelier 0 Registre papier 0" in text


def test_the_synthesis_pdf_has_the_table_per_workshop(client, consulted):
    page, _port, _register = consulted
    response = fetch_document(client, f"{page.url}synthesis/pdf/")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Par atelier et registre" in text
    assert "Maison de quartier du Port, 18 participants" in text
    assert "Participants des ateliers et registres (déclarés)" in text


def test_the_open_data_names_the_origin_and_the_workshop(client, consulted):
    page, _port, _register = consulted
    body = client.get(f"{page.url}contributions/csv/").content.decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(body)))
    assert list(records[0]) == FIELDS
    assert [(r["type"], r["origin"], r["workshop"], r["author_type"]) for r in records] == [
        ("amendment", "workshop", PORT, ""),
        ("amendment", "workshop", PORT, ""),
        ("comment", "online", "", "resident"),
        ("comment", "online", "", "resident"),
        ("comment", "online", "", "resident"),
        *[("comment", "workshop", PORT, "")] * 4,
        *[("comment", "register", REGISTER, "")] * 2,
    ]
    # No trace of the facilitator: neither their name nor their (elected) author type.
    assert "zoe" not in body.lower() and "elected" not in body

    data = json.loads(client.get(f"/en{page.url}contributions/json/").content)
    assert {(row["origin"], row["workshop"]) for row in data["contributions"]} == {
        ("workshop", PORT_EN),
        ("online", ""),
        ("register", "Paper register – Hôtel de ville, accueil"),
    }


def test_the_synthesis_reads_a_fixed_number_of_queries_whatever_the_workshops(
    client, consulted, facilitator, django_assert_max_num_queries, monkeypatch
):
    page, _port, _register = consulted
    # What computing the figures reads (kept figures would make every view but the first cheap).
    monkeypatch.setattr("charte.publications.synthesis.KEPT_SECONDS", 0)
    client.get(f"{page.url}synthesis/")  # caches warmed (site root, content types)
    with django_assert_max_num_queries(40) as few:
        client.get(f"{page.url}synthesis/")
    baseline = len(few.captured_queries)

    import charte.amendments.services
    import charte.discussions.services

    # Twelve more workshops, each with a comment and an amendment, written as if open.
    monkeypatch.setattr(
        charte.discussions.services, "target_closed_reason", lambda target, now: None
    )
    monkeypatch.setattr(charte.amendments.services, "closed_reason", lambda *args: None)
    rows = list(Paragraph.objects.filter(iteration=page).order_by("position"))
    for n in range(12):
        more = Workshop.objects.create(
            charter=page.get_parent().specific,
            title=f"Atelier {n}",
            starts_at=timezone.now() - datetime.timedelta(days=n + 1),
            place=f"Salle {n}",
            participants=10 + n,
        )
        more.facilitators.add(facilitator)
        workshop_comment_enter(workshop=more, paragraph=rows[n % 6], text="Dit.", by=facilitator)
        workshop_amendment_enter(
            workshop=more,
            paragraph=rows[n % 6],
            kind="delete",
            rationale="Dit en salle.",
            by=facilitator,
        )
    with django_assert_max_num_queries(baseline):
        response = client.get(f"{page.url}synthesis/")
    assert "Salle 11" in response.content.decode()
