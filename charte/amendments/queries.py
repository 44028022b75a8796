"""Reads of amendments that the texts package needs: beside the paragraphs of a reading, and
before the adoption (the amendments still awaiting an answer).

texts sits below amendments and never imports it: ``CharteConfig.ready()`` hands these
functions to ``charte.texts.reading.READERS`` and ``charte.texts.services.LIFECYCLE``.
"""

from __future__ import annotations

from django.db.models import Count

from charte.amendments.models import Amendment, AmendmentStatus
from charte.amendments.services import with_tallies


def margin_counts(source) -> dict[int, dict]:
    """Per paragraph id: the number of amendments and how many of each status (one query)."""
    rows = (
        Amendment.objects.filter(iteration=source)
        .exclude(status=AmendmentStatus.WITHDRAWN)
        .order_by()
        .values("paragraph_id", "status")
        .annotate(n=Count("pk"))
    )
    result: dict[int, dict] = {}
    for row in rows:
        entry = result.setdefault(row["paragraph_id"], {"total": 0, "statuses": {}})
        entry["total"] += row["n"]
        entry["statuses"][row["status"]] = row["n"]
    return result


def paragraph_amendments(row) -> list:
    """The amendments of one paragraph, with their supports counted, in their order."""
    return list(
        with_tallies(Amendment.objects.filter(paragraph=row))
        .select_related("author", "paragraph")
        .order_by("number")
    )


def integrated_amendments(source) -> list:
    """The amendments of the previous version that ``source`` integrates (one query)."""
    return list(
        Amendment.objects.filter(integrated_into=source, integration_removed=False)
        .exclude(integrated_key="")
        .select_related("author", "iteration")
        .order_by("number")
    )


def unanswered_amendments(charter):
    """The amendments of a charter, in any of its iterations, that still await the team's
    answer: they block the adoption (DESIGN §3.7)."""
    return Amendment.objects.filter(
        charter_id=charter.pk, status=AmendmentStatus.SUBMITTED
    ).order_by("number")
