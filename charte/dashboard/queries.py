"""The figures of the team's dashboard on the admin's home: how each open consultation and
debate is going, what awaits an answer or a moderator, and whether the worker keeps up.

Every figure is counted by the database (grouped by day, by task, by kind), never by loading
the rows: the dashboard costs the same few queries at 20,000 comments as at 20. Each open
consultation or debate adds a fixed number of queries (there are a handful at a time).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone
from django_comments.models import Comment as BaseComment

from charte.accounts.services import awaiting_confirmation
from charte.amendments.models import Amendment, AmendmentSupport
from charte.amendments.queries import awaiting_answer, drafts_awaiting_validation
from charte.debates.models import (
    Argument,
    ArgumentReport,
    ArgumentSupport,
    DebatePage,
    DebatePosition,
)
from charte.discussions.models import Comment, CommentReport
from charte.follow_up.models import Commitment, CommitmentStatus, CommitmentUpdate
from charte.publications.synthesis import Bar
from charte.texts.pages import CharterIterationPage
from charte.texts.paragraphs import Paragraph

# The chart of a consultation shows its last days, the quiet ones included.
CHART_DAYS = 14
# What closes within this many days is listed under « closing soon ».
CLOSING_SOON_DAYS = 7
# The oldest amendments awaiting an answer listed by name (the rest are counted).
OLDEST_LISTED = 10

EMAIL_TASK = "charte.core.mail.deliver_email"
SEARCH_TASKS = "search."


@dataclass
class Activity:
    """An open consultation (a version of a charter) or an open debate."""

    page: object
    ends_at: datetime.datetime | None
    participants: int
    contributions: int
    by_day: list[Bar] = field(default_factory=list)
    people_by_day: list[Bar] = field(default_factory=list)
    kind: str = "consultation"

    @property
    def anchor(self) -> str:
        return f"dashboard-{self.kind}-{self.page.pk}"

    @property
    def chart_id(self) -> str:
        return f"{self.anchor}-chart"

    @property
    def people_chart_id(self) -> str:
        return f"{self.anchor}-people"


@dataclass
class Waiting:
    """Amendments awaiting an answer: how many, the oldest ones with their age, and how many
    draft answers await someone allowed to validate them."""

    count: int
    oldest: list
    drafts: int = 0


@dataclass
class Moderation:
    reported_comments: int
    reported_arguments: int
    pending_comments: int
    pending_arguments: int

    @property
    def reports(self) -> int:
        return self.reported_comments + self.reported_arguments

    @property
    def pending(self) -> int:
        return self.pending_comments + self.pending_arguments


@dataclass
class Queue:
    """Tasks of the durable queue of one kind (e-mail, search, other)."""

    kind: str
    queued: int = 0
    failed: int = 0


def _local_day(name: str):
    return TruncDate(name, tzinfo=timezone.get_current_timezone())


def _as_text(queryset):
    """The primary keys of ``queryset`` as text, as comments store their target's."""
    return queryset.annotate(pk_text=Cast("pk", output_field=CharField())).values("pk_text")


def _chart_start(now) -> tuple[datetime.date, datetime.datetime]:
    """Today, and the first instant of the chart's first day (local time)."""
    today = timezone.localdate(now)
    first = today - datetime.timedelta(days=CHART_DAYS - 1)
    return today, timezone.make_aware(datetime.datetime.combine(first, datetime.time()))


def _chart(days: dict, today: datetime.date) -> list[Bar]:
    from charte.core.formatting import format_date

    span = [today - datetime.timedelta(days=n) for n in range(CHART_DAYS - 1, -1, -1)]
    top = max((days.get(day, 0) for day in span), default=0) or 1
    return [Bar(format_date(day), days.get(day, 0), days.get(day, 0) / top) for day in span]


def _figures(sources, since: datetime.datetime) -> tuple[int, int, dict, dict]:
    """Contributions and distinct participants of ``sources``, in all and on each local day
    since ``since``: two queries, counted by the database over the union of the sources.

    Each source is ``(queryset, date field, person field, counted)``: its rows are
    contributions when ``counted`` (comments, amendments, arguments), or only make their
    person a participant (supports, positions). A comment of a deleted account counts, its
    author does not (COUNT DISTINCT leaves NULL out)."""
    from django.db import connection
    from django.db.models import F, IntegerField, Value

    def union(with_day: bool):
        selects = []
        for queryset, date, person, counted in sources:
            rows = queryset.order_by().annotate(
                person=F(person), counted=Value(1 if counted else 0, IntegerField())
            )
            if with_day:
                rows = rows.filter(**{f"{date}__gte": since}).annotate(day=_local_day(date))
                selects.append(rows.values_list("day", "person", "counted"))
            else:
                selects.append(rows.values_list("person", "counted"))
        return selects[0].union(*selects[1:], all=True).query.sql_with_params()

    with connection.cursor() as cursor:
        sql, params = union(with_day=False)
        cursor.execute(
            f"SELECT SUM(counted), COUNT(DISTINCT person) FROM ({sql}) AS activity", params
        )
        contributions, participants = cursor.fetchone()
        sql, params = union(with_day=True)
        cursor.execute(
            f"SELECT day, SUM(counted), COUNT(DISTINCT person) FROM ({sql}) AS activity "
            "GROUP BY day",
            params,
        )
        by_day, people_by_day = {}, {}
        for day, counted, people in cursor.fetchall():
            by_day[_as_date(day)] = counted
            people_by_day[_as_date(day)] = people
    return contributions or 0, participants or 0, by_day, people_by_day


