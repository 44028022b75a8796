"""Documents built once, in the background, from the same HTML as every format: never in the
web request, never stale, tagged PDFs with their language, title, bookmarks and table headers."""

import io
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from charte.amendments.services import amendment_answer, amendment_propose
from charte.core import identity
from charte.models import BuiltDocument, Paragraph
from charte.publications import building
from tests.charte.discussions.test_comments import make_citizen
from tests.documents import fetch_document, needs_pdf, structure
from tests.worker import work

pytestmark = pytest.mark.django_db

BUILDS = "charte.publications.building.build_document_task"


def queued():
    return DBTaskResult.objects.filter(task_path=BUILDS).count()


def test_a_document_is_prepared_once_in_the_background_then_served_as_kept(client, opened):
    address = f"{opened.url}download/pdf/"
    waiting = client.get(address)
    assert waiting.status_code == 202 and waiting["Retry-After"] == "5"
    html = waiting.content.decode()
    assert "<h1>Votre document est en préparation</h1>" in html
    assert json.loads(client.get(f"{address}?ready").content) == {"state": "pending"}
    # Asked again while it is being prepared: no second build is queued.
    assert client.get(address).status_code == 202
    assert queued() == 1

    work()
    assert json.loads(client.get(f"{address}?ready").content) == {"state": "ready"}
    served = client.get(address)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served.content.startswith(b"%PDF-")
    # Served again from what was kept: nothing more to build.
    assert client.get(address).content == served.content
    assert queued() == 1 and BuiltDocument.objects.count() == 1


def test_a_change_is_never_served_from_the_old_file(client, opened, editor):
    row = Paragraph.objects.filter(iteration=opened).order_by("position").first()
    amendment = amendment_propose(
        paragraph=row, by=make_citizen(), kind="modify", text="Sous un mois.", rationale="Délai."
    )
    before = fetch_document(client, f"{opened.url}download/odt/")
    amendment_answer(
        amendment=amendment, status="rejected", response="Déjà prévu ailleurs.", by=editor
    )
    # The answer changes the document: the kept file is not served, a new one is prepared.
    after = fetch_document(client, f"{opened.url}download/odt/")
    assert after.content != before.content
    assert "Déjà prévu ailleurs." in odt_content(after) and "Déjà prévu" not in odt_content(before)


def odt_content(response):
    import zipfile

    return zipfile.ZipFile(io.BytesIO(response.content)).read("content.xml").decode()


def outline_titles(reader):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_the_pdf_is_tagged_with_its_language_title_bookmarks_and_table_headers(client, opened):
    needs_pdf()
    content = fetch_document(client, f"{opened.url}download/pdf/").content
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # the title, not the file name
    assert reader.metadata.title == "Charte de test – Version 1"
    titles = outline_titles(reader)
    assert titles[:2] == ["Charte de test – Version 1", "Le texte"]
    assert any(title.startswith("Article 1 – ") for title in titles)
    assert "Chaque amendement et sa réponse" in titles
    tags = structure(content)
    assert {"H1", "H2", "H3", "P", "Table", "TH", "TD"} <= set(tags)
    assert tags.count("TH") >= 5  # the header row of each table, and each version's row


def test_the_english_pdf_says_english(client, opened, english):
    translated = opened.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    address = translated.url if translated.url.startswith("/en/") else f"/en{translated.url}"
    waiting = client.get(f"{address}download/pdf/")
    assert "<h1>Your document is being prepared</h1>" in waiting.content.decode()
    content = fetch_document(client, f"{address}download/pdf/").content
    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "The text" in outline_titles(reader)
    # Each language is its own document.
    assert set(BuiltDocument.objects.values_list("language", flat=True)) == {"en"}


def test_a_failed_build_says_so_then_is_tried_again(client, opened, monkeypatch):
    def broken(html):
        raise building.PdfUnavailable("libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(building, "render_pdf", broken)
    address = f"{opened.url}download/pdf/"
    assert client.get(address).status_code == 202
    work()
    failed = client.get(address)
    assert failed.status_code == 503
    assert "Le document n’a pas pu être préparé" in failed.content.decode()
    assert json.loads(client.get(f"{address}?ready").content) == {"state": "failed"}
    assert queued() == 1  # not tried again at every request
    monkeypatch.undo()
    BuiltDocument.objects.update(requested_at=building.timezone.now() - timedelta(minutes=6))
    assert fetch_document(client, address)["Content-Type"] == "application/pdf"


class _Counting(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802 (the standard library's name)
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_building_a_pdf_fetches_nothing(settings):
    """A document holds contributions: an address in one never makes the worker fetch it."""
    needs_pdf()
    server = HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        identity.identity_set(base_url=url)  # relative addresses resolve to the server
        html = (
            f'<html lang="fr"><head><title>T</title><link rel="stylesheet" href="{url}/a.css">'
            f'</head><body><h1>T</h1><img src="{url}/b.png" alt="b"><img src="/c.png" alt="c">'
            "</body></html>"
        )
        assert building.render_pdf(html).startswith(b"%PDF-")
    finally:
        server.shutdown()
    assert _Counting.hits == 0


def test_waiting_for_a_document_does_not_use_up_the_readers_limit(client, opened, settings):
    settings.DOCUMENT_RATE_LIMITS = "2/60"
    address = f"{opened.url}download/odt/"
    assert client.get(address).status_code == 202
    # The waiting page asks every few seconds whether it is ready: never refused for that.
    for _ in range(6):
        assert json.loads(client.get(f"{address}?ready").content) == {"state": "pending"}
    assert client.get(address).status_code == 202
    assert client.get(address).status_code == 429  # the third request of the minute
