"""Writing and reading comments on paragraphs.

The only way a comment is written: :func:`comment_post` takes the author's identity from the
account (never from a form), accepts only a frozen Paragraph as target, and only while its
iteration is open for consultation (server time, Europe/Paris).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments.models import CommentFlag
from django_comments_xtd.models import DISLIKEDIT_FLAG, LIKEDIT_FLAG

from charte.core import switches, targets
from charte.core.exceptions import Refused
from charte.core.formatting import typed_text
from charte.core.origins import OFFLINE
from charte.core.targets import is_target, target_type
from charte.discussions.models import Comment, DiscussionCount, ThreadFollow
from charte.discussions.notifications import notify_followers_task
from charte.texts.paragraphs import Paragraph


class CommentRefused(Refused):
    """The comment is not accepted; ``message`` says why, in the reader's language."""


def _paragraph_type():
    return ContentType.objects.get_for_model(Paragraph)


# -- Targets: what can be commented ---------------------------------------------------------
# Whatever implements the discussion-target contract (charte.core.targets): a paragraph of a
# frozen iteration, an amendment, a debate argument. Nothing else can be commented.


def target_of(comment):
    """What a comment is about (None for anything that is not a discussion target)."""
    return targets.target_of(comment.content_type_id, comment.object_pk)


def follow_fields(target) -> dict:
    """The ThreadFollow fields naming ``target``'s discussion."""
    return {"content_type": target_type(target), "object_id": target.pk}


def target_closed_reason(target, now=None) -> str | None:
    """Why ``target`` cannot be commented now, whoever asks (None when it can)."""
    return target.discussion_closed_reason(now)


def closed_reason(iteration, now=None, action: str = switches.COMMENTS) -> str | None:
    """Why ``action`` (comments by default; amendments, supports) is refused on ``iteration``
    now, whoever asks (None when it is open)."""
    return iteration.action_closed_reason(action, now)


def follow_start(*, target, by) -> bool:
    """``by`` follows ``target``'s discussion (e-mailed about new comments); True if new."""
    return ThreadFollow.objects.get_or_create(user=by, **follow_fields(target))[1]


def follow_stop(*, target, by) -> int:
    """``by`` no longer follows ``target``'s discussion; the number of rows removed."""
    return ThreadFollow.objects.filter(user=by, **follow_fields(target)).delete()[0]


def is_following(target, user) -> bool:
    return (
        user.is_authenticated
        and ThreadFollow.objects.filter(user=user, **follow_fields(target)).exists()
    )


def author_reason(user) -> str | None:
    """Why ``user`` cannot comment (None when they can)."""
    if not user.is_authenticated:
        return _("Sign in to take part.")
    if not user.is_active or user.deleted_at is not None:
        return _("This account cannot comment.")
    if user.blocked_at is not None:
        return _("Your account has been blocked from contributing by the moderators.")
    if not user.pseudonym:
        return _("Choose a pseudonym in your profile to comment.")
    if not user.has_verified_address():
        return _("Confirm your e-mail address to comment.")
    return None


def entry_reason(user) -> str | None:
    """Why ``user`` cannot enter what a workshop or a register said (None when they can): the
    contribution is signed by the workshop, so no pseudonym is needed; who may enter for which
    workshop is :func:`charte.core.rules.can_enter_for`'s to say."""
    if not user.is_authenticated or not user.is_active or user.deleted_at is not None:
        return _("This account cannot enter contributions.")
    if user.blocked_at is not None:
        return _("Your account has been blocked from contributing by the moderators.")
    return None


REACTIONS = {"agree": LIKEDIT_FLAG, "disagree": DISLIKEDIT_FLAG}


def comments_for(target, sort="date", viewer=None):
    """The visible thread of a paragraph (or amendment) with its reaction counts, in one query;
    with ``viewer`` (a signed-in person), each comment's ``my_reaction`` too: « agree »,
    « disagree » or None, so that their reactions show as pressed.

    ``sort="reactions"`` puts the discussions whose first comment gathered the most agreement
    first; replies always stay under what they answer.
    """
    queryset = (
        Comment.objects.filter(content_type=target_type(target), object_pk=str(target.pk))
        .filter(is_public=True)
        .select_related("user", "workshop")
        .annotate(
            agree_count=Count("flags", filter=Q(flags__flag=LIKEDIT_FLAG)),
            disagree_count=Count("flags", filter=Q(flags__flag=DISLIKEDIT_FLAG)),
        )
        .order_by("thread_id", "order")
    )
    if viewer is not None and viewer.is_authenticated:
        mine = CommentFlag.objects.filter(
            comment=OuterRef("pk"), user=viewer, flag__in=REACTIONS.values()
        ).values("flag")[:1]
        queryset = queryset.annotate(my_flag=Subquery(mine))
    comments = list(queryset)
    reaction_of = {flag: name for name, flag in REACTIONS.items()}
    for comment in comments:
        comment.my_reaction = reaction_of.get(getattr(comment, "my_flag", None))
    if sort == "reactions":
        roots = {c.thread_id: c for c in comments if c.pk == c.thread_id}

        def weight(comment):
            root = roots.get(comment.thread_id, comment)
            return (-root.agree_count, root.submit_date, comment.thread_id, comment.order)

        comments.sort(key=weight)
    return comments


