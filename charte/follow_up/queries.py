"""What the public follow-up reads: a charter's published commitments with their progress, the
adopted text they carry out (in the reader's language), where each came from (the accepted
amendments and the workshops on its article's paragraphs, in any version: a paragraph keeps its
key from one version to the next), their updates and their indicators.

A commitment belongs to the charter in the source language; a translated charter page shows
the same commitments at its own addresses.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from wagtail.images import get_image_model

from charte.amendments.models import Amendment, AmendmentStatus
from charte.core.formatting import format_date
from charte.core.locales import default_locale
from charte.discussions.models import Comment
from charte.follow_up.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    CommitmentUpdateImage,
    Indicator,
)
from charte.follow_up.services import adopted_version
from charte.texts.pages import CharterIterationPage, attach_sources, versions_in_language
from charte.texts.paragraphs import Paragraph
from charte.texts.reading import reading_outline
from charte.workshops.models import Workshop
from charte.workshops.queries import VISIBLE_COMMENT


@dataclass
class Bar:
    """One value of an indicator, as the charts of the synthesis draw it."""

    label: str
    value: str
    share: float = 0.0  # of the largest value (or the target), for the chart


#: The widths of the photos of an update (their renditions are fetched with them).
PHOTO_FILTER = "max-800x600"


def source_charter(page):
    """The charter page in the source language (``page`` itself when it is)."""
    default = default_locale()
    if page.locale_id == default.pk:
        return page
    source = page.get_translation_or_none(default)
    return source.specific if source is not None else page


def in_language(iteration: CharterIterationPage, page) -> CharterIterationPage:
    """``iteration`` (a source page) read on the charter page ``page``: its live translation in
    ``page``'s language, else itself, marked ``in_source_language``."""
    if iteration.locale_id == page.locale_id:
        return iteration
    translated = iteration.get_translation_or_none(page.locale)
    if translated is not None and translated.live:
        return translated.specific
    iteration.in_source_language = default_locale().language_code
    return iteration


def published(page):
    """The published commitments of the charter ``page`` (in any language), each with its
    service, its number of updates and the date of the last one (one query)."""
    return (
        Commitment.objects.of_charter(page)
        .published()
        .select_related("service")
        .annotate(update_count=Count("updates"), last_update_on=Max("updates__published_on"))
        .order_by("article_number", "number")
    )


def commitment_of(page, number: int) -> Commitment | None:
    """The published commitment ``number`` of the charter ``page`` (in any language)."""
    return (
        Commitment.objects.of_charter(page)
        .published()
        .select_related("service", "iteration", "charter")
        .filter(number=number)
        .first()
    )


# -- The overview ---------------------------------------------------------------------------


@dataclass
class Overview:
    """The figures of a set of commitments."""

    total: int = 0
    done: int = 0
    progress: int = 0  # the mean, in percent
    by_status: list = field(default_factory=list)  # (value, label, count), every status
    late: int = 0


def overview(commitments, today=None) -> Overview:
    commitments = list(commitments)
    counts = Counter(commitment.status for commitment in commitments)
    total = len(commitments)
    return Overview(
        total=total,
        done=counts[CommitmentStatus.DONE],
        progress=round(sum(c.progress for c in commitments) / total) if total else 0,
        by_status=[(value, label, counts[value]) for value, label in CommitmentStatus.choices],
        late=sum(1 for c in commitments if c.is_late(today)),
    )


@dataclass
class ArticleGroup:
    number: int
    title: str
    lang: str | None
    anchor: str
    commitments: list = field(default_factory=list)
    amended: bool = False

    @property
    def progress(self) -> int:
        if not self.commitments:
            return 0
        return round(sum(c.progress for c in self.commitments) / len(self.commitments))


def articles_in_language(iteration_page) -> list:
    """The articles of a version as read on ``iteration_page``: (number, title, lang, key,
    paragraph keys)."""
    return [
        (
            article.number,
            article.title,
            article.lang,
            article.key,
            [p.key for p in article.paragraphs],
        )
        for section in reading_outline(iteration_page)
        for article in section.articles
    ]