def _as_date(value) -> datetime.date:
    """A day as the database gives it back (SQLite: text)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _visible(queryset):
    return queryset.filter(is_public=True, hidden_at__isnull=True, deleted_at__isnull=True)


def open_consultations(now=None) -> list[Activity]:
    """The versions in consultation now, soonest closing first, with their participation:
    visible comments on their paragraphs and amendments, amendments, and who took part
    (commenters, authors of amendments, people who took a position on one). Two queries
    each."""
    now = now or timezone.now()
    today, since = _chart_start(now)
    paragraph_type = ContentType.objects.get_for_model(Paragraph)
    amendment_type = ContentType.objects.get_for_model(Amendment)
    activities = []
    for iteration in (
        CharterIterationPage.objects.consulting(now)
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .defer("body")
        .order_by("closes_at", "pk")
    ):
        amendments = Amendment.objects.filter(iteration=iteration)
        comments = _visible(
            Comment.objects.filter(
                Q(
                    content_type=paragraph_type,
                    object_pk__in=_as_text(Paragraph.objects.filter(iteration=iteration)),
                )
                | Q(content_type=amendment_type, object_pk__in=_as_text(amendments))
            )
        )
        contributions, participants, by_day, people = _figures(
            (
                (comments, "submit_date", "user_id", True),
                (amendments, "created_at", "author_id", True),
                (
                    AmendmentSupport.objects.filter(amendment__iteration=iteration),
                    "created_at",
                    "user_id",
                    False,
                ),
            ),
            since,
        )
        activities.append(
            Activity(
                page=iteration,
                ends_at=iteration.consultation_ends_at(),
                participants=participants,
                contributions=contributions,
                by_day=_chart(by_day, today),
                people_by_day=_chart(people, today),
            )
        )
    return activities


def open_debates(now=None) -> list[Activity]:
    """The debates open now, soonest closing first: visible arguments and the comments on
    them; who took part (arguments, comments, supports, positions). Two queries each."""
    now = now or timezone.now()
    today, since = _chart_start(now)
    argument_type = ContentType.objects.get_for_model(Argument)
    activities = []
    for debate in (
        DebatePage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    ):
        arguments = Argument.objects.filter(debate=debate)
        comments = _visible(
            Comment.objects.filter(content_type=argument_type, object_pk__in=_as_text(arguments))
        )
        contributions, participants, by_day, people = _figures(
            (
                (comments, "submit_date", "user_id", True),
                (_visible(arguments), "created_at", "author_id", True),
                (
                    ArgumentSupport.objects.filter(argument__debate=debate),
                    "created_at",
                    "user_id",
                    False,
                ),
                (DebatePosition.objects.filter(debate=debate), "updated_at", "user_id", False),
            ),
            since,
        )
        activities.append(
            Activity(
                page=debate,
                ends_at=debate.closes_at,
                participants=participants,
                contributions=contributions,
                by_day=_chart(by_day, today),
                people_by_day=_chart(people, today),
                kind="debate",
            )
        )
    return activities


def closing_soon(activities: list[Activity], now=None) -> list[Activity]:
    """Of ``activities``, those that close within :data:`CLOSING_SOON_DAYS`, soonest first."""
    now = now or timezone.now()
    limit = now + datetime.timedelta(days=CLOSING_SOON_DAYS)
    return sorted(
        (a for a in activities if a.ends_at is not None and a.ends_at <= limit),
        key=lambda a: a.ends_at,
    )


def amendments_awaiting(now=None) -> Waiting:
    """Amendments awaiting an answer (submitted, neither answered nor drafted), oldest first,
    each with ``waiting_days``, its age in days, and the number of drafts awaiting validation.
    Three queries at most."""
    today = timezone.localdate(now or timezone.now())
    waiting = awaiting_answer()
    oldest = list(
        waiting.select_related("paragraph", "iteration")
        .defer("iteration__body")
        .order_by("created_at", "pk")[:OLDEST_LISTED]
    )
    for amendment in oldest:
        amendment.waiting_days = (today - timezone.localdate(amendment.created_at)).days
    count = len(oldest) if len(oldest) < OLDEST_LISTED else waiting.count()
    return Waiting(count=count, oldest=oldest, drafts=drafts_awaiting_validation().count())


UNENTERED_DAYS = 60


@dataclass
class Workshops:
    """For those who enter what workshops said: those coming within
    :data:`CLOSING_SOON_DAYS`, and those held with nothing entered yet."""

    upcoming: list
    unentered: list


def workshops_to_follow(workshops, now=None) -> Workshops:
    """Of ``workshops`` (those the person may enter for), the coming ones and those held in
    the last :data:`UNENTERED_DAYS` days with nothing entered yet. Two queries."""
    now = now or timezone.now()
    limit = now + datetime.timedelta(days=CLOSING_SOON_DAYS)
    upcoming = list(
        workshops.filter(starts_at__gte=now, starts_at__lte=limit).order_by("starts_at")
    )
    unentered = list(
        workshops.filter(
            starts_at__lt=now, starts_at__gte=now - datetime.timedelta(days=UNENTERED_DAYS)
        )
        .exclude(Exists(Comment.objects.filter(workshop=OuterRef("pk"))))
        .exclude(Exists(Amendment.objects.filter(workshop=OuterRef("pk"))))
        .order_by("-starts_at")[:OLDEST_LISTED]
    )
    return Workshops(upcoming=upcoming, unentered=unentered)


SILENT_DAYS = 180


@dataclass
class Commitments:
    """For the team: published commitments past their due date, and those still to do that
    have had no update for :data:`SILENT_DAYS` days (residents follow them)."""

    late: list
    silent: list


def commitments_to_follow(now=None) -> Commitments:
    """Two queries, whatever the number of commitments."""
    today = timezone.localdate(now or timezone.now())
    unfinished = Commitment.objects.published().filter(
        status__in=(CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS)
    )
    late = list(
        unfinished.filter(due_on__lt=today)
        .select_related("charter")
        .order_by("due_on", "pk")[:OLDEST_LISTED]
    )
    recent = CommitmentUpdate.objects.filter(
        commitment=OuterRef("pk"),
        published_on__gte=today - datetime.timedelta(days=SILENT_DAYS),
    )
    silent = list(
        unfinished.filter(created_at__date__lt=today - datetime.timedelta(days=SILENT_DAYS))
        .exclude(Exists(recent))
        .exclude(due_on__lt=today)
        .select_related("charter")
        .order_by("created_at", "pk")[:OLDEST_LISTED]
    )
    return Commitments(late=late, silent=silent)


def declarations_awaiting() -> int:
    """Author types that speak for an institution, declared and awaiting the team's decision.
    One query."""
    return awaiting_confirmation().count()


def moderation_awaiting() -> Moderation:
    """Reported contributions awaiting a moderator's decision, and those held for
    pre-moderation (not yet published). Four queries."""
    return Moderation(
        reported_comments=CommentReport.objects.filter(
            resolved_at__isnull=True, comment__deleted_at__isnull=True
        )
        .values("comment")
        .distinct()
        .count(),
        reported_arguments=ArgumentReport.objects.filter(
            resolved_at__isnull=True, argument__deleted_at__isnull=True
        )
        .values("argument")
        .distinct()
        .count(),
        # The unpublished ones found in the base table first: counting through the three
        # tables of the comment model joined every comment (75 ms at 20,000 on PostgreSQL).
        pending_comments=Comment.objects.filter(
            pk__in=BaseComment.objects.filter(is_public=False).values("pk"),
            deleted_at__isnull=True,
        ).count(),
        pending_arguments=Argument.objects.filter(is_public=False, deleted_at__isnull=True).count(),
    )


def worker_health() -> list[Queue]:
    """Queued and failed tasks of the durable queue, as e-mail, search and other. One query."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queues = {kind: Queue(kind) for kind in ("email", "search", "other")}
    rows = (
        DBTaskResult.objects.filter(status__in=(TaskResultStatus.READY, TaskResultStatus.FAILED))
        .order_by()
        .values("task_path", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        path = row["task_path"]
        kind = (
            "email"
            if path == EMAIL_TASK
            else "search"
            if path.startswith(SEARCH_TASKS)
            else "other"
        )
        if row["status"] == TaskResultStatus.READY:
            queues[kind].queued += row["n"]
        else:
            queues[kind].failed += row["n"]
    return list(queues.values())
