"""The synthesis of a closed consultation, computed from the data, and the open data of every
public contribution (no personal data, no spreadsheet formula)."""

import csv
import io
import json

import pytest
from django.utils import timezone
from pypdf import PdfReader

from charte.amendments.services import amendment_answer, amendment_propose, amendment_support
from charte.discussions.services import comment_post
from charte.models import Paragraph
from charte.publications.synthesis import FIELDS, figures
from charte.texts import services
from tests.charte.discussions.test_comments import make_citizen
from tests.documents import fetch_document, figure_alternatives

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulted(opened, editor):
    """Three residents took part: two comments (one hidden by a moderator), an amendment with
    its own comment, one position; then the consultation closed."""
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    association = make_citizen("assoc", "Association des Tilleuls")
    association.author_type, association.territory = "association", "Les Tilleuls"
    association.save()
    resident = make_citizen("jules", "Jules")
    resident.author_type, resident.territory = "resident", "Centre"
    resident.save()
    supporter = make_citizen("nina", "Nina")

    comment_post(
        paragraph=rows[0],
        by=resident,
        text=(
            '=HYPERLINK("http://example.org") écrivez-moi à jules@example.org ou au 06 12 34 56 78'
        ),
    )
    hidden = comment_post(paragraph=rows[0], by=resident, text="Un message masqué.")
    hidden.hidden_at = timezone.now()
    hidden.save()
    amendment = amendment_propose(
        paragraph=rows[5],
        by=association,
        kind="modify",
        text="Les habitants sont consultés chaque année.",
        rationale="-Chaque année, c'est mieux.",
    )
    comment_post(target=amendment, by=resident, text="Je soutiens cette idée.")
    amendment_support(amendment=amendment, by=supporter, value="agree")
    amendment_answer(amendment=amendment, status="accepted", response="Retenu.", by=editor)
    services.iteration_close(iteration=opened, by=editor)
    opened.refresh_from_db()
    return opened, rows, amendment


def test_the_figures_count_every_public_contribution_once(consulted):
    page, rows, amendment = consulted
    numbers = figures(page)
    assert (numbers.comments, numbers.amendments, numbers.positions) == (2, 1, 1)
    assert numbers.contributions == 3 and numbers.participants == 3
    # Not confirmed by the team: counted apart from confirmed associations.
    assert {bar.label: bar.value for bar in numbers.by_author_type} == {
        "Association (déclaration non confirmée)": 1,
        "Habitant ou habitante": 2,
    }
    assert {bar.label: bar.value for bar in numbers.by_territory} == {
        "Les Tilleuls": 1,
        "Centre": 1,
        "Non renseigné": 1,
    }
    articles = {bar.label.split(" –")[0]: bar.value for bar in numbers.by_article}
    assert articles == {"Article 1": 1, "Article 2": 2}  # the amendment's comment counts there
    assert sum(bar.value for bar in numbers.by_day) == 3
    assert [bar.value for bar in numbers.by_origin] == [3, 0, 0]  # online, workshop, register
    assert [(row.pk, count) for row, count in numbers.most_discussed] == [
        (rows[5].pk, 2),
        (rows[0].pk, 1),
    ]
    assert numbers.amendments_answered == [amendment]


def test_the_synthesis_page_waits_for_the_close_then_shows_charts_and_tables(
    client, opened, editor
):
    response = client.get(f"{opened.url}synthesis/")
    assert response.status_code == 200
    assert "publié à la clôture de la consultation" in response.content.decode()
    assert client.get(f"{opened.url}synthesis/pdf/").status_code == 404

    services.iteration_close(iteration=opened, by=editor)
    html = client.get(f"{opened.url}synthesis/").content.decode()
    assert '<svg class="chart__bars" role="img"' in html
    assert '<table class="chart__table">' in html and 'scope="row"' in html
    assert "Contributions par jour" in html