def amended_articles(user, page, iteration) -> set[int]:
    """The articles of the adopted ``iteration`` on whose paragraphs ``user`` proposed an
    amendment, in any version of the charter ``page`` (one query). A paragraph is found by its
    key, the same from one version to the next; a paragraph deleted since, by its article's."""
    if not user.is_authenticated or iteration is None:
        return set()
    mine = Amendment.objects.filter(
        charter__translation_key=page.translation_key, author=user, workshop__isnull=True
    ).exclude(status=AmendmentStatus.WITHDRAWN)
    return set(
        Paragraph.objects.filter(iteration=iteration)
        .filter(
            Q(key__in=mine.values("paragraph__key"))
            | Q(article_key__in=mine.values("paragraph__article_key"))
        )
        .values_list("article_number", flat=True)
        .distinct()
    )


def commitment_counts(iteration) -> dict[int, int]:
    """The number of published commitments under each article of the adopted ``iteration`` (a
    version page in any language; one query)."""
    source = iteration.source
    return dict(
        Commitment.objects.filter(iteration=source, is_published=True)
        .values_list("article_number")
        .annotate(n=Count("pk"))
        .values_list("article_number", "n")
    )


# -- Where a commitment came from -----------------------------------------------------------


def origins(commitment: Commitment, page, paragraph_keys, article_key, request=None) -> dict:
    """The accepted (or partly accepted) amendments on the paragraphs of ``commitment``'s
    article, in any version, each with its address read on ``page``; and the workshops and
    registers whose comments or amendments were on those paragraphs."""
    from charte.workshops.queries import workshop_url

    if not paragraph_keys and not article_key:  # its article is not in the text read
        return {"amendments": [], "workshops": []}
    source = commitment.charter
    on_article = Q(paragraph__key__in=paragraph_keys) | Q(paragraph__article_key=article_key)
    amendments = list(
        Amendment.objects.filter(charter__translation_key=source.translation_key)
        .filter(on_article)
        .filter(status__in=(AmendmentStatus.ACCEPTED, AmendmentStatus.PARTIALLY_ACCEPTED))
        .select_related("paragraph", "author", "workshop")
        .order_by("number")
    )
    iterations = versions_in_language(page)
    attach_sources(iterations)
    by_source = {iteration.source.pk: iteration for iteration in iterations}
    for amendment in amendments:
        iteration = by_source.get(amendment.iteration_id)
        amendment.shown_url = amendment.get_url(iteration) if iteration is not None else ""
        amendment.shown_iteration = iteration
    versions = CharterIterationPage.objects.child_of(source).values("pk")
    paragraph_ids = [
        str(pk)
        for pk in Paragraph.objects.filter(iteration__in=versions)
        .filter(Q(key__in=paragraph_keys) | Q(article_key=article_key))
        .values_list("pk", flat=True)
    ]
    from_comments = Comment.objects.filter(
        VISIBLE_COMMENT,
        content_type=ContentType.objects.get_for_model(Paragraph),
        object_pk__in=paragraph_ids,
        workshop__isnull=False,
    ).values("workshop_id")
    from_amendments = (
        Amendment.objects.filter(charter__translation_key=source.translation_key)
        .filter(on_article, workshop__isnull=False)
        .exclude(status=AmendmentStatus.WITHDRAWN)
        .values("workshop_id")
    )
    workshops = list(
        Workshop.objects.filter(Q(pk__in=from_comments) | Q(pk__in=from_amendments)).order_by(
            "starts_at", "pk"
        )
    )
    for workshop in workshops:
        workshop.public_url = workshop_url(workshop, request, shown_on=page)
    return {"amendments": amendments, "workshops": workshops}


# -- Updates and indicators -----------------------------------------------------------------


def updates_of(commitment: Commitment) -> list[CommitmentUpdate]:
    """The updates of ``commitment``, latest first, with their photos (and the photos'
    renditions) and documents: five queries, whatever their number."""
    images = CommitmentUpdateImage.objects.select_related("image").order_by("sort_order")
    try:
        renditions = get_image_model().objects.prefetch_renditions(PHOTO_FILTER)
        images = images.prefetch_related(Prefetch("image", queryset=renditions))
    except AttributeError:  # pragma: no cover - older Wagtail
        pass
    return list(
        commitment.updates.order_by("-published_on", "-pk").prefetch_related(
            Prefetch("images", queryset=images),
            "documents__document",
        )
    )


