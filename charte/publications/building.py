"""Documents built once per content, in the background.

A request renders the document's HTML (a fraction of a second, even at 1,000 paragraphs) and
takes its digest. When the file kept for that iteration, kind, format and language was built
from the same HTML, it is served at once; otherwise the HTML is stored and the durable queue's
worker builds the file (a tagged PDF takes seconds at real size: never in a web worker), while
the reader gets a page saying it is being prepared. Whatever changes the document (an answer, a
note, a translation, the state of a version, the wording of a template) changes its HTML, so no
stale file is ever served, and nothing has to be told to forget one.

PDFs are made by WeasyPrint from the HTML and its print stylesheet, as PDF/UA (tagged, with the
document's language and title, bookmarks from the headings); OpenDocument and Word files from
the same HTML read into :class:`~charte.publications.renderers.Document`.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django_tasks import task

from charte.core import identity
from charte.publications.documents import document_html
from charte.publications.models import BuiltDocument
from charte.publications.renderers import document_from_html, render_docx, render_odt

logger = logging.getLogger(__name__)

FORMATS = ("pdf", "odt", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Part of every digest: a change in how files are made (not only in what they hold) rebuilds
# them. Raise it when a renderer changes.
BUILD_VERSION = "2"
# A build asked for and not done in this time (a worker stopped mid-way) is asked for again.
PENDING_FOR = timedelta(minutes=10)
# A failed build is tried again after this time, not at every request.
RETRY_FAILED_AFTER = timedelta(minutes=5)


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here (its Pango library is missing)."""


def _digest(html: str, format: str) -> str:
    return hashlib.sha256(f"{BUILD_VERSION}\n{format}\n{html}".encode()).hexdigest()


def render_pdf(html: str) -> bytes:
    try:
        import weasyprint
    except OSError as error:  # pragma: no cover - depends on the machine's libraries
        raise PdfUnavailable(str(error)) from error
    from weasyprint.urls import URLFetcher

    # Documents need nothing from the network (their stylesheet is inline, their charts SVG):
    # only ``data:`` addresses are read, so that an address in a contribution never makes the
    # worker fetch anything. The base address makes relative links absolute.
    base = identity.current().base_url.rstrip("/") + "/"
    fetcher = URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def render(format: str, html: str) -> bytes:
    if format == "pdf":
        return render_pdf(html)
    document = document_from_html(html, base_url=identity.current().base_url.rstrip("/"))
    return render_odt(document) if format == "odt" else render_docx(document)


def _row(page, kind, format, language):
    return (
        BuiltDocument.objects.defer("content", "html")
        .filter(iteration_id=page.pk, kind=kind, format=format, language=language)
        .first()
    )


def request_document(*, page, kind: str, format: str, html: str | None = None) -> BuiltDocument:
    """The kept document ``kind`` of ``page`` in ``format`` and the active language; its
    ``ready`` is true when it was built from what the document says now (``html``, rendered
    here when not given); otherwise its build is queued (once) and the row says ``pending``
    (or ``failed``, until it is tried again)."""
    if html is None:
        html = document_html(kind, page)
    wanted = _digest(html, format)
    language = get_language() or "fr"
    now = timezone.now()
    row = _row(page, kind, format, language)
    if row is not None and row.built_digest == wanted:
        row.ready = True
        return row
    if row is not None and row.wanted_digest == wanted:
        row.ready = False
        waited = now - row.requested_at
        if row.status == BuiltDocument.Status.PENDING and waited < PENDING_FOR:
            return row
        if row.status == BuiltDocument.Status.FAILED and waited < RETRY_FAILED_AFTER:
            return row
    with transaction.atomic():
        row, _created = BuiltDocument.objects.update_or_create(
            iteration_id=page.pk,
            kind=kind,
            format=format,
            language=language,
            defaults={
                "wanted_digest": wanted,
                "html": html,
                "requested_at": now,
                "status": BuiltDocument.Status.PENDING,
                "error": "",
            },
        )
        # The durable queue is a table of the same database: the task is stored with the row,
        # or not at all.
        build_document_task.enqueue(row.pk, wanted)
    row.ready = False
    return row


def document_ready(*, page, kind: str, format: str) -> str:
    """``ready``, ``pending``, ``failed`` or ``unknown``: what became of the last request for
    this document, without rendering it (for the page that waits for it)."""
    row = _row(page, kind, format, get_language() or "fr")
    if row is None:
        return "unknown"
    if row.built_digest and row.built_digest == row.wanted_digest:
        return "ready"
    return row.status


def content_of(row: BuiltDocument) -> bytes:
    return bytes(BuiltDocument.objects.values_list("content", flat=True).get(pk=row.pk))


@task(backend="durable", queue_name="documents")
def build_document_task(row_pk: int, digest: str) -> str:
    """Build the file a request asked for, unless a later request wants another content (its
    own task builds it) or it is built already."""
    row = BuiltDocument.objects.filter(pk=row_pk).first()
    if row is None or row.wanted_digest != digest:
        return "superseded"
    if row.built_digest == digest:
        return "built already"
    started = time.perf_counter()
    try:
        content = render(row.format, row.html)
    except Exception as error:
        logger.exception("document %s could not be built", row)
        BuiltDocument.objects.filter(pk=row_pk, wanted_digest=digest).update(
            status=BuiltDocument.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return "failed"
    BuiltDocument.objects.filter(pk=row_pk, wanted_digest=digest).update(
        content=content,
        built_digest=digest,
        built_at=timezone.now(),
        build_seconds=round(time.perf_counter() - started, 3),
        status=BuiltDocument.Status.READY,
        html="",
        error="",
    )
    return "built"
