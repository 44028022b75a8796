"""What citizens do in a debate: write an argument for or against, support arguments, state a
position on the question, report an argument; and what moderators decide about arguments.

The same rules as for comments: identity from the account, the debate's window on the server
clock, throttling by the views, a moderation that hides without deleting. A refusal raises
:class:`charte.discussions.services.CommentRefused` with a message for the person who asked.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from charte.core import switches
from charte.core.formatting import typed_text
from charte.debates.models import (
    ARGUMENT_TEXT_MAX,
    ARGUMENT_TITLE_MAX,
    Argument,
    ArgumentReport,
    ArgumentSupport,
    DebatePage,
    DebatePosition,
    PositionValue,
    Side,
)
from charte.discussions.services import CommentRefused, author_reason, follow_start

PER_PAGE = 10
SORTS = {"supported": ("-supports_total", "-created_at", "-pk"), "newest": ("-created_at", "-pk")}


def debate_closed_reason(debate, now=None) -> str | None:
    """Why nobody can contribute to ``debate`` now (None when it is open)."""
    return debate.contribution_closed_reason(now)


def _require_open(by, debate, now=None, action: str | None = None):
    """Refuse ``by`` unless the debate is open and, with ``action``, that action in it."""
    closed = (
        debate.action_closed_reason(action, now) if action else debate_closed_reason(debate, now)
    )
    reason = author_reason(by) or closed
    if reason:
        raise CommentRefused(reason)


def arguments_of(by, debate) -> int:
    """How many arguments ``by`` has written in ``debate`` (those they deleted aside)."""
    if not by.is_authenticated:
        return 0
    return Argument.objects.filter(debate=debate.source, author=by, deleted_at__isnull=True).count()


def argument_limit_reason(by, debate) -> str | None:
    """The refusal once ``by`` reached the debate's limit of arguments per person."""
    source = debate.source
    if not source.arguments_limit:
        return None
    return switches.limit_reached(source, switches.ARGUMENTS, arguments_of(by, source))


def argument_check(*, side: str, title: str, text: str) -> tuple[str, str]:
    """The cleaned title and text, or a refusal naming every field at fault at once
    (``problems``: the side, the title, the text)."""
    problems = []
    if side not in Side.values:
        problems.append(("side", _("Choose whether your argument is for or against.")))
    title, text = " ".join(typed_text(title).split()), typed_text(text)
    for name, value, maximum, missing, too_long in (
        (
            "title",
            title,
            ARGUMENT_TITLE_MAX,
            _("Give your argument a short title."),
            _("The title has at most %(max)s characters (yours has %(count)s)."),
        ),
        (
            "text",
            text,
            ARGUMENT_TEXT_MAX,
            _("Write your argument before sending it."),
            _("An argument has at most %(max)s characters (yours has %(count)s)."),
        ),
    ):
        if not value:
            problems.append((name, missing))
        elif len(value) > maximum:
            problems.append((name, too_long % {"max": maximum, "count": len(value)}))
    if problems:
        field, message = problems[0]
        raise CommentRefused(message, 400, field, problems=problems)
    return title, text


@transaction.atomic
def argument_post(
    *,
    debate: DebatePage,
    by,
    side: str,
    title: str,
    text: str,
    language: str | None = None,
    now: datetime.datetime | None = None,
    follow: bool = False,
) -> Argument:
    """Publish an argument; with ``follow`` (its author ticked the box), its author follows
    its discussion."""
    now = now or timezone.now()
    debate = debate.source
    _require_open(by, debate, now, switches.ARGUMENTS)
    title, text = argument_check(side=side, title=title, text=text)
    if debate.arguments_limit:
        # Counted under a lock of the debate's row: two posts at once cannot both pass.
        DebatePage.objects.select_for_update().filter(pk=debate.pk).first()
        if reason := argument_limit_reason(by, debate):
            raise CommentRefused(reason)
    charter = debate.charter()
    languages = dict(settings.LANGUAGES)
    argument = Argument.objects.create(
        debate=debate,
        side=side,
        title=title,
        text=text,
        author=by,
        language=language if language in languages else settings.LANGUAGE_CODE,
        created_at=now,
        is_public=not (charter and charter.premoderation),
    )
    if follow:
        follow_start(target=argument, by=by)  # told about its comments
    return argument


