"""The synthesis of a consultation and the open data of its contributions, served by
CharterIterationPage (``synthesis/``, ``synthesis/pdf/``, ``contributions/csv/`` and
``contributions/json/``)."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from charte.core.bounds import bounded
from charte.core.formatting import format_date
from charte.publications.documents import text_document
from charte.publications.renderers import FORMATS, Document, download
from charte.publications.synthesis import as_csv, figures, open_data
from charte.texts.pages import IterationState

ENDED = (IterationState.CLOSED, IterationState.ADOPTED, IterationState.SUPERSEDED)


def _frozen_or_404(page):
    if not page.is_frozen:
        raise Http404
    return page.source


@bounded("document")
def text_download(page, request, format):
    """The text with its trail, as PDF, OpenDocument or Word (once frozen)."""
    if format not in FORMATS or not page.is_frozen:
        raise Http404
    charter = page.get_parent()
    return download(text_document(page), format, f"{charter.slug}-{page.slug}")


@bounded("synthesis")
def synthesis_page(page, request):
    source = _frozen_or_404(page)
    ended = page.current_state() in ENDED
    return page.render(
        request,
        template="charte/synthesis.html",
        sections=[],
        context_overrides={"figures": figures(source) if ended else None, "ended": ended},
    )


@bounded("document")
def synthesis_pdf(page, request):
    source = _frozen_or_404(page)
    if page.current_state() not in ENDED:
        raise Http404
    charter = page.get_parent()
    return download(
        synthesis_document(page, figures(source)), "pdf", f"{charter.slug}-{page.slug}-bilan"
    )


@bounded("open-data")
def contributions(page, request, format):
    _frozen_or_404(page)
    if format not in ("csv", "json"):
        raise Http404
    rows = open_data(page)
    name = f"{page.get_parent().slug}-{page.slug}-contributions"
    if format == "json":
        response = JsonResponse(
            {"iteration": page.full_url, "contributions": rows},
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
    else:
        response = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.{format}"
    )
    return response


def synthesis_document(page, numbers) -> Document:
    charter = page.get_parent().specific
    from django.utils.translation import get_language

    document = Document(
        title=_("Synthesis of the consultation: %(title)s")
        % {"title": f"{charter.title} – {page.title}"},
        language=get_language() or "fr",
        author=charter.title,
    )
    if page.source.opens_at and page.consultation_ends_at():
        document.subtitle = _("Consultation from %(start)s to %(end)s") % {
            "start": format_date(page.source.opens_at),
            "end": format_date(page.consultation_ends_at()),
        }
    document.heading(_("Participation"), 2)
    document.table(
        [_("Contributions"), _("Comments"), _("Amendments"), _("Positions"), _("Participants")],
        [
            [
                str(numbers.contributions),
                str(numbers.comments),
                str(numbers.amendments),
                str(numbers.positions),
                str(numbers.participants),
            ]
        ],
    )
    for title, bars, label in (
        (_("Participants by author type"), numbers.by_author_type, _("Author type")),
        (_("Participants by territory"), numbers.by_territory, _("Territory")),
        (_("Contributions per day"), numbers.by_day, _("Day")),
        (_("Contributions per article"), numbers.by_article, _("Article")),
        (_("Online and in workshops"), numbers.by_origin, _("Origin")),
    ):
        document.heading(title, 3)
        document.table([label, _("Number")], [[bar.label, str(bar.value)] for bar in bars])
    document.heading(_("The most discussed paragraphs"), 2)
    document.table(
        [_("Paragraph"), _("Contributions"), _("Text")],
        [[str(row), str(count), row.text] for row, count in numbers.most_discussed],
    )
    document.heading(_("Every amendment and its answer"), 2)
    document.table(
        [_("No."), _("Paragraph"), _("Proposal"), _("Supports"), _("Answer")],
        [
            [
                str(a.number),
                str(a.paragraph),
                _("%(kind)s: %(text)s") % {"kind": a.get_kind_display(), "text": a.text}
                if a.text
                else a.get_kind_display(),
                _("%(agree)s agree, %(mixed)s mixed, %(disagree)s disagree")
                % {"agree": a.agree, "mixed": a.mixed, "disagree": a.disagree},
                f"{a.get_status_display()}. {a.response}".strip(),
            ]
            for a in numbers.amendments_answered
        ],
    )
    return document
