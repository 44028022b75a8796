"""E-mails about discussions: to the people who follow a paragraph's discussion, and to the
author concerned by a moderation decision.

Each goes through the durable mail queue; links are absolute addresses of the site, and the
one-click « stop following » link is signed with django.core.signing and expires.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from charte.core import identity, targets
from charte.core.mail import STOP_THREADS, stop_token

UNFOLLOW_SALT = "charte.unfollow"
UNFOLLOW_MAX_AGE = 60 * 60 * 24 * 90  # 90 days


def absolute(path: str) -> str:
    """The link to ``path`` in an e-mail: on the site's address (``charte.core.identity``)."""
    return identity.absolute(path)


# The keys of the first unfollow links (still valid until they expire).
LEGACY_TOKEN_KEYS = {"p": "paragraph", "a": "amendment", "g": "argument"}


def unfollow_token(user_pk: int, target) -> str:
    """A signed, expiring link to stop following ``target``'s discussion."""
    return signing.dumps(
        {"u": user_pk, "k": target.discussion_kind, "i": target.pk}, salt=UNFOLLOW_SALT
    )


def read_unfollow_token(token: str) -> tuple[int, type, int]:
    """(user pk, the target's model, its pk). Raise signing.BadSignature (or
    SignatureExpired) for a forged or old link."""
    data = signing.loads(token, salt=UNFOLLOW_SALT, max_age=UNFOLLOW_MAX_AGE)
    kind, pk = data.get("k"), data.get("i")
    for key, legacy_kind in LEGACY_TOKEN_KEYS.items():
        if kind is None and key in data:
            kind, pk = legacy_kind, data[key]
    model = targets.target_named(kind) if kind else None
    if model is None or pk is None:
        raise signing.BadSignature("no discussion named")
    return int(data["u"]), model, int(pk)


# -- What is new in the discussions people follow ----------------------------------------------
# Never one e-mail per comment: a follower gets at most one e-mail per discussion per hour
# gathering every comment since their last one (or one a day for all their discussions, or
# none, as they choose on their notification preferences). A comment asks for its discussion's
# followers to be told at once if their last e-mail is an hour old; the others are told by
# ``send_notifications`` (run from cron) once their hour has passed, even if nobody writes
# again. Each follow records until when it was told (``notified_at``), moved by a conditional
# update before its e-mail is queued in the same transaction: two workers never send it twice.

HOUR = datetime.timedelta(hours=1)
BATCH = 200  # follows handled per transaction


@task(backend="durable", queue_name="notifications")
def notify_followers_task(comment_pk: int) -> int:
    """Run by the worker once a comment is public: tell its discussion's followers whose hour
    has passed (the others are told later, gathered)."""
    from charte.discussions.models import Comment

    comment = (
        Comment.norel_objects.filter(pk=comment_pk).only("content_type_id", "object_pk").first()
    )
    if comment is None or not str(comment.object_pk).isdigit():
        return 0
    return send_thread_news(
        content_type_id=comment.content_type_id, object_id=int(comment.object_pk)
    )


def verified_address(user) -> str | None:
    """Where to write to ``user``: a verified address of an account still in use."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_active or user.deleted_at is not None:
        return None
    address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary").first()
    return address.email if address else None


def addresses_of(user_ids) -> dict[int, str]:
    """The verified address of each user, in one query (the primary one first)."""
    from allauth.account.models import EmailAddress

    rows = (
        EmailAddress.objects.filter(user_id__in=set(user_ids), verified=True)
        .order_by("user_id", "-primary", "pk")
        .values_list("user_id", "email")
    )
    found: dict[int, str] = {}
    for user_id, email in rows:
        found.setdefault(user_id, email)
    return found


def _new_comments_exist():
    """A subquery: a readable comment, not by the follower, newer than what they were told."""
    return Exists(
        _visible_comments()
        .filter(
            content_type_id=OuterRef("content_type_id"),
            object_pk=Cast(OuterRef("object_id"), CharField()),
            submit_date__gt=Coalesce(OuterRef("notified_at"), OuterRef("created_at")),
        )
        .exclude(user_id=OuterRef("user_id"))
    )


def _visible_comments():
    from charte.discussions.models import Comment

    return Comment.norel_objects.filter(
        is_public=True, is_removed=False, hidden_at__isnull=True, deleted_at__isnull=True
    )


def _due_follows(frequency: str, now: datetime.datetime):
    from charte.discussions.models import ThreadFollow

    return (
        ThreadFollow.objects.filter(
            user__thread_emails=frequency, user__is_active=True, user__deleted_at__isnull=True
        )
        .filter(Q(notified_at__isnull=True) | Q(notified_at__lte=now - HOUR))
        .filter(_new_comments_exist())
    )


def _news_of(follows, now) -> dict[int, list]:
    """The new comments of each follow (by its pk), oldest first, in one query per kind of
    discussion."""
    by_type: dict[int, set[str]] = {}
    for follow in follows:
        by_type.setdefault(follow.content_type_id, set()).add(str(follow.object_id))
    since = min((follow.notified_at or follow.created_at) for follow in follows)
    wanted = Q(pk__in=[])
    for content_type_id, object_pks in by_type.items():
        wanted |= Q(content_type_id=content_type_id, object_pk__in=object_pks)
    comments = list(
        _visible_comments()
        .filter(wanted, submit_date__gt=since, submit_date__lte=now)
        .select_related("user", "workshop")
        .order_by("submit_date", "pk")
    )
    news = {}
    for follow in follows:
        after = follow.notified_at or follow.created_at
        news[follow.pk] = [
            c
            for c in comments
            if c.content_type_id == follow.content_type_id
            and c.object_pk == str(follow.object_id)
            and c.submit_date > after
            and c.user_id != follow.user_id
        ]
    return news


def _claim_follow(follow, now) -> bool:
    """Move ``follow``'s « told until » to ``now`` unless another worker already did."""
    from charte.discussions.models import ThreadFollow

    return bool(
        ThreadFollow.objects.filter(pk=follow.pk, notified_at=follow.notified_at).update(
            notified_at=now
        )
        if follow.notified_at is not None
        else ThreadFollow.objects.filter(pk=follow.pk, notified_at__isnull=True).update(
            notified_at=now
        )
    )