@transaction.atomic
def argument_support(*, argument: Argument, by, support: bool = True, now=None) -> bool:
    """Support ``argument`` (or take the support back). One row per citizen and argument,
    enforced by the database; returns whether the citizen now supports it."""
    _require_open(by, argument.debate, now, switches.ARGUMENT_SUPPORTS)
    if not argument.is_visible:
        raise CommentRefused(_("This argument is no longer shown."), status=400)
    if argument.author_id == by.pk:
        raise CommentRefused(_("You cannot support your own argument."), status=400)
    if not support:
        ArgumentSupport.objects.filter(argument=argument, user=by).delete()
        return False
    try:
        with transaction.atomic():
            ArgumentSupport.objects.get_or_create(argument=argument, user=by)
    except IntegrityError:  # the same citizen, twice at once: the row exists
        pass
    return True


@transaction.atomic
def position_state(*, debate: DebatePage, by, value: str, now=None) -> DebatePosition:
    """State (or change) one's position on the question: one row per citizen and debate."""
    debate = debate.source
    _require_open(by, debate, now)
    if value not in PositionValue.values:
        raise CommentRefused(_("Choose your position on the question."), status=400)
    try:
        with transaction.atomic():
            position, _created = DebatePosition.objects.update_or_create(
                debate=debate, user=by, defaults={"value": value}
            )
    except IntegrityError:  # two requests at once: the other one created it
        position = DebatePosition.objects.get(debate=debate, user=by)
        position.value = value
        position.save(update_fields=["value", "updated_at"])
    return position


def positions(debate) -> dict:
    """How many citizens stated each position, and the total."""
    counts = dict(
        DebatePosition.objects.filter(debate=debate.source)
        .values_list("value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(counts.values())
    return {
        "total": total,
        "values": [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "percent": round(100 * counts.get(value, 0) / total) if total else 0,
            }
            for value, label in PositionValue.choices
        ],
    }


def arguments_for_side(debate, side, sort="supported"):
    """The arguments of one side shown in its column (visible ones, and hidden ones as
    placeholders), with their supports counted in the same query and the author joined."""
    return (
        Argument.objects.filter(debate=debate.source, side=side)
        .filter(Q(is_public=True, deleted_at__isnull=True) | Q(hidden_at__isnull=False))
        .select_related("author")
        .annotate(supports_total=Count("supports", distinct=True))
        .order_by(*SORTS.get(sort, SORTS["supported"]))
    )


def attach_comment_counts(arguments) -> None:
    """Give each argument of a page its number of visible comments, in one query."""
    from django.contrib.contenttypes.models import ContentType

    from charte.discussions.models import Comment

    counts = dict(
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(Argument),
            object_pk__in=[str(argument.pk) for argument in arguments],
            is_public=True,
            hidden_at__isnull=True,
            deleted_at__isnull=True,
        )
        .order_by()
        .values_list("object_pk")
        .annotate(n=Count("pk"))
    )
    for argument in arguments:
        argument.comment_total = counts.get(str(argument.pk), 0)


def side_totals(debate) -> dict:
    """The visible arguments and their supports, per side."""
    rows = (
        Argument.objects.visible()
        .filter(debate=debate.source)
        .values("side")
        .annotate(arguments=Count("pk", distinct=True), supports=Count("supports"))
        .order_by()
    )
    totals = {side: {"arguments": 0, "supports": 0} for side in Side.values}
    for row in rows:
        totals[row["side"]] = {"arguments": row["arguments"], "supports": row["supports"]}
    return totals


