"""Moderation of comments and debate arguments: reports, automatic hiding, and the moderators'
decisions (one set of rules; :class:`Moderated` says what differs between the two).

Every decision is a row of ModerationDecision (who, when, why). Hiding never deletes: the
comment is replaced, for readers, by a dated placeholder with the public reason, and its
replies stay in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from charte.core.formatting import typed_text
from charte.core.rules import is_moderator, is_staff_account
from charte.discussions.models import (
    Comment,
    CommentReport,
    ModerationAction,
    ModerationDecision,
    ReportReason,
)
from charte.discussions.notifications import notify_decision_task, notify_followers_task
from charte.discussions.services import CommentRefused, author_reason
from charte.moderation.notifications import notify_auto_hidden_task


def _require_moderator(user):
    if not is_moderator(user):
        raise CommentRefused(_("Only moderators can do this."), status=403)


@dataclass(frozen=True)
class Moderated:
    """What moderation needs to know about a kind of contribution (a comment, a debate
    argument): where its reports are, how its author is named, and its own messages."""

    field: str  # the name of the foreign key to it on its reports
    author_field: str
    report_model: object
    locking: object  # a manager that can lock its row (no outer join)
    words: dict

    def author_id(self, obj):
        return getattr(obj, self.author_field)

    def reports(self, obj):
        return self.report_model.objects.filter(**{self.field: obj}, resolved_at__isnull=True)


COMMENTS = Moderated(
    field="comment",
    author_field="user_id",
    report_model=CommentReport,
    locking=Comment.norel_objects,
    words={
        "sign_in": gettext_lazy("Sign in to report a comment."),
        "reason": gettext_lazy("Choose why you report this comment."),
        "own": gettext_lazy("You cannot report your own comment."),
        "twice": gettext_lazy("You have already reported this comment."),
        "hide_reason": gettext_lazy("Give the reason shown in place of the comment."),
    },
)


# Wagtail audit-log action of each moderation decision (labels registered in
# charte.moderation.admin).
LOG_ACTIONS = {action: f"charte.moderation.{action}" for action in ModerationAction.values}


def _decide(obj, action, by, reason="", subject=None, kind=COMMENTS):
    """Record the decision, and in the audit log; its author is told by e-mail once it is
    committed (and the moderators, of a contribution hidden by reports)."""
    author = getattr(obj, "author" if kind.author_field == "author_id" else "user") if obj else None
    decision = ModerationDecision.objects.create(
        item=obj,
        subject=subject or author,
        action=action,
        reason=reason,
        moderator=by,
    )
    log(
        instance=obj if obj is not None else decision.subject,
        action=LOG_ACTIONS[action],
        user=by,
        data={"reason": reason, "decision": decision.pk},
    )
    transaction.on_commit(lambda: notify_decision_task.enqueue(decision.pk))
    if action == ModerationAction.AUTO_HIDE:
        transaction.on_commit(lambda: notify_auto_hidden_task.enqueue(decision.pk))
    return decision


@transaction.atomic
def report(obj, kind: Moderated, *, by, reason: str, details: str = ""):
    """Report a contribution; after COMMENT_AUTO_HIDE_REPORTS distinct reports it is hidden
    until a moderator decides."""
    if not by.is_authenticated:
        raise CommentRefused(kind.words["sign_in"])
    # Reports can hide a contribution: only accounts that may take part file them (not a
    # blocked account, nor one whose e-mail address was never confirmed).
    refused = author_reason(by)
    if refused:
        raise CommentRefused(refused, status=403)
    if reason not in ReportReason.values:
        raise CommentRefused(kind.words["reason"], status=400)
    if kind.author_id(obj) == by.pk:
        raise CommentRefused(kind.words["own"], status=400)
    try:
        with transaction.atomic():
            created = kind.report_model.objects.create(
                **{kind.field: obj}, user=by, reason=reason, details=typed_text(details)[:500]
            )
    except IntegrityError as exc:
        raise CommentRefused(kind.words["twice"], status=400) from exc
    pending = kind.reports(obj).count()
    locked = kind.locking.select_for_update().get(pk=obj.pk)
    if pending >= settings.COMMENT_AUTO_HIDE_REPORTS and locked.hidden_at is None:
        locked.hidden_at = timezone.now()
        locked.hidden_reason = ""
        locked.save(update_fields=["hidden_at", "hidden_reason"])
        _decide(
            locked,
            ModerationAction.AUTO_HIDE,
            None,
            _("%(count)s reports") % {"count": pending},
            kind=kind,
        )
    return created


@transaction.atomic
def hide(obj, kind: Moderated, *, by, reason: str):
    """Hide a contribution behind the public reason given; its reports are resolved."""
    _require_moderator(by)
    reason = (reason or "").strip()
    if not reason:
        raise CommentRefused(kind.words["hide_reason"], status=400)
    now = timezone.now()
    obj.hidden_at, obj.hidden_reason = now, reason[:300]
    obj.save(update_fields=["hidden_at", "hidden_reason"])
    kind.reports(obj).update(resolved_at=now)
    _decide(obj, ModerationAction.HIDE, by, reason, kind=kind)
    return obj


@transaction.atomic
def restore(obj, kind: Moderated, *, by, reason: str = "") -> bool:
    """Show a hidden contribution again, or publish one awaiting approval; returns whether it
    was awaiting approval."""
    _require_moderator(by)
    was_pending = not obj.is_public
    obj.hidden_at, obj.hidden_reason, obj.is_public = None, "", True
    obj.save(update_fields=["hidden_at", "hidden_reason", "is_public"])
    kind.reports(obj).update(resolved_at=timezone.now())
    action = ModerationAction.APPROVE if was_pending else ModerationAction.RESTORE
    _decide(obj, action, by, reason, kind=kind)
    return was_pending


def comment_report(*, comment: Comment, by, reason: str, details: str = "") -> CommentReport:
    return report(comment, COMMENTS, by=by, reason=reason, details=details)


@transaction.atomic
def comment_delete_own(*, comment: Comment, by) -> Comment:
    """The author withdraws their comment: a dated placeholder keeps the replies in place."""
    if not by.is_authenticated or comment.user_id != by.pk:
        raise CommentRefused(_("Only its author can delete this comment."), status=403)
    if comment.deleted_at is None:
        comment.deleted_at = timezone.now()
        comment.comment = ""
        comment.save(update_fields=["deleted_at", "comment"])
    return comment


def comment_hide(*, comment: Comment, by, reason: str) -> Comment:
    return hide(comment, COMMENTS, by=by, reason=reason)


@transaction.atomic
def comment_restore(*, comment: Comment, by, reason: str = "") -> Comment:
    """Show a hidden comment again, or publish one awaiting approval (its followers are then
    told about it)."""
    if restore(comment, COMMENTS, by=by, reason=reason):
        transaction.on_commit(lambda: notify_followers_task.enqueue(comment.pk))
    return comment


@transaction.atomic
def user_block(*, user, by, reason: str, block: bool = True):
    """Stop (or allow again) an account from contributing; what it wrote stays as it is."""
    _require_moderator(by)
    reason = (reason or "").strip()
    if block and not reason:
        raise CommentRefused(_("Give the reason for blocking this account."), status=400)
    # Staff (moderators, the team, facilitators whose workshop entries carry their account) lose
    # their role in the group editor instead: blocking them here would stop a workshop's voice.
    if block and is_staff_account(user):
        raise CommentRefused(_("A staff account cannot be blocked here."), status=400)
    user.blocked_at = timezone.now() if block else None
    user.save(update_fields=["blocked_at"])
    action = ModerationAction.BLOCK if block else ModerationAction.UNBLOCK
    _decide(None, action, by, reason, subject=user)
    return user


def moderation_queue():
    """Comments waiting for a decision: unapproved, reported, or hidden after reports."""
    from django.db.models import Count, Q

    return (
        Comment.objects.filter(deleted_at__isnull=True)
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .filter(Q(is_public=False) | Q(open_reports__gt=0))
        .select_related("user", "workshop")
        .order_by("submit_date")
    )


def export_reports(user) -> list[dict]:
    """The comments ``user`` reported, with their reasons, for « download my data »."""
    return [
        {
            "comment": report.comment_id,
            "reason": report.reason,
            "details": report.details,
            "reported_at": report.created_at.isoformat(),
            "resolved_at": report.resolved_at.isoformat() if report.resolved_at else None,
        }
        for report in CommentReport.objects.filter(user=user).order_by("created_at")
    ]
