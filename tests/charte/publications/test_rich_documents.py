"""The documents print a paragraph as readers see it on the page: emphasis, links (clickable,
and only safe ones), numbered and bulleted lists, each numbered list counting from 1."""

import io
import zipfile

import docx
import pytest
from pypdf import PdfReader

from charte.models import CharterIterationPage
from charte.texts import services
from tests import factories
from tests.charte.texts.test_rich_text import RICH
from tests.documents import fetch_document, structure

pytestmark = pytest.mark.django_db

LEGIFRANCE = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006390000"


@pytest.fixture
def rich(charter, editor):
    body = [
        factories.section(
            "Titre premier",
            [
                factories.article(
                    "Réponses",
                    [RICH, "<p>Deuxième alinéa :</p><ol><li>un autre premier point ;</li></ol>"],
                )
            ],
        )
    ]
    page = factories.make_iteration(charter, body, user=editor)
    services.iteration_open(iteration=page, by=editor)
    return CharterIterationPage.objects.get(pk=page.pk)


def test_word_keeps_emphasis_links_and_lists(client, rich):
    response = fetch_document(client, f"{rich.url}download/docx/")
    assert response.status_code == 200
    word = docx.Document(io.BytesIO(response.content))
    paragraphs = {p.text: p for p in word.paragraphs}
    first = paragraphs["1. La commune s’engage à répondre, par écrit, selon l’article L. 2141-1 :"]
    looks = {run.text: (run.bold, run.italic) for run in first.runs}
    assert looks["s’engage"] == (True, None)
    assert looks["par écrit"] == (None, True)
    assert [link.url for link in first.hyperlinks] == [LEGIFRANCE]
    assert [link.text for link in first.hyperlinks] == ["l’article L. 2141-1"]
    assert paragraphs["dans un délai d’un mois ;"].style.name == "List Number"
    assert paragraphs["en ligne."].style.name == "List Number"
    assert paragraphs["Une liste à puces"].style.name == "List Bullet"
    unsafe = paragraphs["piège fin"]
    assert unsafe.hyperlinks == []
    # The second paragraph's list counts from 1 again: a numbering of its own.
    numbering = {
        text: paragraphs[text]._p.pPr.numPr.numId.val
        for text in ("dans un délai d’un mois ;", "en ligne.", "un autre premier point ;")
    }
    assert numbering["dans un délai d’un mois ;"] == numbering["en ligne."]
    assert numbering["un autre premier point ;"] != numbering["en ligne."]
    assert (
        "javascript"
        not in zipfile.ZipFile(io.BytesIO(response.content))
        .read("word/_rels/document.xml.rels")
        .decode()
    )


def test_opendocument_keeps_emphasis_links_and_lists(client, rich):
    response = fetch_document(client, f"{rich.url}download/odt/")
    assert response.status_code == 200
    content = zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml").decode()
    assert f'xlink:href="{LEGIFRANCE}"' in content
    assert '<text:span text:style-name="Charte_B">s’engage</text:span>' in content
    assert '<text:span text:style-name="Charte_I">par écrit</text:span>' in content
    assert '<text:list text:style-name="Charte_List_ol">' in content
    assert "dans un délai d’un mois ;" in content
    assert "javascript" not in content


def test_pdf_keeps_links_and_list_numbers(client, rich):
    response = fetch_document(client, f"{rich.url}download/pdf/")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "dans un délai d’un mois ;" in text and "un autre premier point ;" in text
    # Lists are tagged as lists: each item with its label (its number) and its body.
    tags = structure(response.content)
    assert tags.count("L") == 3 and tags.count("Lbl") == tags.count("LI") == 4
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert links == [LEGIFRANCE]
