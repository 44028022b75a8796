"""Bounded work on the expensive public pages: the documents to download (the text as PDF and
OpenDocument, the synthesis as PDF), the open data (CSV, JSON), the synthesis page and the
comparison of two versions are each rate-limited per client address and per account (429 with
Retry-After, in the reader's language, logged), and the queries that build them run under a
time budget (503 with a readable message past it, the next request served as usual)."""

import logging

import pytest
from django.db import connection
from django.test import override_settings

from charte.core.bounds import StatementTimeout, statement_budget
from charte.texts import services
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.history.test_history import next_version, paragraphs_of
from tests.documents import fetch_document

pytestmark = pytest.mark.django_db

RESIDENT_A, RESIDENT_B = "198.51.100.10", "198.51.100.20"
# A statement that cannot finish within a millisecond, on SQLite as on PostgreSQL.
SLOW = (
    "SELECT COUNT(*) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < 5000000) SELECT n FROM c) AS counted"
)
TOO_MANY_FR = (
    "Cette page a été demandée trop souvent depuis votre connexion en peu de temps\u00a0: attendez"
)
TOO_MANY_EN = "This page was asked for too often from your connection in a short time: wait"

# Each expensive page: the address of its route on the ended iteration (or its charter).
ENDPOINTS = {
    "text as PDF": lambda it: f"{it.url}download/pdf/",
    "text as OpenDocument": lambda it: f"{it.url}download/odt/",
    "synthesis page": lambda it: f"{it.url}synthesis/",
    "synthesis as PDF": lambda it: f"{it.url}synthesis/pdf/",
    "open data as CSV": lambda it: f"{it.url}contributions/csv/",
    "open data as JSON": lambda it: f"{it.url}contributions/json/",
    "comparison": lambda it: f"{it.get_parent().url}compare/1/2/",
}
# A document's first answer says it is being prepared (the worker builds it): 202, not 200.
BUILT = {"text as PDF", "text as OpenDocument", "synthesis as PDF"}


@pytest.fixture
def second(opened, editor):
    """A second version (the first paragraph removed), opened then closed: every expensive
    page of it exists, and the comparison with the first version too."""
    page = next_version(opened, editor, lambda sections: paragraphs_of(sections, 0).pop(0))
    services.iteration_close(iteration=page, by=editor)
    page.refresh_from_db()
    return page


def get(client, path, address):
    return client.get(path, HTTP_X_FORWARDED_FOR=address)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@override_settings(DOCUMENT_RATE_LIMITS="2/60", TRUSTED_PROXY_COUNT=1)
def test_the_third_request_of_a_client_in_a_minute_is_refused_and_not_another_clients(
    client, second, endpoint, caplog
):
    path = ENDPOINTS[endpoint](second)
    answered = 202 if endpoint in BUILT else 200
    assert [get(client, path, RESIDENT_A).status_code for _ in range(2)] == [answered] * 2
    caplog.set_level(logging.WARNING, logger="charte.limits")
    refused = get(client, path, RESIDENT_A)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert TOO_MANY_FR in refused.content.decode()
    assert any(
        record.name == "charte.limits" and "refused GET" in record.getMessage()
        for record in caplog.records
    )
    # Another resident behind the same proxy is served.
    assert get(client, path, RESIDENT_B).status_code == answered


@override_settings(DOCUMENT_RATE_LIMITS="1/60", TRUSTED_PROXY_COUNT=1)
def test_each_kind_of_page_has_its_own_budget_and_an_account_its_own(client, second):
    assert get(client, ENDPOINTS["text as PDF"](second), RESIDENT_A).status_code == 202
    # Another kind of page is not refused because of the download.
    assert get(client, ENDPOINTS["open data as CSV"](second), RESIDENT_A).status_code == 200
    # Signed in, the account is counted wherever it connects from.
    client.force_login(make_citizen())
    assert get(client, ENDPOINTS["synthesis page"](second), RESIDENT_B).status_code == 200
    assert get(client, ENDPOINTS["synthesis page"](second), "198.51.100.30").status_code == 429


@override_settings(DOCUMENT_RATE_LIMITS="1/60", TRUSTED_PROXY_COUNT=1)
def test_the_refusal_reads_in_english_on_the_english_site(client, second, english):
    translated = second.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    path = f"/en{translated.url}" if not translated.url.startswith("/en/") else translated.url
    path += "download/pdf/"
    get(client, path, RESIDENT_A)
    refused = get(client, path, RESIDENT_A)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert TOO_MANY_EN in html and 'lang="en"' in html


@pytest.fixture
def slow_documents(settings, monkeypatch):
    """Building a text's document made to run a statement that cannot finish within the
    budget of one millisecond."""
    from charte.publications import views

    settings.DOCUMENT_STATEMENT_TIMEOUT_MS = 1
    render = views.document_html

    def slow(kind, page):
        with connection.cursor() as cursor:
            cursor.execute(SLOW)
        return render(kind, page)

    monkeypatch.setattr(views, "document_html", slow)
    return monkeypatch


def test_a_document_past_its_time_budget_is_a_503_and_the_next_one_is_served(
    client, second, slow_documents, settings
):
    path = ENDPOINTS["text as PDF"](second)
    response = client.get(path)
    assert response.status_code == 503
    html = response.content.decode()
    assert "Le site est très sollicité et n’a pas pu préparer cette page à temps" in html
    slow_documents.undo()  # the slow statement gone, the usual budget back
    settings.DOCUMENT_STATEMENT_TIMEOUT_MS = 5000
    served = fetch_document(client, path)
    assert served["Content-Type"] == "application/pdf"


def test_the_budget_interrupts_a_slow_statement_and_ends_with_its_block():
    with pytest.raises(StatementTimeout), statement_budget(1), connection.cursor() as cursor:
        cursor.execute(SLOW)
    # The budget ended with the block: the same kind of statement, smaller, runs to the end.
    with connection.cursor() as cursor:
        cursor.execute(SLOW.replace("5000000", "20000"))
        assert cursor.fetchone() == (20000,)
    # Within a generous budget, it finishes.
    with statement_budget(60_000), connection.cursor() as cursor:
        cursor.execute(SLOW.replace("5000000", "20000"))
        assert cursor.fetchone() == (20000,)