def earlier_comments(target) -> list:
    """The visible comments made on the same wording in earlier versions
    (:meth:`~charte.core.targets.DiscussionTarget.discussion_earlier`), read-only, in thread
    order, the latest version first; each knows the target it was made on
    (``earlier_target``). One query for the comments, whatever the length of the chain."""
    earlier = target.discussion_earlier()
    if not earlier:
        return []
    by_pk = {str(row.pk): row for row in earlier}
    rank = {str(row.pk): n for n, row in enumerate(earlier)}
    comments = list(
        Comment.objects.filter(
            content_type=target_type(target),
            object_pk__in=list(by_pk),
            is_public=True,
            hidden_at__isnull=True,
            deleted_at__isnull=True,
        )
        .select_related("user", "workshop")
        .annotate(
            agree_count=Count("flags", filter=Q(flags__flag=LIKEDIT_FLAG)),
            disagree_count=Count("flags", filter=Q(flags__flag=DISLIKEDIT_FLAG)),
        )
        .order_by("thread_id", "order")
    )
    comments.sort(key=lambda c: rank[c.object_pk])  # stable: thread order within a version
    for comment in comments:
        comment.earlier_target = by_pk[comment.object_pk]
    return comments


@transaction.atomic
def comment_react(*, comment: Comment, by, reaction: str) -> bool:
    """Agree or disagree with a comment, once per person; the same click again takes it back.
    Returns whether the reaction is now given."""
    if reaction not in REACTIONS:
        raise CommentRefused(_("Unknown reaction."), status=400)
    reason = author_reason(by) or target_closed_reason(target_of(comment))
    if reason:
        raise CommentRefused(reason)
    if comment.user_id == by.pk:
        raise CommentRefused(_("You cannot react to your own comment."), status=400)
    flag = REACTIONS[reaction]
    existing = CommentFlag.objects.filter(user=by, comment=comment, flag=flag)
    if existing.exists():
        existing.delete()
        return False
    CommentFlag.objects.filter(user=by, comment=comment, flag__in=REACTIONS.values()).delete()
    CommentFlag.objects.get_or_create(user=by, comment=comment, flag=flag)
    return True


def comment_counts(paragraph_ids) -> dict[int, int]:
    """Number of visible comments per paragraph id, in one query."""
    return {pk: entry["total"] for pk, entry in comment_counts_by_origin(paragraph_ids).items()}


def comment_counts_by_origin(paragraph_ids) -> dict[int, dict[str, int]]:
    """Per paragraph id: its visible comments (``total``) and how many of them came from each
    offline origin (``workshop``, ``register``), in one query that reads one stored count per
    paragraph (:class:`~charte.discussions.models.DiscussionCount`), not their comments.
    Paragraphs without a visible comment are left out."""
    rows = DiscussionCount.counts_of(_paragraph_type().pk, [str(pk) for pk in paragraph_ids])
    return {
        int(object_pk): {
            "total": total,
            **{origin.value: n for origin, n in zip(OFFLINE, by_origin, strict=True)},
        }
        for object_pk, total, *by_origin in rows
    }


@transaction.atomic
def comment_post(
    *,
    paragraph: Paragraph | None = None,
    target=None,
    by,
    text: str,
    parent_id: int | None = None,
    language: str | None = None,
    ip: str | None = None,
    now: datetime.datetime | None = None,
    follow: bool = False,
    workshop=None,
) -> Comment:
    """Write a comment (or a reply) on a paragraph or an amendment (``target``), or raise
    :class:`CommentRefused`. With ``follow`` (the author ticked « follow this discussion »),
    its author follows the discussion: never without asking. With ``workshop``, ``by`` is the
    facilitator entering what the workshop said (see :mod:`charte.workshops.services`): it is
    signed by the workshop."""
    now = now or timezone.now()
    target = target if target is not None else paragraph
    if not is_target(target):
        raise CommentRefused(_("This cannot be commented."), 400)
    writer_reason = entry_reason(by) if workshop is not None else author_reason(by)
    reason = writer_reason or target_closed_reason(target, now)
    if reason:
        raise CommentRefused(reason)
    text = typed_text(text)
    if not text:
        raise CommentRefused(_("Write your comment before sending it."), status=400)
    if len(text) > settings.COMMENT_MAX_LENGTH:
        raise CommentRefused(
            _("A comment has at most %(max)s characters (yours has %(count)s).")
            % {"max": settings.COMMENT_MAX_LENGTH, "count": len(text)},
            status=400,
        )
    parent = None
    if parent_id:
        parent = (
            # norel_objects: the default manager joins the (nullable) user, which PostgreSQL
            # cannot lock.
            Comment.norel_objects.filter(
                pk=parent_id,
                content_type=target_type(target),
                object_pk=str(target.pk),
                is_public=True,
            )
            .select_for_update()
            .first()
        )
        if parent is None:
            raise CommentRefused(_("The comment you reply to is no longer available."), 400)
        if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            raise CommentRefused(_("This discussion cannot go deeper: reply higher up."), 400)
    languages = dict(settings.LANGUAGES)
    comment = Comment(
        content_type=target_type(target),
        object_pk=str(target.pk),
        site_id=settings.SITE_ID,
        user=by,
        # The only name ever shown (the workshop's for what it said); the e-mail never copied.
        user_name=(workshop.title if workshop is not None else by.pseudonym)[:50],
        workshop=workshop,
        user_email="",
        user_url="",
        comment=text,
        submit_date=now,
        ip_address=ip,
        is_public=not target.discussion_premoderated(),
        is_removed=False,
        parent_id=parent.pk if parent else 0,
        language=language if language in languages else settings.LANGUAGE_CODE,
    )
    comment.save()
    if follow:
        # One statement, whether or not they already follow it (the target is checked above).
        ThreadFollow.objects.bulk_create(
            [ThreadFollow(user=by, **follow_fields(target))], ignore_conflicts=True
        )
    if comment.is_public:
        transaction.on_commit(lambda: notify_followers_task.enqueue(comment.pk))
    return comment


