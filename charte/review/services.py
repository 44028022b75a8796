"""The council's review of the final text: what it reads (each paragraph's provenance, the
amendments still unanswered) and its private notes.

Notes are read by the council and the communication team only; nothing public reads this
table (the search mapping, the exports and the API never touch it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from charte.amendments.models import Amendment
from charte.amendments.queries import unanswered_amendments
from charte.core.exceptions import Refused
from charte.core.formatting import typed_text
from charte.core.locales import default_locale
from charte.core.rules import can_review
from charte.history.comparison import compare, frozen_iterations, reading_texts, wording
from charte.review.adoption import Adoption, AdoptionResult
from charte.review.models import NOTE_MAX_LENGTH, ReviewNote
from charte.texts.pages import IterationState
from charte.texts.paragraphs import Paragraph


class NoteRefused(Refused):
    """A review note is not saved; ``message`` says why. The form is shown again (400)."""

    status = 400


def final_iteration(charter):
    """The text under review: the latest frozen iteration of the charter (source language)."""
    iterations = frozen_iterations(charter.get_translation_or_none(_default_locale()) or charter)
    return iterations[-1] if iterations else None


def _default_locale():
    return default_locale()


def note_add(*, paragraph: Paragraph, by, text: str) -> ReviewNote:
    if not can_review(by):
        raise NoteRefused(_("Only council members and the communication team write review notes."))
    if paragraph.iteration.state == IterationState.ADOPTED:
        raise NoteRefused(_("This text is adopted: the review is over."))
    text = typed_text(text)
    if not text:
        raise NoteRefused(_("Write your note before saving it."))
    if len(text) > NOTE_MAX_LENGTH:
        raise NoteRefused(
            _("A note has at most %(max)s characters; yours has %(count)s.")
            % {"max": NOTE_MAX_LENGTH, "count": len(text)}
        )
    return ReviewNote.objects.create(paragraph=paragraph, author=by, text=text)


@dataclass
class ReviewedParagraph:
    row: Paragraph
    text: str
    lang: str | None
    change: object = None  # the history.Change since the first version, if there is one
    amendments: list = field(default_factory=list)  # proposed on this wording
    notes: list = field(default_factory=list)
    comment_count: int = 0


def review(page) -> dict:
    """Everything the review space shows for the final iteration ``page`` (in the reading
    language): its paragraphs grouped by article, each with its provenance since the first
    version, the amendments proposed on it, its comments count and the council's notes."""
    from charte.discussions.services import comment_counts

    source = page.source
    iterations = frozen_iterations(source.get_parent())
    first = iterations[0]
    changes = {}
    if first.pk != source.pk:
        first_page = first.get_translation_or_none(page.locale) or first
        changes = {c.new.key: c for c in compare(first_page, page).changes if c.new is not None}
    rows = list(Paragraph.objects.filter(iteration=source).order_by("position"))
    counts = comment_counts([row.pk for row in rows])
    proposed: dict[int, list] = {}
    for amendment in (
        Amendment.objects.filter(paragraph__iteration=source)
        .select_related("author", "iteration", "workshop")
        .order_by("number")
    ):
        proposed.setdefault(amendment.paragraph_id, []).append(amendment)
    notes: dict[int, list] = {}
    for note in ReviewNote.objects.filter(paragraph__iteration=source).select_related("author"):
        notes.setdefault(note.paragraph_id, []).append(note)

    texts, lang = reading_texts(page)
    articles: list[dict] = []
    for row in rows:
        if not articles or articles[-1]["key"] != row.article_key:
            articles.append(
                {
                    "key": row.article_key,
                    "number": row.article_number,
                    "title": texts.get(row.article_key) or row.article_title,
                    "paragraphs": [],
                }
            )
        text, text_lang = wording(row, texts, lang)
        articles[-1]["paragraphs"].append(
            ReviewedParagraph(
                row=row,
                text=text,
                lang=text_lang,
                change=changes.get(row.key),
                amendments=proposed.get(row.pk, []),
                notes=notes.get(row.pk, []),
                comment_count=counts.get(row.pk, 0),
            )
        )
    waiting = list(
        unanswered_amendments(source.get_parent()).select_related(
            "paragraph", "iteration", "author", "workshop"
        )
    )
    statuses = dict(
        Amendment.objects.filter(charter_id=source.get_parent().pk)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "final": page,
        "first": first,
        "articles": articles,
        "waiting": waiting,
        "statuses": statuses,
        "note_count": sum(len(n) for n in notes.values()),
    }


def adoption_create(
    *,
    iteration,
    by,
    session_date,
    deliberation_reference: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
) -> Adoption:
    """Write the record of the council's vote on ``iteration``; the lifecycle of the texts
    (``charte.texts.services.iteration_adopt``) checks the rules and calls it."""
    return Adoption.objects.create(
        result=AdoptionResult.of(
            votes_for=votes_for, votes_against=votes_against, abstentions=abstentions
        ),
        iteration=iteration,
        session_date=session_date,
        deliberation_reference=deliberation_reference,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        recorded_by=by,
    )


def export_review_notes(user) -> list[dict]:
    """The council review notes ``user`` wrote, for « download my data » (their own only)."""
    return [
        {
            "paragraph": note.paragraph.get_url(),
            "text": note.text,
            "written_at": note.created_at.isoformat(),
        }
        for note in ReviewNote.objects.filter(author=user)
        .select_related("paragraph__iteration")
        .order_by("created_at")
    ]
