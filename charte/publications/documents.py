"""The documents a charter publishes, built from the data (see
:mod:`charte.publications.renderers` for the formats): the text of an iteration with its trail
(the adopted text, downloadable as PDF and OpenDocument), and the council's review pack (PDF,
council and team only: it holds their notes)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from charte.amendments.models import Amendment
from charte.amendments.queries import unanswered_amendments
from charte.core.formatting import format_date, format_datetime
from charte.history.comparison import compare, frozen_iterations, reading_texts
from charte.publications.renderers import Document
from charte.review.models import ReviewNote
from charte.texts.pages import IterationState
from charte.texts.paragraphs import Paragraph
from charte.texts.richtext import blocks


def decision_sentence(adoption) -> str:
    return _(
        "%(result)s by the council on %(date)s (deliberation %(reference)s: %(for)s for, "
        "%(against)s against, %(abstentions)s abstentions)."
    ) % {
        "result": adoption.get_result_display(),
        "date": format_date(adoption.session_date),
        "reference": adoption.deliberation_reference,
        "for": adoption.votes_for,
        "against": adoption.votes_against,
        "abstentions": adoption.abstentions,
    }


def _amendment_label(amendment) -> str:
    label = _("Amendment no. %(number)s") % {"number": amendment.number}
    who = amendment.author_name
    if amendment.author_type_label:
        who = f"{who}, {amendment.author_type_label}"
    return f"{label} ({who})"


def _integrated_by_key(source) -> dict[str, list]:
    by_key: dict[str, list] = {}
    for amendment in (
        Amendment.objects.filter(integrated_into=source)
        .exclude(integrated_key="")
        .select_related("author")
        .order_by("number")
    ):
        by_key.setdefault(amendment.integrated_key, []).append(amendment)
    return by_key


def _text_blocks(document, page, *, provenance=None, notes=None):
    """The text of ``page`` article by article; under each paragraph, where its wording comes
    from (``provenance``: key → sentence) and, for the review pack, the council's notes."""
    source = page.source
    texts, lang = reading_texts(page, markup=True)
    integrated = _integrated_by_key(source)
    section_key = article_key = None
    for row in Paragraph.objects.filter(iteration=source).order_by("position"):
        if row.section_key != section_key:
            section_key = row.section_key
            document.heading(texts.get(row.section_key) or row.section_title, 2)
        if row.article_key != article_key:
            article_key = row.article_key
            title = texts.get(row.article_key) or row.article_title
            document.heading(
                _("Article %(number)s") % {"number": row.article_number} + f" – {title}", 3
            )
        translated = texts.get(("html", row.key)) if texts.get(row.key) else None
        document.rich(blocks(translated or row.html or row.text), prefix=f"{row.number}. ")
        lines = []
        if provenance and provenance.get(row.key):
            lines.append(provenance[row.key])
        if integrated.get(row.key):
            lines.append(
                _("This wording integrates %(amendments)s.")
                % {"amendments": ", ".join(_amendment_label(a) for a in integrated[row.key])}
            )
        for note in (notes or {}).get(row.pk, []):
            author = note.author.get_full_name() or note.author.display_name if note.author else ""
            lines.append(
                _("Review note by %(author)s, %(date)s: %(text)s")
                % {"author": author, "date": format_datetime(note.created_at), "text": note.text}
            )
        for line in lines:
            document.note(line)


def _trail(document, page):
    """The versions of the text and every amendment with its answer."""
    source = page.source
    iterations = frozen_iterations(source.get_parent())
    document.heading(_("How the text was written"), 2)
    rows = []
    for iteration in iterations:
        window = ""
        if iteration.opens_at and iteration.consultation_ends_at():
            window = _("%(start)s to %(end)s") % {
                "start": format_date(iteration.opens_at),
                "end": format_date(iteration.consultation_ends_at()),
            }
        rows.append(
            [
                iteration.title,
                iteration.label,
                window,
                iteration.current_state_label(),
                str(iteration.amendments.count()),
            ]
        )
    document.table([_("Version"), _("Label"), _("Consultation"), _("State"), _("Amendments")], rows)
    amendments = list(
        Amendment.objects.filter(charter_id=source.get_parent().pk)
        .select_related("author", "paragraph", "iteration", "integrated_into")
        .order_by("number")
    )
    document.heading(_("Every amendment and its answer"), 2)
    if not amendments:
        document.paragraph(_("No amendment was proposed."))
    document.table(
        [_("No."), _("Version, paragraph"), _("Proposed by"), _("Proposal"), _("Answer")],
        [
            [
                str(a.number),
                f"{a.iteration.title}, {a.paragraph}",
                a.author_name + (f" ({a.author_type_label})" if a.author_type_label else ""),
                _("%(kind)s: %(text)s") % {"kind": a.get_kind_display(), "text": a.text}
                if a.text
                else a.get_kind_display(),
                f"{a.get_status_display()}. {a.response}".strip(),
            ]
            for a in amendments
        ],
    )


def text_document(page) -> Document:
    """An iteration's text with its trail; for the adopted version, the council's decision."""
    source = page.source
    charter = page.get_parent().specific
    document = Document(
        title=f"{charter.title} – {page.title}",
        language=get_language() or "fr",
        author=charter.title,
        subtitle=f"{page.label} · {page.current_state_label()}",
    )
    if source.state == IterationState.ADOPTED:
        adoption = source.adoption
        document.heading(_("The council's decision"), 2)
        document.paragraph(decision_sentence(adoption))
        document.table(
            [_("Council session"), _("Deliberation"), _("For"), _("Against"), _("Abstentions")],
            [
                [
                    format_date(adoption.session_date),
                    adoption.deliberation_reference,
                    str(adoption.votes_for),
                    str(adoption.votes_against),
                    str(adoption.abstentions),
                ]
            ],
        )
    document.heading(_("The text"), 2)
    _text_blocks(document, page)
    _trail(document, page)
    return document


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


def review_pack(page) -> Document:
    """The council's pack: the text under review with each paragraph's provenance, the
    amendments that still lack an answer, every amendment with its answer, and the notes."""
    source = page.source
    charter = page.get_parent().specific
    document = Document(
        title=_("Review pack: %(title)s") % {"title": f"{charter.title} – {page.title}"},
        language=get_language() or "fr",
        author=charter.title,
        subtitle=_("For the council and the communication team – not for publication. %(date)s")
        % {"date": format_date(source.frozen_at)},
    )
    waiting = list(unanswered_amendments(source.get_parent()).select_related("paragraph", "author"))
    document.heading(_("Before the vote"), 2)
    if waiting:
        document.paragraph(
            _(
                "These amendments still await an answer; the adoption cannot be recorded "
                "until each has one:"
            )
        )
        document.items(f"{_amendment_label(a)} – {a.paragraph}" for a in waiting)
    else:
        document.paragraph(_("Every amendment has its answer."))
    notes: dict[int, list] = {}
    for note in ReviewNote.objects.filter(paragraph__iteration=source).select_related("author"):
        notes.setdefault(note.paragraph_id, []).append(note)
    document.heading(_("The text"), 2)
    _text_blocks(document, page, provenance=_provenance_since_first(page), notes=notes)
    _trail(document, page)
    return document
