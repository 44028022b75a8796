"""The documents a charter publishes, written once as HTML templates (``templates/documents/``)
with their print stylesheet: the text of a frozen iteration with its trail (the adopted text with
the council's decision), the synthesis of a consultation, the council's review pack (council
and team only: it holds their notes), and the workshop kit of a version in consultation (the
text with a short address and a QR code beside each article, then contribution sheets to fill
in by hand, article by article).

:func:`document_html` renders one of them in the active language; :mod:`.building` turns that
HTML into a tagged PDF, an OpenDocument text or a Word document, in the background, once per
content.
"""

from __future__ import annotations

import base64
from functools import lru_cache

import qrcode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from charte.amendments.models import Amendment
from charte.amendments.queries import unanswered_amendments
from charte.core import identity
from charte.core.formatting import format_date, format_datetime
from charte.history.comparison import compare, frozen_iterations
from charte.publications.bilan import bilan
from charte.publications.synthesis import figures
from charte.review.models import ReviewNote
from charte.texts.pages import CharterIterationPage, IterationState
from charte.texts.reading import reading_outline

TEXT, SYNTHESIS, REVIEW, KIT = "text", "synthesis", "review", "kit"
KINDS = (TEXT, SYNTHESIS, REVIEW, KIT)
# The yearly bilan of a charter is kept under the charter's page, one kind per year
# (« bilan-2026 »).
BILAN = "bilan"


def bilan_kind(year: int) -> str:
    return f"{BILAN}-{year}"


# QR codes of the kit: error correction M (a printed code survives a fold or a stain), a quiet
# zone of four modules as the standard asks, and one fixed mask: choosing the best of the eight
# took most of the time of a 200-article kit, and any mask reads.
QR_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
QR_BORDER = 4
QR_MASK = 0


def _versions(charter_source) -> dict[int, CharterIterationPage]:
    """The versions of a charter by id, without their body: what an amendment's row and its
    address need of its version (loading the body of a 1,000-paragraph version with each of
    300 amendments took most of a document's time)."""
    return {
        version.pk: version
        for version in CharterIterationPage.objects.child_of(charter_source)
        .defer("body")
        .order_by("number")
    }


def _with_versions(amendments, versions):
    for amendment in amendments:
        amendment.iteration = versions[amendment.iteration_id]
    return amendments


def _amendments_by_key(source, versions) -> dict[str, list]:
    """The amendments whose wording a paragraph of ``source`` integrates, by paragraph key."""
    by_key: dict[str, list] = {}
    for amendment in _with_versions(
        Amendment.objects.filter(integrated_into=source)
        .exclude(integrated_key="")
        .select_related("author", "workshop")
        .order_by("number"),
        versions,
    ):
        by_key.setdefault(amendment.integrated_key, []).append(amendment)
    return by_key


def _sections(page, *, provenance=None, notes=None):
    """The reading outline of ``page`` (the same as the web page's), each paragraph carrying
    the amendments it integrates and, for the review pack, its provenance and the notes."""
    sections = reading_outline(page)
    integrated = _amendments_by_key(page.source, _versions(page.source.get_parent()))
    for section in sections:
        for article in section.articles:
            for paragraph in article.paragraphs:
                paragraph.integrates = integrated.get(paragraph.key, [])
                paragraph.provenance = (provenance or {}).get(paragraph.key, "")
                paragraph.notes = (notes or {}).get(paragraph.row.pk, []) if paragraph.row else []
    return sections


def _trail(page) -> dict:
    """The versions of the text and every amendment of the charter with its answer."""
    charter_source = page.source.get_parent()
    versions = _versions(charter_source)
    return {
        "iterations": [version for version in versions.values() if version.frozen_at],
        "amendments": _with_versions(
            Amendment.objects.filter(charter_id=charter_source.pk)
            .select_related("author", "paragraph", "workshop")
            .order_by("number"),
            versions,
        ),
    }


def _provenance_since_first(page) -> dict[str, str]:
    iterations = frozen_iterations(page.source.get_parent())
    first = iterations[0]
    if first.pk == page.source.pk:
        return {}
    first_page = first.get_translation_or_none(page.locale) or first
    sentences = {}
    for change in compare(first_page, page).changes:
        if change.new is None:
            continue
        if change.status == "added":
            sentence = _("Added since %(title)s.") % {"title": first.title}
        elif change.status == "modified":
            sentence = _("Reworded since %(title)s.") % {"title": first.title}
        else:
            sentence = _("Unchanged since %(title)s.") % {"title": first.title}
        sentences[change.new.key] = sentence
    return sentences


