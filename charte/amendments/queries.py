"""Reads of amendments: those the texts package needs (beside the paragraphs of a reading, and
before the adoption, the amendments still awaiting an answer), and those of the team's inbox
(where each answer stands, the amendments of one paragraph, near-duplicates).

texts sits below amendments and never imports it: ``CharteConfig.ready()`` hands these
functions to ``charte.texts.reading.READERS`` and ``charte.texts.services.LIFECYCLE``.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Count

from charte.amendments.models import (
    ANSWERS,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AnswerState,
)
from charte.amendments.services import with_tallies


def status_label(status: str) -> str:
    """The label of an amendment status, in the active language (the margin's badges)."""
    return str(AmendmentStatus(status).label)


def margin_counts(source) -> dict[int, dict]:
    """Per paragraph id: the number of amendments, how many of each status, and how many came
    from each offline origin (``origins``: ``{"workshop": n, "register": n}``), in one query."""
    rows = (
        Amendment.objects.filter(iteration=source)
        .exclude(status=AmendmentStatus.WITHDRAWN)
        .order_by()
        .values("paragraph_id", "status", "workshop__kind")
        .annotate(n=Count("pk"))
    )
    result: dict[int, dict] = {}
    for row in rows:
        entry = result.setdefault(row["paragraph_id"], {"total": 0, "statuses": {}, "origins": {}})
        entry["total"] += row["n"]
        entry["statuses"][row["status"]] = entry["statuses"].get(row["status"], 0) + row["n"]
        if row["workshop__kind"]:
            origins = entry["origins"]
            origins[row["workshop__kind"]] = origins.get(row["workshop__kind"], 0) + row["n"]
    return result


def paragraph_amendments(row) -> list:
    """The amendments of one paragraph, with their supports counted, in their order."""
    return list(
        with_tallies(Amendment.objects.filter(paragraph=row))
        .select_related("author", "paragraph", "workshop")
        .order_by("number")
    )


def integrated_amendments(source) -> list:
    """The amendments of the previous version that ``source`` integrates (one query)."""
    return list(
        Amendment.objects.filter(integrated_into=source, integration_removed=False)
        .exclude(integrated_key="")
        .select_related("author", "iteration", "workshop")
        .order_by("number")
    )


def unanswered_amendments(charter):
    """The amendments of a charter, in any of its iterations, that still await the team's
    answer: they block the adoption (DESIGN §3.7)."""
    return Amendment.objects.filter(
        charter_id=charter.pk, status=AmendmentStatus.SUBMITTED
    ).order_by("number")


# -- The team's answers: where each amendment stands -----------------------------------------
#
# « Awaiting an answer » is an amendment nobody answered yet, not even as a draft; a « draft
# awaiting validation » has a draft answer nobody allowed to validate has published yet. Both
# still lack an answer for the adoption (``unanswered_amendments``): only a published answer
# counts.


def awaiting_answer(queryset=None):
    """Amendments with neither a published nor a draft answer (withdrawn ones excluded)."""
    queryset = Amendment.objects.all() if queryset is None else queryset
    return queryset.filter(status=AmendmentStatus.SUBMITTED, draft_status="")


def drafts_awaiting_validation(queryset=None):
    """Amendments whose draft answer awaits someone allowed to validate it."""
    queryset = Amendment.objects.all() if queryset is None else queryset
    return queryset.filter(status=AmendmentStatus.SUBMITTED).exclude(draft_status="")


def with_published_answer(queryset=None):
    queryset = Amendment.objects.all() if queryset is None else queryset
    return queryset.filter(status__in=ANSWERS)


def in_answer_state(queryset, state: str):
    """Filter ``queryset`` by :class:`AnswerState` (``none``, ``draft``, ``published``)."""
    if state == AnswerState.NONE:
        return awaiting_answer(queryset)
    if state == AnswerState.DRAFT:
        return drafts_awaiting_validation(queryset)
    if state == AnswerState.PUBLISHED:
        return with_published_answer(queryset)
    return queryset


# -- Near-duplicates ----------------------------------------------------------------------------

SIMILARITY = 0.6
_WORD = re.compile(r"\w+")


def _words(amendment) -> frozenset[str]:
    text = unicodedata.normalize("NFKD", amendment.text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return frozenset(word for word in _WORD.findall(text) if len(word) > 2)


def similarity(first, second) -> float:
    """How alike two amendments of one paragraph are, from 0 to 1: two deletions are alike;
    otherwise the Jaccard index of their words (accents, case and short words left out)."""
    if first.kind != second.kind:
        return 0.0
    if first.kind == AmendmentKind.DELETE:
        return 1.0
    a, b = _words(first), _words(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def paragraph_groups(amendments) -> dict[int, dict]:
    """For each of ``amendments`` (a page of the inbox), by pk: ``count``, how many amendments
    its paragraph has (withdrawn ones left out), and ``similar``, those of them whose wording is
    near its own (« semblables »), in number order. One query, whatever the page's size."""
    amendments = list(amendments)
    paragraph_ids = {a.paragraph_id for a in amendments}
    siblings: dict[int, list] = {}
    for other in (
        Amendment.objects.filter(paragraph_id__in=paragraph_ids)
        .exclude(status=AmendmentStatus.WITHDRAWN)
        .only("pk", "number", "kind", "text", "paragraph_id", "status")
        .order_by("number")
    ):
        siblings.setdefault(other.paragraph_id, []).append(other)
    result = {}
    for amendment in amendments:
        group = siblings.get(amendment.paragraph_id, [])
        result[amendment.pk] = {
            "count": len(group),
            "similar": [
                other
                for other in group
                if other.pk != amendment.pk and similarity(amendment, other) >= SIMILARITY
            ],
        }
    return result
