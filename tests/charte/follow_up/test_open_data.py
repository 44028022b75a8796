"""The follow-up's open data: ``follow-up/data/csv/`` (the published commitments),
``follow-up/data/csv/?table=indicators`` (one line per indicator value) and
``follow-up/data/json/`` (both, values nested), in the language of the page read; the CSV opens
in a spreadsheet; an unknown format or table is a 404; the queries do not grow with the
number of commitments."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from charte.follow_up import services as follow_up
from charte.follow_up.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Indicator,
    IndicatorValue,
)
from charte.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def charter_page(adopted):
    return adopted.get_parent().specific


@pytest.fixture
def recorded(charter_page, commitment, editor):
    """The published commitment (no. 1) with two updates and a service; an abandoned one
    with its reason, in English too (no. 2); an unpublished one (no. 3); an indicator with
    two values and an unpublished indicator."""
    sports = Service.objects.create(name="Direction de la vie associative")
    commitment.service = sports
    commitment.starts_on = datetime.date(2025, 1, 6)
    commitment.due_on = datetime.date(2025, 12, 31)
    commitment.save()
    follow_up.update_publish(
        commitment=commitment,
        text="Calendrier publié.",
        published_on=datetime.date(2025, 1, 20),
        status=CommitmentStatus.IN_PROGRESS,
        progress=25,
        by=editor,
    )
    follow_up.update_publish(
        commitment=commitment,
        text="Deux conseils réunis.",
        published_on=datetime.date(2025, 6, 2),
        progress=50,
        by=editor,
    )
    kiosk = follow_up.commitment_create(
        charter=charter_page,
        article_number=2,
        title="=Ouvrir un kiosque",
        title_en="Open a kiosk",
        description="Sur la place.",
        status=CommitmentStatus.ABANDONED,
        status_reason="Le marché a déménagé.",
        status_reason_en="The market moved.",
        is_published=True,
        by=editor,
    )
    hidden = follow_up.commitment_create(
        charter=charter_page,
        article_number=2,
        title="Projet confidentiel",
        description="Pas encore.",
        by=editor,
    )
    councils = Indicator.objects.create(
        charter=charter_page,
        commitment=commitment,
        title="Conseils de quartier réunis par an",
        title_en="Neighbourhood councils held a year",
        unit="réunions",
        unit_en="meetings",
        target=Decimal("24"),
        target_on=datetime.date(2026, 12, 31),
    )
    IndicatorValue.objects.create(
        indicator=councils, measured_on=datetime.date(2025, 12, 31), value=Decimal("14")
    )
    IndicatorValue.objects.create(
        indicator=councils,
        measured_on=datetime.date(2024, 12, 31),
        value=Decimal("9.50"),
        note="Avant la charte",
    )
    Indicator.objects.create(
        charter=charter_page, title="Brouillon", target=Decimal("1"), is_published=False
    )
    return {"kiosk": kiosk, "hidden": hidden, "councils": councils}


@pytest.fixture
def english_charter(charter_page, english):
    translated = charter_page.copy_for_translation(english, copy_parents=True)
    translated.title = "Participation charter"
    translated.save_revision().publish()
    return translated.specific


def read_csv(response) -> list[dict]:
    content = response.content
    assert content.startswith("\ufeff".encode())  # spreadsheets read the accents right
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_lists_the_published_commitments_in_french(client, charter_page, recorded):
    response = client.get(charter_page.url + "follow-up/data/csv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [row["number"] for row in rows] == ["1", "2"]  # never the unpublished one
    first, kiosk = rows
    assert first == {
        "number": "1",
        "article": "1",
        "title_fr": "Réunir chaque conseil de quartier quatre fois par an",
        "title_en": "",
        "service": "Direction de la vie associative",
        "starts_on": "2025-01-06",
        "due_on": "2025-12-31",
        "status": "in_progress",
        "status_label": "En cours",
        "reason": "",
        "progress": "50",
        "updates": "2",
        "last_update": "2025-06-02",
        "address": f"http://localhost{charter_page.url}follow-up/1/",
    }
    assert kiosk["title_fr"] == "'=Ouvrir un kiosque"  # a formula is never run
    assert kiosk["title_en"] == "Open a kiosk"
    assert (kiosk["status"], kiosk["status_label"]) == ("abandoned", "Abandonné")
    assert kiosk["reason"] == "Le marché a déménagé."
    assert (kiosk["updates"], kiosk["last_update"]) == ("0", "")


def test_the_english_page_gives_english_words_and_addresses(
    client, charter_page, recorded, english_charter
):
    assert english_charter.url.startswith("/en/")
    rows = read_csv(client.get(english_charter.url + "follow-up/data/csv/"))
    first, kiosk = rows
    assert first["status_label"] == "In progress"
    assert first["address"] == f"http://localhost{english_charter.url}follow-up/1/"
    assert (kiosk["status_label"], kiosk["reason"]) == ("Abandoned", "The market moved.")

    data = client.get(english_charter.url + "follow-up/data/json/").json()
    assert data["language"] == "en"
    assert data["indicators"][0]["unit"] == "meetings"
    assert data["commitments"][1]["reason"] == "The market moved."


def test_the_indicators_table_has_one_line_per_value(client, charter_page, recorded):
    response = client.get(charter_page.url + "follow-up/data/csv/", {"table": "indicators"})
    assert response.status_code == 200
    assert "indicators" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [(row["measured_on"], row["value"], row["note"]) for row in rows] == [
        ("2024-12-31", "9.5", "Avant la charte"),
        ("2025-12-31", "14", ""),
    ]
    assert {row["title_fr"] for row in rows} == {"Conseils de quartier réunis par an"}
    assert {(row["commitment"], row["target"], row["unit"]) for row in rows} == {
        ("1", "24", "réunions")
    }


def test_the_json_nests_the_values_of_the_indicators(client, charter_page, recorded):
    response = client.get(charter_page.url + "follow-up/data/json/")
    assert response.status_code == 200
    data = response.json()
    assert data["charter"] == f"http://localhost{charter_page.url}"
    assert [row["number"] for row in data["commitments"]] == [1, 2]
    assert data["commitments"][0]["updates"] == 2
    assert data["commitments"][1]["title_fr"] == "=Ouvrir un kiosque"  # as typed, in JSON
    [indicator] = data["indicators"]  # never the unpublished one
    assert indicator["title_en"] == "Neighbourhood councils held a year"
    assert indicator["values"] == [
        {"measured_on": "2024-12-31", "value": "9.5", "note": "Avant la charte"},
        {"measured_on": "2025-12-31", "value": "14", "note": ""},
    ]


@pytest.mark.parametrize(
    "ending",
    ["follow-up/data/xml/", "follow-up/data/csv/?table=secrets", "follow-up/data/csv/extra/"],
)
def test_an_unknown_format_or_table_is_not_found(client, charter_page, recorded, ending):
    response = client.get(charter_page.url + ending)
    assert response.status_code == 404


def test_a_charter_without_commitments_gives_empty_files(client, charter_page):
    rows = read_csv(client.get(charter_page.url + "follow-up/data/csv/"))
    assert rows == []
    data = client.get(charter_page.url + "follow-up/data/json/").json()
    assert (data["commitments"], data["indicators"]) == ([], [])


def test_the_queries_do_not_grow_with_300_commitments(
    client, charter_page, adopted, commitment, django_assert_max_num_queries
):
    Commitment.objects.bulk_create(
        Commitment(
            charter=charter_page,
            iteration=adopted,
            number=number,
            article_number=1 + number % 2,
            title=f"Engagement {number}",
            description="…",
            status=CommitmentStatus.IN_PROGRESS,
            progress=number % 100,
            is_published=True,
        )
        for number in range(2, 302)
    )
    pks = Commitment.objects.values_list("pk", flat=True)
    CommitmentUpdate.objects.bulk_create(
        CommitmentUpdate(commitment_id=pk, text="Étape franchie.") for pk in pks for _ in range(2)
    )
    for n in range(20):
        indicator = Indicator.objects.create(
            charter=charter_page, title=f"Mesure {n}", target=Decimal(100)
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator, measured_on=datetime.date(2020 + year, 1, 1), value=year
            )
            for year in range(6)
        )
    with django_assert_max_num_queries(25):
        rows = read_csv(client.get(charter_page.url + "follow-up/data/csv/"))
    assert len(rows) == 301
    assert {row["updates"] for row in rows} == {"2"}
    with django_assert_max_num_queries(25):
        data = client.get(charter_page.url + "follow-up/data/json/").json()
    assert len(data["commitments"]) == 301
    assert sum(len(indicator["values"]) for indicator in data["indicators"]) == 120


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "Les engagements, un par ligne (CSV)"), ("en", "The commitments, one per line (CSV)")],
)
def test_the_columns_include_links_the_three_files(
    client, charter_page, recorded, english_charter, language, words
):
    import re

    from django.template.loader import render_to_string
    from django.utils import translation

    page = charter_page if language == "fr" else english_charter
    with translation.override(language):
        html = render_to_string("charte/follow_up/open_data_columns.html", {"page": page})
    assert words in html
    links = re.findall(r'href="([^"]+)"', html)
    assert len(links) == 3
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