def _text_context(page) -> dict:
    charter = page.get_parent().specific
    source = page.source
    return {
        "title": f"{charter.title} – {page.title}",
        "subtitle": f"{page.label} · {page.current_state_label()}",
        "adoption": source.adoption if source.state == IterationState.ADOPTED else None,
        "sections": _sections(page),
        **_trail(page),
    }


def _review_context(page) -> dict:
    charter = page.get_parent().specific
    source = page.source
    notes: dict[int, list] = {}
    for note in (
        ReviewNote.objects.filter(paragraph__iteration=source)
        .select_related("author")
        .order_by("created_at")
    ):
        notes.setdefault(note.paragraph_id, []).append(note)
    return {
        "title": _("Review pack: %(title)s") % {"title": f"{charter.title} – {page.title}"},
        "subtitle": _("For the council and the communication team – not for publication. %(date)s")
        % {"date": format_date(source.frozen_at)},
        "waiting": list(
            unanswered_amendments(source.get_parent()).select_related(
                "paragraph", "author", "workshop"
            )
        ),
        "sections": _sections(page, provenance=_provenance_since_first(page), notes=notes),
        **_trail(page),
    }


def _synthesis_context(page) -> dict:
    charter = page.get_parent().specific
    subtitle = ""
    if page.source.opens_at and page.consultation_ends_at():
        subtitle = _("Consultation from %(start)s to %(end)s") % {
            "start": format_date(page.source.opens_at),
            "end": format_date(page.consultation_ends_at()),
        }
    return {
        "title": _("Synthesis of the consultation: %(title)s")
        % {"title": f"{charter.title} – {page.title}"},
        "subtitle": subtitle,
        "figures": figures(page.source, page),
    }


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of the QR code of ``data``, without its quiet zone (True: dark)."""
    code = qrcode.QRCode(error_correction=QR_ERROR_CORRECTION, border=0, mask_pattern=QR_MASK)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


@lru_cache(maxsize=4096)
def qr_code(data: str) -> str:
    """The QR code of ``data`` as an SVG image (a ``data:`` address, which the PDF builder
    reads without the network): one path, each run of dark modules of a row one rectangle."""
    matrix = qr_matrix(data)
    size = len(matrix) + 2 * QR_BORDER
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start + QR_BORDER},{y + QR_BORDER}h{x - start}v1h-{x - start}z")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def short_address(page, article_number: int, *, site=None) -> str:
    """The absolute short address of article ``article_number`` of the version ``page``, in
    the active language (« https://…/t/12/3/ », « https://…/en/t/12/3/ »); ``site``: the
    site's identity, when the caller read it already."""
    return (site or identity.current()).absolute(
        reverse("short_address", args=[page.source.pk, article_number])
    )


def _kit_context(page) -> dict:
    charter = page.get_parent().specific
    source = page.source
    site = identity.current()
    sections = reading_outline(page)
    for section in sections:
        for article in section.articles:
            article.short_address = short_address(page, article.number, site=site)
            article.qr_code = qr_code(article.short_address)
    window = ""
    if source.opens_at and page.consultation_ends_at():
        window = _("Consultation from %(start)s to %(end)s") % {
            "start": format_datetime(source.opens_at),
            "end": format_datetime(page.consultation_ends_at()),
        }
    return {
        "title": _("Workshop kit: %(title)s") % {"title": f"{charter.title} – {page.title}"},
        "subtitle": f"{page.label} · {window}" if window else page.label,
        "window": window,
        "page_url": site.absolute(page.url or ""),
        "sections": sections,
    }


CONTEXTS = {
    TEXT: _text_context,
    SYNTHESIS: _synthesis_context,
    REVIEW: _review_context,
    KIT: _kit_context,
}


def _bilan_context(page, year: int) -> dict:
    report = bilan(page, year)
    return {
        "title": _("%(charter)s: the %(year)s report") % {"charter": page.title, "year": year},
        "subtitle": _("Commitments, indicators and evaluation of the consultations, %(year)s")
        % {"year": year},
        "bilan": report,
    }


def document_html(kind: str, page) -> str:
    """The whole document ``kind`` of the iteration ``page`` in the active language: one HTML
    file, what every format is made from. A bilan (``bilan_kind(year)``) is the charter
    ``page``'s."""
    if kind.startswith(f"{BILAN}-"):
        charter = page.specific
        return render_to_string(
            "documents/bilan.html",
            {
                "page": charter,
                "charter": charter,
                "language": get_language() or "fr",
                "author": charter.title,
                **_bilan_context(charter, int(kind.split("-", 1)[1])),
            },
        )
    charter = page.get_parent().specific
    return render_to_string(
        f"documents/{kind}.html",
        {
            "page": page,
            "charter": charter,
            "language": get_language() or "fr",
            "author": charter.title,
            **CONTEXTS[kind](page),
        },
    )