def erase_author_details(user) -> None:
    """On account deletion: no name, e-mail or IP address stays copied on the comments."""
    Comment.objects.filter(user=user).update(user_name="", user_email="", ip_address=None)


def erase_closed_ip_addresses(*, days_after_close: int) -> int:
    """Erase the IP addresses of the comments on discussions closed ``days_after_close`` days
    ago or more (their consultation over), and of the comments written that long ago on
    discussions that stay open; the number of comments erased."""
    cutoff = timezone.now() - datetime.timedelta(days=days_after_close)
    kept = Comment.objects.filter(ip_address__isnull=False, submit_date__lte=cutoff)
    erased = 0
    for type_id, object_pk in kept.values_list("content_type", "object_pk").distinct():
        model = ContentType.objects.get_for_id(type_id).model_class()
        target = model._default_manager.filter(pk=object_pk).first() if model else None
        closed = target is None or (
            hasattr(target, "discussion_closed_reason")
            and (
                target.discussion_stays_open
                or target.discussion_closed_reason(now=cutoff) is not None
            )
        )
        if closed:
            erased += kept.filter(content_type_id=type_id, object_pk=object_pk).update(
                ip_address=None
            )
    return erased


def export_comments(user) -> list[dict]:
    """The comments of ``user``, for « download my data »."""
    rows = []
    seen = {}
    kinds = dict.fromkeys(model.discussion_kind for model in targets.target_models())
    comments = Comment.objects.filter(user=user).select_related("workshop")
    for comment in comments.order_by("submit_date"):
        cache_key = (comment.content_type_id, comment.object_pk)
        if cache_key not in seen:
            seen[cache_key] = target_of(comment)
        target = seen[cache_key]
        rows.append(
            {
                "id": comment.pk,
                "submitted_at": comment.submit_date.isoformat(),
                "language": comment.language,
                "text": comment.comment,
                "visible": comment.is_public and not comment.is_removed,
                "in_reply_to": comment.parent_id if comment.parent_id != comment.pk else None,
                # What a facilitator entered: the workshop or register it is signed by.
                "origin": comment.origin,
                "workshop": comment.workshop.signature() if comment.workshop_id else None,
                **kinds,
                **({target.discussion_kind: target.get_url()} if target is not None else {}),
            }
        )
    return rows


def amendment_comment_count(amendment, *, besides_author=False) -> int:
    """Visible comments in an amendment's own thread (``besides_author``: by others)."""
    comments = Comment.objects.filter(
        content_type=target_type(amendment),
        object_pk=str(amendment.pk),
        is_public=True,
        hidden_at__isnull=True,
        deleted_at__isnull=True,
    )
    if besides_author:
        comments = comments.exclude(user_id=amendment.author_id)
    return comments.count()


def export_discussion_activity(user) -> dict:
    """The reactions of ``user`` and the discussions they follow, for « download my data »."""
    reactions = {flag: name for name, flag in REACTIONS.items()}
    flags = (
        CommentFlag.objects.filter(user=user, flag__in=reactions)
        .select_related("comment")
        .order_by("flag_date")
    )
    seen = {}

    def address(content_type_id, object_pk):
        key = (content_type_id, str(object_pk))
        if key not in seen:
            target = targets.target_of(content_type_id, object_pk)
            seen[key] = target.get_url() if target is not None else None
        return seen[key]

    return {
        "reactions": [
            {
                "comment": flag.comment_id,
                "reaction": reactions[flag.flag],
                "given_at": flag.flag_date.isoformat(),
                "address": address(flag.comment.content_type_id, flag.comment.object_pk),
            }
            for flag in flags
        ],
        "followed_discussions": [
            {
                "kind": follow.content_type.model,
                "address": address(follow.content_type_id, follow.object_id),
                "since": follow.created_at.isoformat(),
            }
            for follow in ThreadFollow.objects.filter(user=user)
            .select_related("content_type")
            .order_by("created_at")
        ],
    }
