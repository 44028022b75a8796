"""The workshop kit of a version in consultation: a tagged PDF to print for a workshop, with
the text numbered, each article's short address and QR code leading to it online, and one
contribution sheet per article."""

import base64
import io
import re

import pytest
import qrcode
from django.utils import translation
from pypdf import PdfReader

from charte.core import identity
from charte.publications.documents import KIT, document_html
from charte.texts import services
from tests import factories
from tests.charte.texts.test_public_pages import translate
from tests.documents import fetch_document, figure_alternatives, structure

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def base() -> str:
    return identity.current().base_url.rstrip("/")


def test_the_version_page_offers_the_kit_in_consultation(client, opened):
    html = client.get(opened.url).content.decode()
    assert f'<a href="{opened.url}kit/" type="application/pdf">Kit d’atelier (PDF)</a>' in html


def test_the_kit_in_french(client, opened):
    response = fetch_document(client, f"{opened.url}kit/")
    assert 'filename="charte-test-version-1-kit.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Kit d’atelier\u00a0: Charte de test – Version 1"
    # The cover: the consultation window, where to take part online.
    assert "Concertation du " in text and "Comment participer" in text
    assert f"{base()}{opened.url}" in text
    # The text, numbered; beside each article, its short address.
    assert "Article 1 – Article de test 1" in text and "Article 2 – Article de test 2" in text
    assert "§ 1 Alinéa 1 : la commune s’engage à répondre à chacun." in text
    assert "§ 1 Alinéa 6 : la commune" in text
    for number in (1, 2):
        assert f"{base()}/t/{opened.pk}/{number}/" in text
    # Then one sheet per article, to write on.
    sheets = text.split("Fiches de contribution", 1)[1]
    assert sheets.count("Alinéa n° …") == 2
    assert sheets.count("Je propose de :") == 2
    for label in ("Votre commentaire", "modifier cet alinéa", "ajouter un alinéa", "Pourquoi"):
        assert label in sheets
    assert f"En ligne : {base()}/t/{opened.pk}/2/" in sheets
    # Tagged: each QR code is a figure whose text alternative says where it leads.
    assert "H1" in structure(response.content)
    assert figure_alternatives(response.content) == [
        f"QR code de l’article {n} en ligne\u00a0: {base()}/t/{opened.pk}/{n}/" for n in (1, 2)
    ]


def test_the_kit_in_english(client, opened, english):
    translated = translate(opened, english)
    html = client.get(translated.url).content.decode()
    assert f'<a href="{translated.url}kit/" type="application/pdf">Workshop kit (PDF)</a>' in html
    response = fetch_document(client, f"{translated.url}kit/")
    text = pdf_text(response)
    assert "How to take part" in text
    assert "Article 1 – Article Article de test 1" in text
    assert "§ 1 In English: Alinéa 1" in text
    assert f"{base()}/en/t/{opened.pk}/1/" in text
    sheets = text.split("Contribution sheets", 1)[1]
    assert sheets.count("Paragraph no. …") == 2 and "I propose to:" in sheets
    assert figure_alternatives(response.content)[0] == (
        f"QR code of article 1 online: {base()}/en/t/{opened.pk}/1/"
    )
    # The English kit's short address leads to the English page.
    assert client.get(f"/en/t/{opened.pk}/1/")["Location"] == f"{translated.url}#article-1"


def qr_images(html: str) -> list[str]:
    return [
        base64.b64decode(payload).decode()
        for payload in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    ]


def modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules the SVG draws (one rectangle per run of a row), quiet zone included."""
    dark = set()
    for x, y, width in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", svg):
        dark.update((int(x) + i, int(y)) for i in range(int(width)))
    return dark


def expected_modules(data: str) -> set[tuple[int, int]]:
    """What the qrcode library encodes ``data`` as, with any mask (each is a valid code)."""
    candidates = []
    for mask in range(8):
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=mask
        )
        code.add_data(data)
        code.make(fit=True)
        candidates.append(
            {
                (x, y)
                for y, row in enumerate(code.get_matrix())
                for x, dark in enumerate(row)
                if dark
            }
        )
    return candidates


def test_each_qr_code_encodes_its_article_short_address(opened):
    with translation.override("fr"):
        html = document_html(KIT, opened)
    svgs = qr_images(html)
    assert len(svgs) == 2
    for number, svg in enumerate(svgs, start=1):
        assert modules(svg) in expected_modules(f"{base()}/t/{opened.pk}/{number}/")
    assert modules(svgs[0]) != modules(svgs[1])


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_no_kit_outside_consultation(client, iteration, editor, state):
    if state == "closed":
        services.iteration_open(iteration=iteration, by=editor)
        services.iteration_close(iteration=iteration, by=editor)
    response = client.get(f"{iteration.url}kit/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pas de kit d’atelier pour cette version" in html
    assert "pendant qu’une version est en concertation" in html
    assert "Kit d’atelier (PDF)" not in client.get(iteration.url).content.decode()


def test_no_kit_outside_consultation_in_english(client, iteration, editor, english):
    translated = translate(iteration, english)
    response = client.get(f"{translated.url}kit/")
    assert response.status_code == 404
    assert "No workshop kit for this version" in response.content.decode()


def test_the_kit_at_real_size(client, charter, editor, django_assert_max_num_queries):
    """1,000 paragraphs, 200 articles: the request reads a bounded number of queries (the
    file is built in the background), and the kit is built with every article and sheet."""
    version = factories.make_iteration(charter, factories.body_with(1000), user=editor)
    services.iteration_open(iteration=version, by=editor)
    address = f"{version.url}kit/"
    client.get(version.url)  # caches warmed (site root, locales)
    # A bound independent of the 1,000 paragraphs; PostgreSQL adds the queue's savepoints and
    # row locks (33 there, 30 on SQLite).
    with django_assert_max_num_queries(40):
        assert client.get(address).status_code == 202
    response = fetch_document(client, address)
    text = pdf_text(response)
    assert "Article 200 – Article de test 200" in text
    assert f"{base()}/t/{version.pk}/200/" in text
    assert text.split("Fiches de contribution", 1)[1].count("Alinéa n° …") == 200
    with django_assert_max_num_queries(40):
        assert client.get(address).status_code == 200
