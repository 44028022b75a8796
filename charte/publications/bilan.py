"""The yearly « bilan » of a charter: for one year, its published commitments (counts by status,
overall progress, each with the updates published that year), its indicators (the values
measured that year against their target), and the evaluation of the consultations that closed
that year with their questionnaire's results.

A past year shows each commitment as it stood on the 31st of December: the status and progress
its updates had set by then (planned and 0 % before its first one); the current year shows it
as it stands. Read in a fixed number of queries whatever the number of commitments, updates or
values, plus a fixed number per consultation closed that year (rarely more than one).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Min, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from charte.core.formatting import format_date
from charte.core.locales import default_locale
from charte.follow_up.evaluation import Bar, bars, evaluate
from charte.follow_up.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Indicator,
    IndicatorValue,
)
from charte.follow_up.questionnaire import results as questionnaire_results
from charte.texts.pages import CharterIterationPage, CharterPage


@dataclass
class CommitmentRow:
    commitment: Commitment
    status: str
    progress: int
    updates: list = field(default_factory=list)  # published that year, newest first
    url: str = ""

    @property
    def status_label(self) -> str:
        return CommitmentStatus(self.status).label


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list = field(default_factory=list)  # measured that year, in date order
    last: object = None  # the latest value measured by the end of the year
    bars: list = field(default_factory=list)  # the values of the year, for the chart

    @property
    def key(self) -> str:
        return f"indicator-{self.indicator.pk}"

    @property
    def percent_of_target(self) -> int | None:
        if self.last is None or not self.indicator.target:
            return None
        return round(100 * self.last.value / self.indicator.target)


@dataclass
class ConsultationRow:
    version: CharterIterationPage  # in the reader's language
    evaluation: object
    results: object

    @property
    def key(self) -> str:
        return f"consultation-{self.version.pk}"


@dataclass
class Bilan:
    year: int
    years: list
    commitments: list = field(default_factory=list)  # CommitmentRows
    by_status: list = field(default_factory=list)  # Bars
    progress: int | None = None  # the mean of the commitments' progress
    indicators: list = field(default_factory=list)  # IndicatorRows
    consultations: list = field(default_factory=list)  # ConsultationRows
    current: bool = True  # the year under way (commitments as they stand now)

    @property
    def previous(self) -> int | None:
        return self.year - 1 if self.year - 1 in self.years else None

    @property
    def next(self) -> int | None:
        return self.year + 1 if self.year + 1 in self.years else None


def plain(number) -> str:
    """A measured value as people write it: « 12 », « 12,5 » (no trailing zeros)."""
    from django.utils.formats import number_format

    if number == number.to_integral_value():
        return number_format(int(number))
    return number_format(number.normalize())


def source_of(charter: CharterPage) -> CharterPage:
    """The charter's page in the default language (what commitments and versions hang on)."""

    return (charter.get_translation_or_none(default_locale()) or charter).specific


def years_of(charter: CharterPage, today=None) -> list[int]:
    """The years a bilan can be read for: from the charter's first publication (or its first
    version's) to this year."""
    today = today or timezone.localdate()
    source = source_of(charter)
    starts = [
        moment
        for moment in (
            source.first_published_at,
            *CharterIterationPage.objects.child_of(source)
            .aggregate(Min("frozen_at"), Min("opens_at"), Min("first_published_at"))
            .values(),
        )
        if moment is not None
    ]
    first = min((timezone.localtime(moment).year for moment in starts), default=today.year)
    return list(range(min(first, today.year), today.year + 1))


def _as_of(commitment: Commitment, updates: list, year_end: datetime.date):
    """The status and progress of ``commitment`` on ``year_end`` (its updates, oldest first)."""
    if all(update.published_on <= year_end for update in updates):
        return commitment.status, commitment.progress
    status, progress = CommitmentStatus.PLANNED, 0
    for update in updates:
        if update.published_on > year_end:
            break
        if update.status:
            status = update.status
        if update.progress is not None:
            progress = update.progress
        if update.status == CommitmentStatus.DONE:
            progress = 100
    return status, progress


def bilan(charter: CharterPage, year: int, *, today=None) -> Bilan:
    """The bilan of ``charter`` (its page in the reader's language) for ``year``."""
    source = source_of(charter)
    year_end = datetime.date(year, 12, 31)
    start = datetime.date(year, 1, 1)
    commitments = list(
        Commitment.objects.of_charter(source)
        .published()
        .filter(created_at__date__lte=year_end)
        .select_related("service")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=CommitmentUpdate.objects.order_by("published_on", "pk"),
                to_attr="timeline",
            )
        )
        .order_by("article_number", "number")
    )
    rows = []
    for commitment in commitments:
        commitment.charter = charter  # its address, on the page read
        status, progress = _as_of(commitment, commitment.timeline, year_end)
        rows.append(
            CommitmentRow(
                commitment=commitment,
                status=status,
                progress=progress,
                updates=[
                    update
                    for update in reversed(commitment.timeline)
                    if start <= update.published_on <= year_end
                ],
                url=commitment.get_url(charter),
            )
        )
    statuses = Counter(row.status for row in rows)
    indicators = []
    for indicator in (
        Indicator.objects.filter(charter__translation_key=source.translation_key, is_published=True)
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(measured_on__lte=year_end).order_by(
                    "measured_on", "pk"
                ),
                to_attr="until",
            )
        )
        .order_by("pk")
    ):
        values = [value for value in indicator.until if value.measured_on >= start]
        top = max([value.value for value in values] + [indicator.target], default=0) or 1
        indicators.append(
            IndicatorRow(
                indicator=indicator,
                values=values,
                last=indicator.until[-1] if indicator.until else None,
                bars=[
                    Bar(
                        format_date(value.measured_on), plain(value.value), float(value.value / top)
                    )
                    for value in values
                ]
                + [Bar(_("Target"), plain(indicator.target), float(indicator.target / top))],
            )
        )
    consultations = []
    closed = (
        CharterIterationPage.objects.child_of(source)
        .filter(locale_id=source.locale_id, closed_at__date__gte=start)
        .filter(closed_at__date__lte=year_end)
        .order_by("closed_at")
    )
    for version in closed:
        shown = version.get_translation_or_none(charter.locale) or version
        consultations.append(
            ConsultationRow(
                version=shown.specific,
                evaluation=evaluate(version),
                results=questionnaire_results(version),
            )
        )
    return Bilan(
        year=year,
        years=years_of(charter, today),
        current=year == (today or timezone.localdate()).year,
        commitments=rows,
        by_status=bars(
            [(status.label, statuses[status]) for status in CommitmentStatus], whole=len(rows)
        ),
        progress=round(sum(row.progress for row in rows) / len(rows)) if rows else None,
        indicators=indicators,
        consultations=consultations,
    )
