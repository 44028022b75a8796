"""The open data of a charter's follow-up: its published commitments, and its published
indicators with their values, in the language of the page read.

Served by ``follow-up/data/json/`` (everything, the indicators' values nested in them),
``follow-up/data/csv/`` (the commitments, one per line) and ``follow-up/data/csv/?table=indicators``
(the indicators, one line per value). The CSV files open in a spreadsheet: UTF-8 with a byte
order mark, formulas neutralised. Their columns are described by
``charte/follow_up/open_data_columns.html``.
"""

from __future__ import annotations

import csv
import io

from django.db.models import Count, Max, Prefetch
from django.utils import translation

from charte.core.formatting import neutralise_formula
from charte.follow_up.models import Commitment, Indicator, IndicatorValue

COMMITMENT_FIELDS = [
    "number",
    "article",
    "title_fr",
    "title_en",
    "service",
    "starts_on",
    "due_on",
    "status",
    "status_label",
    "reason",
    "progress",
    "updates",
    "last_update",
    "address",
]
INDICATOR_FIELDS = [
    "indicator",
    "title_fr",
    "title_en",
    "unit",
    "commitment",
    "target",
    "target_on",
    "measured_on",
    "value",
    "note",
]
#: The tables of the CSV export (``?table=``), the first being the default.
TABLES = ("commitments", "indicators")


def _date(value) -> str:
    return value.isoformat() if value else ""


def _number(value) -> str:
    """A decimal as it is written in open data (« 12 », « 12.5 »): no trailing zeros."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def commitment_rows(page) -> list[dict]:
    """One row per published commitment of the charter ``page`` (in any language), its words
    in the language of ``page``."""
    language = page.locale.language_code
    commitments = (
        Commitment.objects.published()
        .of_charter(page)
        .select_related("service")
        .annotate(update_count=Count("updates"), last_update=Max("updates__published_on"))
        .order_by("number")
    )
    base = page.full_url or ""
    rows = []
    with translation.override(language):
        for commitment in commitments:
            rows.append(
                {
                    "number": commitment.number,
                    "article": commitment.article_number,
                    "title_fr": commitment.title,
                    "title_en": commitment.title_en,
                    "service": commitment.service.name if commitment.service else "",
                    "starts_on": _date(commitment.starts_on),
                    "due_on": _date(commitment.due_on),
                    "status": commitment.status,
                    "status_label": str(commitment.get_status_display()),
                    "reason": commitment.shown_reason,
                    "progress": commitment.progress,
                    "updates": commitment.update_count,
                    "last_update": _date(commitment.last_update),
                    "address": base + page.reverse_subpage("commitment", args=[commitment.number]),
                }
            )
    return rows


def indicators(page) -> list[dict]:
    """The published indicators of the charter ``page``, each with its values in date order
    (the commitment it measures by its number)."""
    language = page.locale.language_code
    found = (
        Indicator.objects.filter(charter__translation_key=page.translation_key, is_published=True)
        .select_related("commitment")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on", "pk"))
        )
        .order_by("pk")
    )
    result = []
    with translation.override(language):
        for number, indicator in enumerate(found, start=1):
            commitment = indicator.commitment
            shown = commitment if commitment and commitment.is_published else None
            result.append(
                {
                    "indicator": number,
                    "title_fr": indicator.title,
                    "title_en": indicator.title_en,
                    "unit": indicator.shown_unit,
                    "commitment": shown.number if shown else "",
                    "target": _number(indicator.target),
                    "target_on": _date(indicator.target_on),
                    "values": [
                        {
                            "measured_on": _date(value.measured_on),
                            "value": _number(value.value),
                            "note": value.note,
                        }
                        for value in indicator.values.all()
                    ],
                }
            )
    return result


def indicator_rows(page) -> list[dict]:
    """One row per value of each published indicator (an indicator without values: one row
    with empty value columns)."""
    rows = []
    for indicator in indicators(page):
        values = indicator.pop("values") or [{"measured_on": "", "value": "", "note": ""}]
        rows += [{**indicator, **value} for value in values]
    return rows


def as_json(page) -> dict:
    return {
        "charter": page.full_url,
        "language": page.locale.language_code,
        "commitments": commitment_rows(page),
        "indicators": indicators(page),
    }


def as_csv(rows, fields) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: neutralise_formula(row[name]) for name in fields})
    # With a byte order mark, spreadsheets open the accents right.
    return buffer.getvalue().encode("utf-8-sig")


def csv_table(page, table: str) -> bytes | None:
    """The CSV file of ``table`` (one of :data:`TABLES`), None for an unknown table."""
    if table == "commitments":
        return as_csv(commitment_rows(page), COMMITMENT_FIELDS)
    if table == "indicators":
        return as_csv(indicator_rows(page), INDICATOR_FIELDS)
    return None
