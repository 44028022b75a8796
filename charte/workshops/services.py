"""Entering what a workshop or a paper register said: the only way an offline contribution is
written.

A facilitator (see :func:`charte.core.rules.can_enter_for`) enters comments and amendment
proposals against paragraphs of a version in consultation of the workshop's charter. They go
through the same services as online ones (window, switches, moderation, numbering, answers),
signed by the workshop and carrying its origin; the facilitator is recorded as the writer (their
« download my data » lists them), never shown.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from charte.amendments.models import Amendment
from charte.amendments.services import amendment_propose
from charte.core.rules import can_enter_for, can_facilitate, can_manage_workshops
from charte.discussions.models import Comment
from charte.discussions.services import CommentRefused, comment_post
from charte.texts.paragraphs import Paragraph
from charte.workshops.models import Workshop


class EntryRefused(CommentRefused):
    """The entry is refused; ``message`` says why, in the facilitator's language."""


def workshops_for(user):
    """The workshops and registers ``user`` may enter contributions for, latest first."""
    if not can_facilitate(user):
        return Workshop.objects.none()
    workshops = Workshop.objects.select_related("charter")
    if can_manage_workshops(user):
        return workshops
    return workshops.filter(facilitators=user)


def _check(*, workshop: Workshop, paragraph: Paragraph, by) -> None:
    if not can_enter_for(by, workshop):
        raise EntryRefused(
            _("You are not a facilitator of this workshop: ask the team to name you on it."), 403
        )
    if paragraph.iteration.get_parent().pk != workshop.charter_id:
        raise EntryRefused(_("This paragraph is not in this workshop’s charter."), 400)


def workshop_comment_enter(
    *,
    workshop: Workshop,
    paragraph: Paragraph,
    text: str,
    by,
    language: str | None = None,
    now: datetime.datetime | None = None,
) -> Comment:
    """Enter a comment the workshop made on ``paragraph``, or raise a refusal
    (:class:`EntryRefused`, or the comment's own refusals: window closed, empty…)."""
    _check(workshop=workshop, paragraph=paragraph, by=by)
    return comment_post(
        paragraph=paragraph, by=by, text=text, language=language, now=now, workshop=workshop
    )


def workshop_amendment_enter(
    *,
    workshop: Workshop,
    paragraph: Paragraph,
    kind: str,
    text: str = "",
    rationale: str,
    by,
    language: str = "fr",
    now: datetime.datetime | None = None,
) -> Amendment:
    """Enter an amendment the workshop proposed on ``paragraph`` with its rationale, or raise a
    refusal (:class:`EntryRefused`, or the amendment's own: :class:`AmendmentRefused`)."""
    _check(workshop=workshop, paragraph=paragraph, by=by)
    return amendment_propose(
        paragraph=paragraph,
        by=by,
        kind=kind,
        text=text,
        rationale=rationale,
        language=language,
        now=now,
        workshop=workshop,
    )


def contribution_counts(workshops) -> dict[int, dict[str, int]]:
    """Per workshop: its visible comments and its amendments (two queries for any number)."""
    ids = [w.pk for w in workshops]
    counts = {pk: {"comments": 0, "amendments": 0} for pk in ids}
    visible = Q(is_public=True, is_removed=False, hidden_at__isnull=True, deleted_at__isnull=True)
    rows = (
        Comment.objects.filter(visible, workshop__in=ids)
        .order_by()
        .values("workshop")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["workshop"]]["comments"] = row["n"]
    rows = Amendment.objects.filter(workshop__in=ids).order_by().values("workshop")
    for row in rows.annotate(n=Count("pk")):
        counts[row["workshop"]]["amendments"] = row["n"]
    return counts
