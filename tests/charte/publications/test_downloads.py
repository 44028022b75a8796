"""Documents to download: the adopted text with its trail (PDF and OpenDocument), and the
council's review pack (PDF, council and team only)."""

import io
import zipfile

import pytest
from django.utils import timezone
from pypdf import PdfReader

from charte.amendments.services import amendment_answer, amendment_propose
from charte.core import roles
from charte.models import Paragraph
from charte.review.services import note_add
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.documents import fetch_document

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def odt_text(response):
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    return archive.read("content.xml").decode(), archive.read("styles.xml").decode()


@pytest.fixture
def adopted(opened, editor):
    row = Paragraph.objects.filter(iteration=opened).order_by("position").first()
    amendment = amendment_propose(
        paragraph=row,
        by=make_citizen("assoc", "Association des Tilleuls"),
        kind="modify",
        text="Les élus répondent à chacun sous un mois.",
        rationale="Un délai précis.",
    )
    amendment_answer(
        amendment=amendment, status="rejected", response="Délai déjà fixé ailleurs.", by=editor
    )
    services.iteration_close(iteration=opened, by=editor)
    services.iteration_adopt(
        iteration=opened,
        by=editor,
        session_date=timezone.localdate(),
        deliberation_reference="DEL-2027-042",
        votes_for=30,
        votes_against=2,
        abstentions=1,
    )
    return opened


def test_the_adopted_text_as_pdf_with_its_trail(client, adopted):
    response = fetch_document(client, f"{adopted.url}download/pdf/")
    assert response.status_code == 200
    assert 'filename="charte-test-version-1.pdf"' in response["Content-Disposition"]
    text = " ".join(pdf_text(response).split())
    assert "Adoptée à la majorité par le conseil" in text and "DEL-2027-042" in text
    assert "Alinéa 1 : la commune s’engage à répondre à chacun." in text
    assert "Association des Tilleuls" in text and "Délai déjà fixé ailleurs." in text
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Charte de test – Version 1"


def test_the_adopted_text_as_opendocument(client, adopted):
    response = fetch_document(client, f"{adopted.url}download/odt/")
    assert response.status_code == 200
    assert 'filename="charte-test-version-1.odt"' in response["Content-Disposition"]
    content, styles = odt_text(response)
    assert "DEL-2027-042" in content
    assert "la commune s’engage à répondre à chacun" in content
    assert "Délai déjà fixé ailleurs." in content
    assert 'fo:language="fr"' in styles


def test_the_adopted_text_as_a_word_document(client, adopted):
    import docx

    page = client.get(adopted.get_parent().url).content.decode()
    assert f'href="{adopted.url}download/docx/"' in page
    response = fetch_document(client, f"{adopted.url}download/docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert 'filename="charte-test-version-1.docx"' in response["Content-Disposition"]
    word = docx.Document(io.BytesIO(response.content))
    assert word.core_properties.title == "Charte de test – Version 1"
    assert word.core_properties.language == "fr"
    styles = zipfile.ZipFile(io.BytesIO(response.content)).read("word/styles.xml").decode()
    assert 'w:lang w:val="fr-FR"' in styles
    headings = [
        (p.style.name, p.text)
        for p in word.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", "Charte de test – Version 1")
    assert ("Heading 3", "Article 1 – Article de test 1") in headings
    texts = [p.text for p in word.paragraphs]
    assert "1. Alinéa 1 : la commune s’engage à répondre à chacun." in texts
    assert any("DEL-2027-042" in t for t in texts)
    # Each amendment under its own heading, with its answer.
    assert any(
        name == "Heading 3" and text.startswith("Amendement n° 1 – ") for name, text in headings
    )
    assert "Réponse\u00a0: Rejeté. Délai déjà fixé ailleurs." in texts


def test_a_draft_has_no_download(client, iteration):
    assert client.get(f"{iteration.url}download/pdf/").status_code == 404
    assert client.get(f"{iteration.url}download/docx/").status_code == 404


def test_the_review_pack_is_for_the_council_and_holds_its_notes(client, opened, editor):
    council_member = factories.UserFactory(username="sophie", role=roles.COUNCIL_MEMBERS)
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    note_add(paragraph=rows[0], by=council_member, text="Vérifier le budget de cette mesure.")
    waiting = amendment_propose(
        paragraph=rows[1], by=make_citizen(), kind="delete", text="", rationale="Redondant."
    )
    pack = f"{opened.get_parent().url}review/pack/"

    assert client.get(pack).status_code == 302
    client.force_login(make_citizen("marc", "Marc"))
    assert client.get(pack).status_code == 403

    client.force_login(council_member)
    response = fetch_document(client, pack)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    text = " ".join(pdf_text(response).split())
    assert "Vérifier le budget de cette mesure." in text
    assert f"Amendement n° {waiting.number}" in text and "attendent encore une réponse" in text

    # The public download of the same text never holds a note.
    public = " ".join(pdf_text(fetch_document(client, f"{opened.url}download/pdf/")).split())
    assert "Vérifier le budget" not in public


def test_a_slug_with_accents_names_the_file_without_an_error(client, charter, editor):
    from charte.texts import services

    iteration = factories.make_iteration(charter, user=editor, slug="première-version")
    services.iteration_open(iteration=iteration, by=editor)
    response = fetch_document(client, f"{iteration.url}download/pdf/")
    assert response.status_code == 200
    assert (
        "filename*=utf-8''charte-test-premi%C3%A8re-version.pdf" in response["Content-Disposition"]
    )
    assert client.get(f"{iteration.url}contributions/csv/").status_code == 200


def test_every_pdf_prints_amendments_taller_than_a_page(client, opened, editor):
    """Amendments of the longest wording accepted, one answered at the same length: the
    version's PDF and the council's review pack continue their rows over the next pages."""
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    words = " ".join(f"mot{i}" for i in range(600))[:2990].rsplit(" ", 1)[0] + " fin."
    answered, waiting = (
        amendment_propose(
            paragraph=row, by=make_citizen(name, name), kind="modify", text=words, rationale=words
        )
        for row, name in zip(rows[:2], ["lea", "marc"], strict=True)
    )
    amendment_answer(amendment=answered, status="rejected", response=words, by=editor)
    council_member = factories.UserFactory(username="sophie", role=roles.COUNCIL_MEMBERS)
    note_add(paragraph=rows[0], by=council_member, text=words[-1990:])

    version = " ".join(pdf_text(fetch_document(client, f"{opened.url}download/pdf/")).split())
    assert version.count(" fin.") == 3  # two proposals and an answer, to their last word
    client.force_login(council_member)
    response = fetch_document(client, f"{opened.get_parent().url}review/pack/")
    assert response.status_code == 200
    pack = " ".join(pdf_text(response).split())
    assert f"Amendement n° {waiting.number}" in pack
    assert pack.count(" fin.") >= 3