def test_the_synthesis_as_pdf(client, consulted):
    page, _rows, _amendment = consulted
    response = fetch_document(client, f"{page.url}synthesis/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Participants par type d’auteur" in text and "Les Tilleuls" in text
    assert "Retenu." in text
    # Each chart is a figure with its text alternative, its table after it.
    alternative = (
        "graphique en barres\u202f; les mêmes chiffres figurent dans le tableau ci-dessous."
    )
    assert figure_alternatives(response.content) == [
        f"{title}\u00a0: {alternative}"
        for title in (
            "Participants par type d’auteur",
            "Participants par territoire",
            "En ligne, en atelier et dans les registres papier",
            "Contributions par jour",
            "Contributions par article",
            "Amendements par réponse",  # the evaluation of the process
        )
    ]


def test_the_open_data_has_no_personal_data_and_no_formula(client, consulted):
    page, rows, amendment = consulted
    response = client.get(f"{page.url}contributions/csv/")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # spreadsheets read the accents right
    body = response.content.decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(body)))
    assert [r["type"] for r in records] == ["amendment", "comment", "comment"]
    first_comment = next(r for r in records if r["paragraph_key"] == rows[0].key)
    assert first_comment["text"].startswith("'=HYPERLINK")
    assert "jules@example.org" not in body and "06 12 34 56 78" not in body
    assert "[adresse e-mail retirée]" in first_comment["text"]
    assert records[0]["rationale"].startswith("'-Chaque année")
    assert records[0]["agree"] == "1" and records[0]["status"] == "accepted"
    # No pseudonym, account or territory; the author type stays (it is what the figures use).
    assert set(records[0]) == set(FIELDS)
    for secret in ("Jules", "Association des Tilleuls", "Les Tilleuls", "Centre", "nina"):
        assert secret not in body
    assert "Un message masqué." not in body

    data = json.loads(client.get(f"{page.url}contributions/json/").content)
    assert len(data["contributions"]) == 3
    assert data["contributions"][1]["text"].startswith('=HYPERLINK("http://example.org")')
    assert "jules@example.org" not in json.dumps(data)
    assert client.get(f"{page.url}contributions/xlsx/").status_code == 404


def test_the_synthesis_page_reads_a_fixed_number_of_queries(
    client, consulted, django_assert_max_num_queries, monkeypatch
):
    page, rows, _amendment = consulted
    # What computing the figures reads (kept figures would make every view but the first cheap).
    monkeypatch.setattr("charte.publications.synthesis.KEPT_SECONDS", 0)
    client.get(f"{page.url}synthesis/")  # caches warmed (site root, content types)
    # With the evaluation of the process and its questionnaire: 39 on PostgreSQL, of which 7
    # read the fingerprint that finds the kept figures.
    with django_assert_max_num_queries(40) as few:
        client.get(f"{page.url}synthesis/")
    baseline = len(few.captured_queries)

    import charte.discussions.services
    from charte.models import Amendment

    # More contributions, written as if the consultation were still open.
    monkeypatch.setattr(
        charte.discussions.services, "target_closed_reason", lambda target, now: None
    )
    for n in range(6):
        author = make_citizen(f"more{n}", f"Autre {n}")
        comment_post(paragraph=rows[n % 6], by=author, text=f"Avis numéro {n}.")
        Amendment.objects.create(
            paragraph=rows[n % 6],
            iteration=page,
            charter=page.get_parent().specific,
            number=10 + n,
            kind="modify",
            text="Autre rédaction.",
            rationale="Motif.",
            author=author,
            created_at=timezone.now(),
            status="rejected",
            response="Non.",
        )
    with django_assert_max_num_queries(baseline):
        response = client.get(f"{page.url}synthesis/")
    assert response.status_code == 200


def test_the_synthesis_pdf_prints_an_amendment_taller_than_a_page(client, opened, editor):
    """An amendment of the longest wording accepted, answered at the same length: its row of
    the table is taller than a page, and is continued on the next one instead of failing."""
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    words = " ".join(f"mot{i}" for i in range(600))[:2990] + " fin."
    amendment = amendment_propose(
        paragraph=rows[2],
        by=make_citizen("jules", "Jules"),
        kind="modify",
        text=words,
        rationale="Plus précis.",
    )
    amendment_answer(
        amendment=amendment, status="rejected", response=words.replace("mot", "raison"), by=editor
    )
    services.iteration_close(iteration=opened, by=editor)
    response = fetch_document(client, f"{opened.url}synthesis/pdf/")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "mot0 " in text and "raison0 " in text
    assert text.count(" fin.") >= 2  # the proposal and the answer, each to its last word
