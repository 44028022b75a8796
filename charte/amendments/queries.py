"""Reads of amendments that the reading of a text shows beside its paragraphs.

texts sits below amendments and never imports it: ``CharteConfig.ready()`` hands these
functions to ``charte.texts.reading.READERS``.
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
        Amendment.objects.filter(integrated_into=source)
        .exclude(integrated_key="")
        .select_related("author", "iteration")
        .order_by("number")
    )
