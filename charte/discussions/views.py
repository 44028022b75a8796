"""The discussion of a paragraph or an amendment: what its template needs, and its forms.

The page that shows the discussion (a paragraph's page, its panel on the iteration page, an
amendment's page) passes two callables: ``render(**state)`` shows the page again with the
discussion in a given state (what was typed, the refusal), and ``done(anchor)`` is where a
successful form leads.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from charte.core.clientip import client_ip
from charte.core.exceptions import Refused
from charte.core.guards import guard_post, refusal_status
from charte.core.kept import ANCHOR, keep, take
from charte.discussions.models import Comment, ReportReason
from charte.discussions.services import (
    author_reason,
    comment_post,
    comment_react,
    comments_for,
    earlier_comments,
    follow_start,
    follow_stop,
    is_following,
    target_closed_reason,
    target_type,
)


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def discussion_context(
    request,
    target,
    *,
    thread_url,
    page,
    typed="",
    parent_id=0,
    refusal=None,
    report=None,
    focus="",
    closed=None,
) -> dict:
    """Everything ``charte/includes/discussion.html`` needs, for the discussion of ``target``
    shown on ``page`` (its page or a translation, whose routes its forms post to). ``closed``:
    the reason the target is closed, when the caller already knows it.

    A comment refused because its author is no longer signed in is kept for them (see
    :mod:`charte.core.kept`); once they are signed in again, the first view of the discussion
    gives it back in its form, to check and send again."""

    def address(action, comment_id=None):
        return target.discussion_form_address(page, action, comment_id)

    if closed is None:
        closed = target_closed_reason(target)
    sort = "reactions" if request.GET.get("sort") == "reactions" else "date"
    comments = comments_for(target, sort=sort, viewer=request.user)
    text_kept = text_restored = False
    if refusal and not closed and request.method == "POST" and not request.user.is_authenticated:
        text_kept = keep(
            request, address=thread_url, fields={"comment": typed, "parent": str(parent_id)}
        )
    elif request.method == "GET" and not typed:
        restored = take(request, address=thread_url)
        if restored is not None:
            typed, text_restored, focus = restored.get("comment", ""), True, ANCHOR
            parent_id = _int(restored.get("parent"))
            answerable = {
                c.pk for c in comments if c.level < settings.COMMENTS_XTD_MAX_THREAD_LEVEL
            }
            if parent_id not in answerable:
                parent_id = 0  # what it answered is gone: the text goes to a new comment
    # Each action's address is made once, with a stand-in number where the comment's goes:
    # hundreds of comments cost four reversals, not four each.
    patterns = {
        action: address(action, _STAND_IN).split(str(_STAND_IN)) for action in COMMENT_ACTIONS
    }
    for comment in comments:
        number = str(comment.pk)
        comment.action_urls = {action: number.join(parts) for action, parts in patterns.items()}
        # The reaction labels, made here rather than by a translation tag per comment.
        agree, disagree = comment.agree_count, comment.disagree_count
        comment.agree_label = ngettext("Agree (%(counter)s)", "Agree (%(counter)s)", agree) % {
            "counter": agree
        }
        comment.disagree_label = ngettext(
            "Disagree (%(counter)s)", "Disagree (%(counter)s)", disagree
        ) % {"counter": disagree}
        comment.reactions_summary = _("%(agree)s agree · %(disagree)s disagree") % {
            "agree": agree,
            "disagree": disagree,
        }
    earlier = earlier_comments(target)
    return {
        "earlier_comments": earlier,
        "thread_url": thread_url,
        "follow_url": address("follow"),
        "comment_url": address("comment"),
        "thread_words": target.discussion_words(),
        "comments": comments,
        "sort": sort,
        "closed_reason": closed,
        "author_reason": None if closed else author_reason(request.user),
        "typed": typed,
        "text_kept": text_kept,
        "text_restored": text_restored,
        "sign_in_next": f"{thread_url}#{ANCHOR}" if text_kept else thread_url,
        "reply_to": parent_id or _int(request.GET.get("reply")),
        "report_to": (report or {}).get("to") or _int(request.GET.get("report")),
        "report": report or {},
        "refusal": refusal,
        "focus": focus,
        "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
        "submission": uuid.uuid4().hex,
        "report_reasons": ReportReason.choices,
        "following": is_following(target, request.user),
        # A refused comment comes back with the box as its author left it.
        "follow_ticked": bool(refusal) and request.POST.get("follow") == "on",
    }


def post_comment(request, target, *, render, done):
    """Post a comment or a reply; a refusal shows the page again with the text typed."""
    text = request.POST.get("comment", "")
    parent_id = _int(request.POST.get("parent"))

    try:
        if not guard_post(
            request,
            scope="comment",
            honeypot_message=_("Your comment could not be sent. Please try again."),
        ):
            return done("discussion-title")  # already sent: a double click posts once
        comment = comment_post(
            target=target,
            by=request.user,
            text=text,
            parent_id=parent_id,
            language=get_language(),
            ip=client_ip(request),
            follow=request.POST.get("follow") == "on",
        )
    except Refused as refusal:
        # The box the text is in takes the focus again (in the panel as on the page).
        response = render(
            typed=text,
            parent_id=parent_id,
            refusal=refusal.message,
            focus=f"comment-{parent_id or 'new'}",
        )
        return refusal_status(response, refusal)
    if not comment.is_public:
        messages.info(
            request, _("Thank you. Your comment will appear once a moderator has approved it.")
        )
        return done("discussion-title")
    return done(f"c{comment.pk}")


def follow(request, target, *, done):
    """Follow or stop following a discussion (POST, signed-in readers)."""
    if request.method == "POST" and request.user.is_authenticated:
        if follow_start(target=target, by=request.user):
            messages.success(
                request,
                _(
                    "You follow this discussion: you will get an e-mail gathering its new "
                    "comments, at most one per hour."
                ),
            )
        else:
            follow_stop(target=target, by=request.user)
            messages.success(request, _("You no longer follow this discussion."))
    return done("discussion-title")


def find_comment(target, comment_id):
    return Comment.objects.filter(
        pk=comment_id, content_type=target_type(target), object_pk=str(target.pk)
    ).first()


def comment_action(request, target, comment, action, *, render, done):
    """React to, report, or delete one's own comment (POST only)."""
    from charte.moderation.services import comment_delete_own, comment_report

    details = request.POST.get("details", "")
    try:
        if action in ("agree", "disagree"):
            comment_react(comment=comment, by=request.user, reaction=action)
        elif action == "report":
            guard_post(
                request,
                scope="report",
                honeypot_message=_("Your report could not be sent. Please try again."),
            )
            comment_report(
                comment=comment,
                by=request.user,
                reason=request.POST.get("reason", ""),
                details=details,
            )
            messages.success(request, _("Thank you: the moderators will look at it."))
        else:
            comment_delete_own(comment=comment, by=request.user)
            messages.success(request, _("Your comment is deleted."))
    except Refused as refusal:
        if action != "report" or not request.user.is_authenticated:
            messages.error(request, refusal.message)
            return done(f"c{comment.pk}")
        # The report form comes back open, with the details typed and the reason why.
        response = render(
            report={
                "to": comment.pk,
                "details": details,
                "reason": request.POST.get("reason", ""),
                "error": refusal.message,
            },
            focus="report-form",
        )
        return refusal_status(response, refusal)
    return done(f"c{comment.pk}")


COMMENT_ACTIONS = ("report", "delete", "agree", "disagree")
_STAND_IN = 987654321987
