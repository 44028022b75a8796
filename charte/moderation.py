"""Moderation of comments: reports, automatic hiding, and the moderators' decisions.

Every decision is a row of ModerationDecision (who, when, why). Hiding never deletes: the
comment is replaced, for readers, by a dated placeholder with the public reason, and its
replies stay in place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .comments import CommentRefused
from .formatting import typed_text
from .models import Comment, CommentReport, ModerationAction, ModerationDecision, ReportReason
from .notifications import notify_decision_task, notify_followers_task
from .roles import COMMUNICATION_TEAM, MODERATORS


def is_moderator(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=[MODERATORS, COMMUNICATION_TEAM]).exists()


def _require_moderator(user):
    if not is_moderator(user):
        raise CommentRefused(_("Only moderators can do this."), status=403)


def _decide(comment, action, by, reason="", subject=None):
    """Record the decision; its author is told by e-mail once it is committed."""
    decision = ModerationDecision.objects.create(
        comment=comment,
        subject=subject or (comment.user if comment else None),
        action=action,
        reason=reason,
        moderator=by,
    )
    transaction.on_commit(lambda: notify_decision_task.enqueue(decision.pk))


def _resolve_reports(comment, now):
    CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(resolved_at=now)


@transaction.atomic
def comment_report(*, comment: Comment, by, reason: str, details: str = "") -> CommentReport:
    """Report a comment; after COMMENT_AUTO_HIDE_REPORTS distinct reports it is hidden until a
    moderator decides."""
    if not by.is_authenticated:
        raise CommentRefused(_("Sign in to report a comment."))
    if reason not in ReportReason.values:
        raise CommentRefused(_("Choose why you report this comment."), status=400)
    if comment.user_id == by.pk:
        raise CommentRefused(_("You cannot report your own comment."), status=400)
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, user=by, reason=reason, details=typed_text(details)[:500]
            )
    except IntegrityError as exc:
        raise CommentRefused(_("You have already reported this comment."), status=400) from exc
    pending = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).count()
    locked = Comment.norel_objects.select_for_update().get(pk=comment.pk)
    if pending >= settings.COMMENT_AUTO_HIDE_REPORTS and locked.hidden_at is None:
        locked.hidden_at = timezone.now()
        locked.hidden_reason = ""
        locked.save(update_fields=["hidden_at", "hidden_reason"])
        _decide(
            locked, ModerationAction.AUTO_HIDE, None, _("%(count)s reports") % {"count": pending}
        )
    return report


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


@transaction.atomic
def comment_hide(*, comment: Comment, by, reason: str) -> Comment:
    _require_moderator(by)
    reason = (reason or "").strip()
    if not reason:
        raise CommentRefused(_("Give the reason shown in place of the comment."), status=400)
    now = timezone.now()
    comment.hidden_at = now
    comment.hidden_reason = reason[:300]
    comment.save(update_fields=["hidden_at", "hidden_reason"])
    _resolve_reports(comment, now)
    _decide(comment, ModerationAction.HIDE, by, reason)
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, by, reason: str = "") -> Comment:
    """Show a hidden comment again, or publish one awaiting approval."""
    _require_moderator(by)
    was_pending = not comment.is_public
    comment.hidden_at = None
    comment.hidden_reason = ""
    comment.is_public = True
    comment.save(update_fields=["hidden_at", "hidden_reason", "is_public"])
    _resolve_reports(comment, timezone.now())
    action = ModerationAction.APPROVE if was_pending else ModerationAction.RESTORE
    _decide(comment, action, by, reason)
    if was_pending:
        transaction.on_commit(lambda: notify_followers_task.enqueue(comment.pk))
    return comment


@transaction.atomic
def user_block(*, user, by, reason: str, block: bool = True):
    """Stop (or allow again) an account from contributing; what it wrote stays as it is."""
    _require_moderator(by)
    reason = (reason or "").strip()
    if block and not reason:
        raise CommentRefused(_("Give the reason for blocking this account."), status=400)
    if block and is_moderator(user):
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
        .select_related("user")
        .order_by("submit_date")
    )
