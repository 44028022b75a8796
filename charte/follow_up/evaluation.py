"""The evaluation of a consultation (« évaluation de la démarche »), computed for one version:
who took part and how many came for the first time, where in the text, how the team answered
the amendments and how fast, and what came online, from workshops and from paper registers.

Pure reads, in a fixed number of queries whatever the number of paragraphs, amendments or
comments. What each figure counts:

- *participants online*: distinct accounts who, on this version, commented a paragraph or an
  amendment (comments readers can see), proposed an amendment, took a position on one, or wrote
  an argument in one of the charter's debates during the consultation; what a facilitator
  entered from a workshop or a register is not theirs. Workshops and registers declare their
  own numbers, shown apart.
- *first-time participants*: those of them with no contribution anywhere on the site (comment,
  amendment, position, argument) before the consultation opened.
- *answers*: the amendments proposed, withdrawn ones apart; the *delay* of an answer is the
  time from the amendment to its published answer, in days; an amendment counts as *answered
  before adoption* when its answer was published by the day of the council's session (for a
  version not adopted: answered so far).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from charte.amendments.models import Amendment, AmendmentStatus, AmendmentSupport
from charte.core.origins import Origin
from charte.debates.models import Argument
from charte.discussions.models import Comment
from charte.texts.pages import CharterPage
from charte.texts.paragraphs import Paragraph
from charte.workshops.models import Workshop

ANSWERED = (
    AmendmentStatus.ACCEPTED,
    AmendmentStatus.PARTIALLY_ACCEPTED,
    AmendmentStatus.REJECTED,
)


@dataclass
class Bar:
    """One line of a chart and of its table (the shape the charts of the synthesis draw)."""

    label: str
    value: int
    share: float = 0.0  # of the largest value, for the chart
    percent: int | None = None  # of the whole, when the line is a share


@dataclass
class ArticleRow:
    number: int
    title: str
    comments: int = 0
    amendments: int = 0

    @property
    def label(self) -> str:
        return _("Article %(number)s") % {"number": self.number} + f" – {self.title}"

    @property
    def total(self) -> int:
        return self.comments + self.amendments


@dataclass
class Evaluation:
    participants: int = 0
    declared_participants: int = 0
    first_timers: int | None = None  # None: the version was never opened for consultation
    by_article: list = field(default_factory=list)  # ArticleRows
    answers: list = field(default_factory=list)  # Bars: accepted, partially, rejected, waiting
    proposed: int = 0  # amendments, withdrawn ones apart
    withdrawn: int = 0
    median_delay_days: float | None = None
    answered_in_time: int = 0
    adopted_on: object = None  # the council's session date, for an adopted version
    by_origin: list = field(default_factory=list)  # Bars: contributions online / workshop / …
    contributions: int = 0

    @property
    def first_timer_percent(self) -> int | None:
        if self.first_timers is None or not self.participants:
            return None
        return round(100 * self.first_timers / self.participants)

    @property
    def answered_in_time_percent(self) -> int | None:
        if not self.proposed:
            return None
        return round(100 * self.answered_in_time / self.proposed)

    @property
    def has_offline(self) -> bool:
        """Whether workshops or registers contributed (otherwise there is nothing to tell
        online participants apart from)."""
        return any(bar.value for bar in self.by_origin[1:]) or bool(self.declared_participants)

    @property
    def is_empty(self) -> bool:
        return not self.contributions and not self.participants


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def bars(items, whole: int | None = None) -> list[Bar]:
    items = list(items)
    top = max((value for _label, value in items), default=0) or 1
    return [
        Bar(
            str(label),
            value,
            value / top,
            percent(value, whole) if whole is not None else None,
        )
        for label, value in items
    ]


def _visible_comments(paragraph_ids, amendment_ids):
    paragraph_type = ContentType.objects.get_for_model(Paragraph)
    amendment_type = ContentType.objects.get_for_model(Amendment)
    return Comment.objects.filter(
        Q(content_type=paragraph_type, object_pk__in=[str(pk) for pk in paragraph_ids])
        | Q(content_type=amendment_type, object_pk__in=[str(pk) for pk in amendment_ids]),
        is_public=True,
        hidden_at__isnull=True,
        deleted_at__isnull=True,
    ).order_by()


def window(source):
    """When the consultation of ``source`` ran: (opened, ended), either may be None."""
    return source.opens_at, source.consultation_ends_at()


def debate_arguments(source):
    """The visible arguments written in the charter's debates (under its page in any language)
    while the consultation of ``source`` ran; none when it never opened."""
    opened, ended = window(source)
    if opened is None:
        return Argument.objects.none()
    charter = source.get_parent()
    paths = CharterPage.objects.filter(translation_key=charter.translation_key).values_list(
        "path", flat=True
    )
    under = Q()
    for path in paths:
        under |= Q(debate__path__startswith=path)
    arguments = Argument.objects.visible().filter(under, created_at__gte=opened)
    if ended is not None:
        arguments = arguments.filter(created_at__lte=ended)
    return arguments.order_by()


def participant_ids(source) -> set[int]:
    """The accounts that took part online in the consultation of ``source`` (see the module's
    docstring), in four queries."""
    paragraphs = Paragraph.objects.filter(iteration=source).values_list("pk", flat=True)
    amendments = list(
        Amendment.objects.filter(iteration=source).values_list("pk", "author_id", "workshop_id")
    )
    people = {author for _pk, author, workshop in amendments if not workshop}
    people.update(
        _visible_comments(list(paragraphs), [pk for pk, *_rest in amendments])
        .filter(workshop__isnull=True, user__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
    )
    people.update(
        AmendmentSupport.objects.filter(amendment__iteration=source)
        .values_list("user_id", flat=True)
        .distinct()
    )
    people.update(debate_arguments(source).values_list("author_id", flat=True).distinct())
    return people


def _earlier_contributors(ids: set[int], before) -> set[int]:
    """Those of ``ids`` who contributed anything on the site before ``before``."""
    if not ids:
        return set()
    ids = list(ids)
    found = set(
        Comment.objects.filter(user_id__in=ids, submit_date__lt=before, workshop__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    found.update(
        Amendment.objects.filter(author_id__in=ids, created_at__lt=before, workshop__isnull=True)
        .values_list("author_id", flat=True)
        .distinct()
    )
    found.update(
        AmendmentSupport.objects.filter(user_id__in=ids, created_at__lt=before)
        .values_list("user_id", flat=True)
        .distinct()
    )
    found.update(
        Argument.objects.filter(author_id__in=ids, created_at__lt=before)
        .values_list("author_id", flat=True)
        .distinct()
    )
    return found


def adoption_date(source):
    """The date of the council's session that adopted ``source``, if it was."""
    try:
        return source.adoption.session_date
    except ObjectDoesNotExist:
        return None


