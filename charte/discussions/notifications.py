"""E-mails about discussions: to the people who follow a paragraph's discussion, and to the
author concerned by a moderation decision.

Each goes through the durable mail queue; links are absolute addresses of the site, and the
one-click « stop following » link is signed with django.core.signing and expires.
"""

from __future__ import annotations

from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from charte.core import identity, targets

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


@task(backend="durable")
def notify_followers_task(comment_pk: int) -> int:
    """Run by the worker: the request that published the comment does not wait for e-mails."""
    return notify_followers(comment_pk)


def verified_address(user) -> str | None:
    """Where to write to ``user``: a verified address of an account still in use."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_active or user.deleted_at is not None:
        return None
    address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary").first()
    return address.email if address else None


def notify_followers(comment_pk: int) -> int:
    """Tell every follower of the comment's discussion, but its author, about it."""
    from charte.discussions.models import Comment, ThreadFollow

    comment = Comment.objects.select_related("user").get(pk=comment_pk)
    target = targets.target_of(comment.content_type_id, comment.object_pk)
    if target is None:
        return 0
    follows = (
        ThreadFollow.objects.filter(content_type_id=comment.content_type_id, object_id=target.pk)
        .exclude(user_id=comment.user_id)
        .filter(user__is_active=True, user__deleted_at__isnull=True)
        .select_related("user")
    )
    sent = 0
    for follow in follows:
        address = verified_address(follow.user)
        if address is None:
            continue
        language = follow.user.preferred_language
        with translation.override(language):
            link = absolute(targets.address_in(target, language))
            token = unfollow_token(follow.user_id, target)
            subject = _("New comment on %(target)s") % {"target": target.discussion_title()}
            stop = absolute(reverse("thread_unfollow", args=[token]))
            body = _(
                "%(author)s wrote in the discussion you follow:\n\n%(text)s\n\n"
                "Read the discussion: %(link)s\n\n"
                "Stop following this discussion (one click): %(stop)s\n"
            ) % {
                "author": comment.author_name,
                "text": comment.comment,
                "link": f"{link}#c{comment.pk}",
                "stop": stop,
            }
        EmailMessage(
            subject=subject,
            body=body,
            to=[address],
            headers={"List-Unsubscribe": f"<{stop}>"},
        ).send()
        sent += 1
    return sent


@task(backend="durable")
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
