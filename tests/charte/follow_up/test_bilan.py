"""The yearly « bilan » of a charter: its commitments as they stood that year, its indicators
against their target, the evaluation of the consultations closed that year; a page in French
and in English, and a PDF built once in the background."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from charte.amendments.models import Service
from charte.follow_up import services as follow_up
from charte.follow_up.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Indicator,
    IndicatorValue,
)
from charte.texts.pages import CharterPage
from tests.charte.follow_up.test_evaluation import in_english
from tests.documents import fetch_document

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def address(charter, year=YEAR, suffix=""):
    return f"{charter.url}bilan/{year}/{suffix}"


@pytest.fixture
def followed(adopted, commitment, editor):
    """The adopted charter: the commitment moved this year, a second one abandoned with its
    reason, an indicator measured twice this year."""
    charter = adopted.get_parent().specific
    service = Service.objects.create(name="Direction de la vie associative")
    Commitment.objects.filter(pk=commitment.pk).update(service=service)
    follow_up.update_publish(
        commitment=commitment,
        text="Le calendrier des réunions est publié.",
        text_en="The calendar of meetings is published.",
        status=CommitmentStatus.IN_PROGRESS,
        progress=40,
        by=editor,
    )
    follow_up.commitment_create(
        charter=charter,
        article_number=2,
        title="Ouvrir une maison des associations",
        description="Un lieu partagé.",
        status=CommitmentStatus.ABANDONED,
        status_reason="Le bâtiment prévu a été vendu.",
        is_published=True,
        by=editor,
    )
    indicator = Indicator.objects.create(
        charter=charter,
        commitment=commitment,
        title="Nombre de conseils de quartier réunis par an",
        title_en="Neighbourhood councils held per year",
        unit="réunions",
        unit_en="meetings",
        target=Decimal("24"),
    )
    for day, value in ((1, "6"), (2, "12")):
        IndicatorValue.objects.create(
            indicator=indicator,
            measured_on=datetime.date(YEAR, day, 15),
            value=Decimal(value),
        )
    return charter


def test_the_bilan_of_the_year_in_french(client, followed, adopted):
    response = client.get(address(followed))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Le bilan {YEAR} de" in html
    assert "Réunir chaque conseil de quartier quatre fois par an" in html
    assert "Direction de la vie associative" in html
    assert "Le calendrier des réunions est publié." in html
    assert "En cours" in html and "Abandonné" in html
    # Overall progress: (40 + 0) / 2.
    assert "<dd>20&nbsp;%</dd>" in html
    assert "Engagements par état" in html and '<table class="chart__table">' in html
    assert "Nombre de conseils de quartier réunis par an" in html
    assert "Dernière valeur\u00a0: 12 réunions" in html and "50\u00a0% de la cible" in html
    # The consultation closed this year, evaluated.
    assert "Évaluation de la démarche" in html and adopted.title in html
    assert "Télécharger le bilan (PDF)" in html


def test_the_bilan_in_english(client, followed, adopted, english):
    in_english(adopted, english)
    translated = CharterPage.objects.get(locale=english)
    html = client.get(address(translated)).content.decode()
    assert f"The {YEAR} report of" in html
    assert "The calendar of meetings is published." in html
    assert "Neighbourhood councils held per year" in html
    assert "Latest value: 12 meetings" in html
    assert "Evaluation of the process" in html
    assert "Download the report (PDF)" in html


def test_a_year_before_the_charter_or_to_come_is_not_found(client, followed):
    assert client.get(address(followed, YEAR - 1)).status_code == 404
    assert client.get(address(followed, YEAR + 1)).status_code == 404
    assert client.get(address(followed, YEAR + 1, "pdf/")).status_code == 404


def test_a_past_year_shows_each_commitment_as_it_stood_then_with_links_between_years(
    client, followed, commitment
):
    CharterPage.objects.filter(pk=followed.pk).update(
        first_published_at=timezone.now().replace(year=YEAR - 1)
    )
    Commitment.objects.filter(charter=followed).update(
        created_at=timezone.now().replace(year=YEAR - 1)
    )
    last_year = client.get(address(followed, YEAR - 1)).content.decode()
    assert f'href="{address(followed)}"' in last_year and 'rel="next"' in last_year
    # This year's update had not happened: planned, 0 %; the update is not listed.
    assert "Le calendrier des réunions est publié." not in last_year
    assert f"Chaque engagement tel qu’il était au 31 décembre {YEAR - 1}." in last_year
    assert "<dd>0&nbsp;%</dd>" in last_year
    assert f"Aucune valeur mesurée en {YEAR - 1}." in last_year
    assert f"Aucune concertation n’a été close en {YEAR - 1}." in last_year
    this_year = client.get(address(followed)).content.decode()
    assert f'href="{address(followed, YEAR - 1)}"' in this_year and 'rel="prev"' in this_year


def test_an_adopted_charter_without_commitments_says_so(client, adopted):
    charter = adopted.get_parent().specific
    html = client.get(address(charter)).content.decode()
    assert "Aucun engagement n’a encore été publié pour cette charte." in html
    assert "Aucun indicateur n’a encore été publié pour cette charte." in html


def test_the_bilan_as_pdf_built_once_in_the_background(client, followed):
    waiting = client.get(address(followed, suffix="pdf/"))
    assert waiting.status_code == 202
    assert "en préparation" in waiting.content.decode()
    page = client.get(address(followed)).content.decode()
    assert "(en préparation)" in page
    response = fetch_document(client, address(followed, suffix="pdf/"))
    assert response["Content-Type"] == "application/pdf"
    assert f"bilan-{YEAR}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Réunir chaque conseil de quartier quatre fois par an" in text
    assert "Le calendrier des réunions est publié." in text
    assert "Évaluation de la démarche" in text
    # A new update changes the report: the next request builds it again.
    CommitmentUpdate.objects.update(text="Le calendrier est publié et affiché.")
    assert client.get(address(followed, suffix="pdf/")).status_code == 202


def test_the_bilan_reads_a_fixed_number_of_queries(
    client, followed, editor, django_assert_max_num_queries
):
    client.get(address(followed))
    with django_assert_max_num_queries(60) as few:
        client.get(address(followed))
    baseline = len(few.captured_queries)
    commitments = Commitment.objects.filter(charter=followed)
    for n in range(40):
        created = follow_up.commitment_create(
            charter=followed,
            article_number=1 + n % 2,
            title=f"Engagement {n}",
            description="…",
            is_published=True,
            by=editor,
        )
        CommitmentUpdate.objects.create(
            commitment=created, text=f"Étape {n}", status=CommitmentStatus.IN_PROGRESS
        )
    assert commitments.count() == 42
    with django_assert_max_num_queries(baseline):
        response = client.get(address(followed))
    assert "Engagement 39" in response.content.decode()