# -- Moderation ---------------------------------------------------------------------------


def _arguments():
    from django.utils.translation import gettext_lazy

    from charte.moderation.services import Moderated

    return Moderated(
        field="argument",
        author_field="author_id",
        report_model=ArgumentReport,
        locking=Argument.objects,
        words={
            "sign_in": gettext_lazy("Sign in to report an argument."),
            "reason": gettext_lazy("Choose why you report this argument."),
            "own": gettext_lazy("You cannot report your own argument."),
            "twice": gettext_lazy("You have already reported this argument."),
            "hide_reason": gettext_lazy("Give the reason shown in place of the argument."),
        },
    )


def argument_report(*, argument: Argument, by, reason: str, details: str = "") -> ArgumentReport:
    """Report an argument; enough distinct reports hide it until a moderator decides (the
    rules of comments, :func:`charte.moderation.services.report`)."""
    from charte.moderation.services import report

    return report(argument, _arguments(), by=by, reason=reason, details=details)


def argument_hide(*, argument: Argument, by, reason: str) -> Argument:
    from charte.moderation.services import hide

    return hide(argument, _arguments(), by=by, reason=reason)


def argument_restore(*, argument: Argument, by, reason: str = "") -> Argument:
    """Show a hidden argument again, or publish one awaiting approval."""
    from charte.moderation.services import restore

    restore(argument, _arguments(), by=by, reason=reason)
    return argument


@transaction.atomic
def argument_delete_own(*, argument: Argument, by) -> Argument:
    """The author withdraws their argument: a dated placeholder keeps its discussion."""
    if not by.is_authenticated or argument.author_id != by.pk:
        raise CommentRefused(_("Only its author can delete this argument."), status=403)
    if argument.deleted_at is None:
        argument.deleted_at = timezone.now()
        argument.text = ""
        argument.save(update_fields=["deleted_at", "text"])
    return argument


def argument_queue():
    """Arguments waiting for a decision: unapproved, reported, or hidden after reports."""
    return (
        Argument.objects.filter(deleted_at__isnull=True)
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(Q(is_public=False) | Q(open_reports__gt=0))
        .select_related("author", "debate")
        .order_by("created_at")
    )


def export_debates(user) -> dict:
    """The arguments of ``user``, their supports and positions, for « download my data »."""
    arguments = [
        {
            "debate": argument.debate.question,
            "address": argument.get_url(),
            "side": argument.side,
            "title": argument.title,
            "text": argument.text,
            "written_at": argument.created_at.isoformat(),
            "status": str(argument.status_label),
        }
        for argument in Argument.objects.filter(author=user).select_related("debate")
    ]
    supports = [
        support.argument.get_url()
        for support in ArgumentSupport.objects.filter(user=user).select_related("argument__debate")
    ]
    positions = [
        {"debate": position.debate.question, "position": position.value}
        for position in DebatePosition.objects.filter(user=user).select_related("debate")
    ]
    reports = [
        {
            "argument": report.argument.get_url(),
            "reason": report.reason,
            "details": report.details,
            "reported_at": report.created_at.isoformat(),
        }
        for report in ArgumentReport.objects.filter(user=user).select_related("argument__debate")
    ]
    return {
        "arguments": arguments,
        "supported": supports,
        "positions": positions,
        "reported": reports,
    }


def close_open_debates(*, charter, by, now=None) -> list:
    """Close now every open debate of ``charter`` (its adoption ends the process): each gets
    a published revision whose window ends now, so that no later publication reopens it."""
    now = now or timezone.now()
    closed = []
    for debate in DebatePage.objects.child_of(charter).filter(locale_id=charter.locale_id):
        if debate.state(now) != "open":
            continue
        debate.closes_at = now
        debate.save_revision(user=by, log_action=True).publish(user=by)
        closed.append(debate)
    return closed
