"""E-mails about discussions: to the people who follow a paragraph's discussion, and to the
author concerned by a moderation decision.

Each goes through the durable mail queue; links are absolute addresses of the site, and the
one-click « stop following » link is signed with django.core.signing and expires.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Locale

UNFOLLOW_SALT = "charte.unfollow"
UNFOLLOW_MAX_AGE = 60 * 60 * 24 * 90  # 90 days


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


TOKEN_KEYS = {"paragraph": "p", "amendment": "a", "argument": "g"}


def unfollow_token(user_pk: int, paragraph_pk=None, amendment_pk=None, argument_pk=None) -> str:
    """A signed, expiring link to stop following a discussion (a paragraph's, an amendment's or
    an argument's)."""
    pks = {"paragraph": paragraph_pk, "amendment": amendment_pk, "argument": argument_pk}
    kind = next(kind for kind, pk in pks.items() if pk is not None)
    return signing.dumps({"u": user_pk, TOKEN_KEYS[kind]: pks[kind]}, salt=UNFOLLOW_SALT)


def read_unfollow_token(token: str) -> tuple[int, str, int]:
    """(user pk, "paragraph", "amendment" or "argument", its pk). Raise signing.BadSignature
    (or SignatureExpired) for a forged or old link."""
    data = signing.loads(token, salt=UNFOLLOW_SALT, max_age=UNFOLLOW_MAX_AGE)
    for kind, key in TOKEN_KEYS.items():
        if key in data:
            return int(data["u"]), kind, int(data[key])
    raise signing.BadSignature("no discussion named")


def page_in_language(iteration, language: str):
    """The iteration's published translation in ``language``, or the iteration itself."""
    locale = Locale.objects.filter(language_code=language).first()
    page = iteration.get_translation_or_none(locale) if locale else None
    if page is None or not page.live:
        return iteration
    return page


def paragraph_url(paragraph, language: str) -> str:
    """The paragraph's address in ``language`` when the version is translated."""
    return paragraph.get_url(page_in_language(paragraph.iteration, language))


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
    from charte.discussions.services import follow_fields, target_kind, target_of
    from charte.models import Comment, ThreadFollow

    comment = Comment.objects.select_related("user").get(pk=comment_pk)
    target = target_of(comment)
    if target is None:
        return 0
    kind = target_kind(target)
    follows = (
        ThreadFollow.objects.filter(**follow_fields(target))
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
            link = absolute(thread_url(target, language))
            token = unfollow_token(follow.user_id, **{f"{kind}_pk": target.pk})
            if kind == "paragraph":
                subject = _("New comment on article %(article)s, paragraph %(number)s") % {
                    "article": target.article_number,
                    "number": target.number,
                }
            elif kind == "argument":
                subject = _("New comment on the argument « %(title)s »") % {"title": target.title}
            else:
                subject = _("New comment on amendment no. %(number)s") % {"number": target.number}
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


def notify_decision(decision_pk: int) -> bool:
    """Tell the author concerned what the moderators decided, and why. Returns whether an
    e-mail was queued (not for an unblocking nobody asked about, nor without an address)."""
    from charte.discussions.services import target_of
    from charte.models import ModerationAction, ModerationDecision

    decision = (
        ModerationDecision.objects.select_related("comment", "subject", "argument__debate")
        .filter(pk=decision_pk)
        .first()
    )
    if decision is None:
        return False
    user = decision.subject
    address = verified_address(user)
    if address is None:
        return False
    comment = decision.comment
    with translation.override(user.preferred_language):
        link = ""
        target = target_of(comment) if comment is not None else None
        if target is not None:
            link = absolute(f"{thread_url(target, user.preferred_language)}#c{comment.pk}")
        reason = decision.reason
        texts = {
            ModerationAction.APPROVE: (
                _("Your comment is published"),
                _("The moderators approved your comment: it is now public.\n\n%(link)s\n"),
            ),
            ModerationAction.HIDE: (
                _("Your comment has been hidden"),
                _(
                    "The moderators hid your comment. In its place, readers see this reason: "
                    "« %(reason)s ».\n\nThe discussion: %(link)s\n\nYour text:\n%(text)s\n"
                ),
            ),
            ModerationAction.AUTO_HIDE: (
                _("Your comment is hidden until a moderator decides"),
                _(
                    "Several readers reported your comment, so it is hidden until a moderator "
                    "reads it and decides. You will be told of the decision.\n\n%(link)s\n"
                ),
            ),
            ModerationAction.RESTORE: (
                _("Your comment is visible again"),
                _("The moderators made your comment visible again.\n\n%(link)s\n"),
            ),
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
        text = comment.comment if comment is not None else ""
        argument = decision.argument
        if argument is not None:
            link = absolute(thread_url(argument, user.preferred_language))
            text = argument.text
            texts.update(argument_decision_texts())
        subject, body = texts[decision.action]
        body = body % {"link": link, "reason": reason, "text": text}
    EmailMessage(subject=str(subject), body=body, to=[address]).send()
    return True


def argument_decision_texts() -> dict:
    """What the author of an argument is told of each decision about it."""
    from charte.models import ModerationAction

    return {
        ModerationAction.APPROVE: (
            _("Your argument is published"),
            _("The moderators approved your argument: it is now public.\n\n%(link)s\n"),
        ),
        ModerationAction.HIDE: (
            _("Your argument has been hidden"),
            _(
                "The moderators hid your argument. In its place, readers see this reason: "
                "« %(reason)s ».\n\nThe debate: %(link)s\n\nYour text:\n%(text)s\n"
            ),
        ),
        ModerationAction.AUTO_HIDE: (
            _("Your argument is hidden until a moderator decides"),
            _(
                "Several readers reported your argument, so it is hidden until a moderator "
                "reads it and decides. You will be told of the decision.\n\n%(link)s\n"
            ),
        ),
        ModerationAction.RESTORE: (
            _("Your argument is visible again"),
            _("The moderators made your argument visible again.\n\n%(link)s\n"),
        ),
    }


@task(backend="durable")
def notify_answer_task(amendment_pk: int) -> int:
    """Run by the worker once the answer is committed."""
    return notify_answer(amendment_pk)


def notify_answer(amendment_pk: int) -> int:
    """Tell the author of an amendment and those who supported it what the team answered."""
    from charte.models import Amendment

    amendment = (
        Amendment.objects.select_related("author", "iteration", "answered_by")
        .filter(pk=amendment_pk)
        .first()
    )
    if amendment is None or not amendment.is_answered:
        return 0
    people = [amendment.author] + [
        support.user for support in amendment.supports.select_related("user")
    ]
    sent = 0
    for person in people:
        address = verified_address(person)
        if address is None:
            continue
        language = person.preferred_language
        with translation.override(language):
            link = absolute(amendment_url(amendment, language))
            subject = _("Amendment no. %(number)s: %(status)s") % {
                "number": amendment.number,
                "status": amendment.get_status_display(),
            }
            if person.pk == amendment.author_id:
                opening = _("The communication team answered your amendment no. %(number)s.")
            else:
                opening = _(
                    "The communication team answered amendment no. %(number)s, which you supported."
                )
            body = (
                opening % {"number": amendment.number}
                + "\n\n"
                + _("Answer: %(status)s") % {"status": amendment.get_status_display()}
                + "\n\n"
                + amendment.response
                + "\n\n"
                + _("Read the amendment and its answer: %(link)s") % {"link": link}
                + "\n"
            )
        EmailMessage(subject=subject, body=body, to=[address]).send()
        sent += 1
    return sent


def thread_url(target, language: str) -> str:
    """The address of ``target``'s discussion (paragraph, amendment or argument) in
    ``language`` when its page is translated."""
    from charte.discussions.services import target_kind

    kind = target_kind(target)
    if kind == "paragraph":
        return paragraph_url(target, language)
    if kind == "argument":
        return target.get_url(page_in_language(target.debate, language))
    return amendment_url(target, language)


def amendment_url(amendment, language: str) -> str:
    """The amendment's address in ``language`` when its version is translated."""
    return amendment.get_url(page_in_language(amendment.iteration, language))