def _comment_lines(comments, link: str) -> str:
    """The comments of an e-mail, each with its author and its address."""
    parts = []
    for comment in comments:
        parts.append(
            _("%(author)s wrote:\n%(text)s\n%(link)s")
            % {
                "author": comment.author_name,
                "text": comment.comment,
                "link": f"{link}#c{comment.pk}",
            }
        )
    return "\n\n".join(parts)


def _address(target, language: str, memo: dict) -> str:
    """The absolute address of ``target``'s discussion in ``language``, found once per batch."""
    key = (type(target), target.pk, language)
    if key not in memo:
        memo[key] = absolute(targets.address_in(target, language))
    return memo[key]


def _thread_message(follow, target, comments, address, memo: dict) -> EmailMessage:
    language = follow.user.preferred_language
    with translation.override(language):
        link = _address(target, language, memo)
        stop = absolute(reverse("thread_unfollow", args=[unfollow_token(follow.user_id, target)]))
        preferences = absolute(reverse("account_notifications"))
        subject = ngettext(
            "%(count)s new comment on %(target)s",
            "%(count)s new comments on %(target)s",
            len(comments),
        ) % {"count": len(comments), "target": target.discussion_title()}
        body = _(
            "New in the discussion you follow:\n\n%(comments)s\n\n"
            "Read the discussion: %(link)s\n\n"
            "You receive at most one e-mail per discussion per hour. Change how often: "
            "%(preferences)s\n"
            "Stop following this discussion (one click): %(stop)s\n"
        ) % {
            "comments": _comment_lines(comments, link),
            "link": link,
            "preferences": preferences,
            "stop": stop,
        }
    return EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        headers={"List-Unsubscribe": f"<{stop}>"},
    )