@dataclass
class Contributions:
    """What a consultation received, as the evaluation reads it (the synthesis, which read it
    already, hands it over rather than have it read twice)."""

    paragraphs: dict  # pk -> (article number, article title)
    amendments: list  # dicts: pk, author_id, workshop_id, workshop__kind, paragraph_id, …
    comments: list  # tuples: user_id, workshop_id, workshop kind, content_type_id, object_pk
    supporters: set  # accounts that took a position on an amendment
    declared: int | None = None  # what the workshops declared, when known


def read_contributions(source) -> Contributions:
    paragraphs = {
        pk: (number, title)
        for pk, number, title in Paragraph.objects.filter(iteration=source).values_list(
            "pk", "article_number", "article_title"
        )
    }
    amendments = list(
        Amendment.objects.filter(iteration=source).values(
            "pk",
            "author_id",
            "workshop_id",
            "workshop__kind",
            "paragraph_id",
            "status",
            "created_at",
            "answered_at",
        )
    )
    comments = list(
        _visible_comments(paragraphs, [a["pk"] for a in amendments]).values_list(
            "user_id", "workshop_id", "workshop__kind", "content_type_id", "object_pk"
        )
    )
    supporters = set(
        AmendmentSupport.objects.filter(amendment__iteration=source)
        .values_list("user_id", flat=True)
        .distinct()
    )
    return Contributions(paragraphs, amendments, comments, supporters)


