"""Documents as a reader gets them: asked for, built by the background worker, asked again."""

import functools
import os

import pytest

from tests.worker import work


@functools.cache
def pdf_library_missing() -> str:
    """Why PDFs cannot be made on this machine ("" when they can): WeasyPrint needs Pango."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        return str(error)
    return ""


def needs_pdf():
    """Skip a test that makes PDFs where Pango is missing, with the reason; never in CI."""
    missing = pdf_library_missing()
    if missing and not os.environ.get("CI"):
        pytest.skip(
            f"PDFs need Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0): {missing}"
        )


def fetch_document(client, url, **extra):
    """The response that hands over the document at ``url``, once the worker has built it: the
    first request answers that it is being prepared (202) and queues the build."""
    if "/pdf/" in url or url.rstrip("/").endswith("/pack"):
        needs_pdf()
    waiting = client.get(url, **extra)
    assert waiting.status_code == 202, waiting.status_code
    work()
    response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return response


def _elements(content: bytes) -> list:
    """A tagged PDF's structure elements, in reading order."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # « Tagged: yes »
    found: list = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return  # a marked-content number
        if "/S" in node:
            found.append(node)
        if "/K" in node:
            walk(node["/K"])

    walk(root["/StructTreeRoot"])
    return found


def structure(content: bytes) -> list[str]:
    """The types of a tagged PDF's structure elements, in reading order (``H1``, ``P``, ``L``,
    ``LI``, ``Lbl``, ``Table``, ``TH``…): what a screen reader follows."""
    return [str(element["/S"]).lstrip("/") for element in _elements(content)]


def figure_alternatives(content: bytes) -> list[str]:
    """The text alternative of each figure of a tagged PDF ("" for a figure without one)."""
    return [
        str(element.get("/Alt", ""))
        for element in _elements(content)
        if str(element["/S"]) == "/Figure"
    ]