def send_thread_news(
    *,
    content_type_id: int | None = None,
    object_id: int | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """One e-mail per follower (who chose « at most one per hour ») and discussion gathering
    every comment since their last e-mail, if that was an hour ago or more; only the
    discussion given, or all of them. The number of e-mails queued."""
    from charte.accounts.models import ThreadEmails

    now = now or timezone.now()
    due = _due_follows(ThreadEmails.HOURLY, now).select_related("user").order_by("pk")
    if content_type_id is not None:
        due = due.filter(content_type_id=content_type_id, object_id=object_id)
    sent, after = 0, 0
    while True:
        follows = list(due.filter(pk__gt=after)[:BATCH])
        if not follows:
            return sent
        after = follows[-1].pk
        news = _news_of(follows, now)
        addresses = addresses_of(f.user_id for f in follows)
        found, memo = {}, {}
        for follow in follows:
            key = (follow.content_type_id, follow.object_id)
            if key not in found:
                found[key] = targets.target_of(*key)
            target, comments = found[key], news[follow.pk]
            address = addresses.get(follow.user_id)
            if target is None or not comments or address is None:
                continue
            with transaction.atomic():
                if _claim_follow(follow, now):
                    _thread_message(follow, target, comments, address, memo).send()
                    sent += 1


def day_start(now: datetime.datetime) -> datetime.datetime:
    """The moment daily e-mails are due from: today at NOTIFICATION_DIGEST_HOUR (Europe/Paris)
    once it has passed, otherwise yesterday at that hour."""
    local = timezone.localtime(now)
    start = local.replace(hour=settings.NOTIFICATION_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return start if local >= start else start - datetime.timedelta(days=1)


def send_daily_thread_digests(*, now: datetime.datetime | None = None) -> int:
    """One e-mail a day for each person who chose the daily digest, gathering what is new in
    every discussion they follow (nothing when nothing is new). The number queued."""
    from charte.accounts.models import ThreadEmails

    now = now or timezone.now()
    day = day_start(now)
    due = (
        _due_follows(ThreadEmails.DAILY, now)
        .filter(Q(user__thread_digest_at__isnull=True) | Q(user__thread_digest_at__lt=day))
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    user_ids = list(due)
    sent = 0
    for start in range(0, len(user_ids), BATCH):
        sent += _send_daily_batch(user_ids[start : start + BATCH], day, now)
    return sent


def _send_daily_batch(user_ids, day, now) -> int:
    from django.contrib.auth import get_user_model

    from charte.accounts.models import ThreadEmails
    from charte.discussions.models import ThreadFollow

    follows = list(
        _due_follows(ThreadEmails.DAILY, now)
        .filter(user_id__in=user_ids)
        .select_related("user")
        .order_by("user_id", "pk")
    )
    if not follows:
        return 0
    news = _news_of(follows, now)
    addresses = addresses_of(user_ids)
    found, per_user = {}, {}
    for follow in follows:
        key = (follow.content_type_id, follow.object_id)
        if key not in found:
            found[key] = targets.target_of(*key)
        if found[key] is not None and news[follow.pk]:
            per_user.setdefault(follow.user_id, []).append((follow, found[key]))
    users = get_user_model().objects
    sent, memo = 0, {}
    for user_id, items in per_user.items():
        address = addresses.get(user_id)
        if address is None:
            continue
        user = items[0][0].user
        with transaction.atomic():
            claimed = (
                users.filter(pk=user_id)
                .filter(Q(thread_digest_at__isnull=True) | Q(thread_digest_at__lt=day))
                .update(thread_digest_at=now)
            )
            if not claimed:
                continue
            ThreadFollow.objects.filter(pk__in=[f.pk for f, _t in items]).update(notified_at=now)
            _daily_message(user, items, news, address, memo).send()
            sent += 1
    return sent


def _daily_message(user, items, news, address, memo: dict) -> EmailMessage:
    language = user.preferred_language
    with translation.override(language):
        preferences = absolute(reverse("account_notifications"))
        stop_all = absolute(reverse("emails_stop", args=[stop_token(user.pk, STOP_THREADS)]))
        sections = []
        for follow, target in items:
            link = _address(target, language, memo)
            stop = absolute(reverse("thread_unfollow", args=[unfollow_token(user.pk, target)]))
            sections.append(
                _("« %(target)s »\n\n%(comments)s\n\nStop following it (one click): %(stop)s")
                % {
                    "target": target.discussion_title(),
                    "comments": _comment_lines(news[follow.pk], link),
                    "stop": stop,
                }
            )
        count = sum(len(news[follow.pk]) for follow, _t in items)
        subject = ngettext(
            "Your daily digest: %(count)s new comment",
            "Your daily digest: %(count)s new comments",
            count,
        ) % {"count": count}
        body = _(
            "New today in the discussions you follow:\n\n%(sections)s\n\n"
            "Change how often you are told: %(preferences)s\n"
            "No more e-mails about the discussions you follow (one click): %(stop)s\n"
        ) % {
            "sections": "\n\n----\n\n".join(sections),
            "preferences": preferences,
            "stop": stop_all,
        }
    return EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        headers={"List-Unsubscribe": f"<{stop_all}>"},
    )


@task(backend="durable", queue_name="notifications")
def notify_decision_task(decision_pk: int) -> bool:
    """Run by the worker once the decision is committed."""
    return notify_decision(decision_pk)


def account_notices() -> dict:
    """What an author is told of a decision about their account."""
    from charte.discussions.models import ModerationAction

    return {
        ModerationAction.BLOCK: (
            _("Your account can no longer contribute"),
            _(
                "The moderators blocked your account from contributing, for this reason: "
                "« %(reason)s ». What you wrote stays as it is, and you can still read "
                "everything. You may contest this decision by writing to the contact "
                "address shown on the charter's page.\n"
            ),
        ),
        ModerationAction.UNBLOCK: (
            _("Your account can contribute again"),
            _("The moderators lifted the block on your account: you can contribute again.\n"),
        ),
    }


def notify_decision(decision_pk: int) -> bool:
    """Tell the author concerned what the moderators decided, and why. Returns whether an
    e-mail was queued (not for an unblocking nobody asked about, nor without an address).

    The contribution decided about (a comment, an argument…) says how it is named: its
    ``moderation_notices()``, ``moderation_address(language)`` and ``moderation_text()``."""
    from charte.discussions.models import ModerationDecision

    decision = ModerationDecision.objects.select_related("subject").filter(pk=decision_pk).first()
    if decision is None:
        return False
    user = decision.subject
    address = verified_address(user)
    if address is None:
        return False
    item = decision.item
    language = user.preferred_language
    with translation.override(language):
        texts = account_notices()
        link = text = ""
        if item is not None:
            texts.update(item.moderation_notices())
            link = item.moderation_address(language)
            link = absolute(link) if link else ""
            text = item.moderation_text()
        subject, body = texts[decision.action]
        body = body % {"link": link, "reason": decision.reason, "text": text}
    EmailMessage(subject=str(subject), body=body, to=[address]).send()
    return True