def evaluate(source, contributions: Contributions | None = None) -> Evaluation:
    """The evaluation of the consultation of ``source`` (a version in the default language),
    from its ``contributions`` when the caller read them already."""
    read = contributions or read_contributions(source)
    paragraphs, amendments, comments = read.paragraphs, read.amendments, read.comments
    paragraph_type = ContentType.objects.get_for_model(Paragraph).pk

    # Who took part online.
    people = {a["author_id"] for a in amendments if not a["workshop_id"]}
    people.update(user for user, workshop, *_rest in comments if user and not workshop)
    people.update(read.supporters)
    people.update(debate_arguments(source).values_list("author_id", flat=True).distinct())
    declared = read.declared
    if declared is None:
        workshops = {a["workshop_id"] for a in amendments if a["workshop_id"]}
        workshops.update(workshop for _user, workshop, *_rest in comments if workshop)
        declared = (
            sum(
                n or 0
                for n in Workshop.objects.filter(pk__in=workshops)
                .order_by()
                .values_list("participants", flat=True)
            )
            if workshops
            else 0
        )

    opened, _ended = window(source)
    first_timers = None
    if opened is not None:
        first_timers = len(people - _earlier_contributors(people, opened))

    # Where in the text.
    articles: dict[int, ArticleRow] = {}
    for number, title in sorted(paragraphs.values()):
        articles.setdefault(number, ArticleRow(number, title))
    amendment_paragraph = {a["pk"]: a["paragraph_id"] for a in amendments}
    for _user, _workshop, _kind, content_type, object_pk in comments:
        pk = int(object_pk)
        paragraph = pk if content_type == paragraph_type else amendment_paragraph.get(pk)
        if paragraph in paragraphs:
            articles[paragraphs[paragraph][0]].comments += 1
    for amendment in amendments:
        if amendment["paragraph_id"] in paragraphs:
            articles[paragraphs[amendment["paragraph_id"]][0]].amendments += 1

    # How the team answered.
    kept = [a for a in amendments if a["status"] != AmendmentStatus.WITHDRAWN]
    statuses = Counter(a["status"] for a in kept)
    order = (*ANSWERED, AmendmentStatus.SUBMITTED)
    answers = bars(
        [(AmendmentStatus(status).label, statuses[status]) for status in order], whole=len(kept)
    )
    answered = [a for a in kept if a["status"] in ANSWERED and a["answered_at"]]
    delays = [
        (a["answered_at"] - a["created_at"]).total_seconds() / 86400
        for a in answered
        if a["answered_at"] >= a["created_at"]
    ]
    adopted_on = adoption_date(source)
    if adopted_on is not None:
        in_time = [a for a in answered if timezone.localdate(a["answered_at"]) <= adopted_on]
    else:
        in_time = answered

    # Online, from workshops, from registers.
    origins = Counter(
        kind if workshop else Origin.ONLINE for _user, workshop, kind, *_rest in comments
    )
    origins.update(a["workshop__kind"] if a["workshop_id"] else Origin.ONLINE for a in amendments)
    contributions = len(comments) + len(amendments)
    return Evaluation(
        participants=len(people),
        declared_participants=declared,
        first_timers=first_timers,
        by_article=list(articles.values()),
        answers=answers,
        proposed=len(kept),
        withdrawn=len(amendments) - len(kept),
        median_delay_days=round(statistics.median(delays), 1) if delays else None,
        answered_in_time=len(in_time),
        adopted_on=adopted_on,
        by_origin=bars([(origin.label, origins[origin]) for origin in Origin], whole=contributions),
        contributions=contributions,
    )