def _number(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def indicators(indicator_queryset) -> list[Indicator]:
    """Published indicators, each with ``bars`` (its values over time, for the chart and its
    table) and its target written out (two queries)."""
    rows = list(indicator_queryset.filter(is_published=True).prefetch_related("values"))
    for indicator in rows:
        values = sorted(indicator.values.all(), key=lambda value: value.measured_on)
        top = max([abs(v.value) for v in values] + [abs(indicator.target)], default=0) or 1
        indicator.bars = [
            Bar(format_date(value.measured_on), _number(value.value), float(abs(value.value) / top))
            for value in values
        ]
        indicator.chart_id = f"indicator-chart-{indicator.pk}"
        indicator.target_shown = _number(indicator.target)
        indicator.latest = values[-1] if values else None
        indicator.latest_shown = _number(values[-1].value) if values else ""
    return rows


def charter_indicators(page) -> list[Indicator]:
    return indicators(
        Indicator.objects.filter(charter__translation_key=page.translation_key).order_by("pk")
    )


def commitment_indicators(commitment) -> list[Indicator]:
    return indicators(Indicator.objects.filter(commitment=commitment).order_by("pk"))


def adopted_of(page):
    """The adopted version of the charter ``page`` (in any language), its source page."""
    return adopted_version(source_charter(page))


# -- The follow-up page -----------------------------------------------------------------------


@dataclass
class Index:
    """What the follow-up page of a charter shows, for a reader and their filters."""

    reading: object
    commitments: list
    shown: list
    groups: list
    amended: set
    status: str
    service: str
    services: list
    status_counts: dict
    service_counts: dict
    today: object


def follow_up_index(page, *, user, status: str = "", service: str = "") -> Index | None:
    """The published commitments of the charter ``page`` grouped by article of its adopted
    version (as read on ``page``), filtered by ``status`` and ``service`` (ignored when not
    theirs), with the counts each filter offers and the articles ``user`` amended; None when
    the charter has neither an adopted version nor a commitment."""
    adopted = adopted_of(page)
    commitments = list(published(page))
    if adopted is None and not commitments:
        return None
    iteration = adopted or commitments[0].iteration
    reading = in_language(iteration, page)
    today = timezone.localdate()

    services = sorted(
        {c.service_id: c.service for c in commitments if c.service_id}.values(),
        key=lambda service: service.name,
    )
    status = status if status in CommitmentStatus.values else ""
    service = service if service in {str(s.pk) for s in services} else ""

    def by_status(c):
        return not status or c.status == status

    def by_service(c):
        return not service or str(c.service_id) == service

    status_counts = {
        value: sum(1 for c in commitments if c.status == value and by_service(c))
        for value in CommitmentStatus.values
    }
    service_counts = {
        s.pk: sum(1 for c in commitments if c.service_id == s.pk and by_status(c)) for s in services
    }
    shown = [c for c in commitments if by_status(c) and by_service(c)]

    amended = amended_articles(user, page, iteration)
    by_number = {}
    for number, title, lang, _key, _paragraphs in articles_in_language(reading):
        group = ArticleGroup(
            number=number,
            title=title,
            lang=lang or reading.in_source_language or None,
            anchor=f"article-{number}",
            amended=number in amended,
        )
        by_number[number] = group
    for commitment in shown:
        group = by_number.get(commitment.article_number)
        if group is None:  # not in the adopted text any more (a later adoption)
            group = by_number[commitment.article_number] = ArticleGroup(
                number=commitment.article_number,
                title="",
                lang=None,
                anchor=f"article-{commitment.article_number}",
                amended=commitment.article_number in amended,
            )
        commitment.url = commitment.get_url(page)
        commitment.late = commitment.is_late(today)
        commitment.progress_id = f"c{commitment.number}"
        commitment.amended = group.amended
        group.commitments.append(commitment)
    groups = sorted((g for g in by_number.values() if g.commitments), key=lambda g: g.number)
    return Index(
        reading=reading,
        commitments=commitments,
        shown=shown,
        groups=groups,
        amended=amended,
        status=status,
        service=service,
        services=services,
        status_counts=status_counts,
        service_counts=service_counts,
        today=today,
    )
