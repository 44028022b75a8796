"""E-mails to the people who follow a paragraph's discussion.

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


def unfollow_token(user_pk: int, paragraph_pk: int) -> str:
    return signing.dumps({"u": user_pk, "p": paragraph_pk}, salt=UNFOLLOW_SALT)


def read_unfollow_token(token: str) -> tuple[int, int]:
    """Raise signing.BadSignature (or SignatureExpired) for a forged or old link."""
    data = signing.loads(token, salt=UNFOLLOW_SALT, max_age=UNFOLLOW_MAX_AGE)
    return int(data["u"]), int(data["p"])


def paragraph_url(paragraph, language: str) -> str:
    """The paragraph's address in ``language`` when the version is translated."""
    iteration = paragraph.iteration
    locale = Locale.objects.filter(language_code=language).first()
    page = iteration.get_translation_or_none(locale) if locale else None
    if page is None or not page.live:
        page = iteration
    return paragraph.get_url(page)


@task(backend="durable")
def notify_followers_task(comment_pk: int) -> int:
    """Run by the worker: the request that published the comment does not wait for e-mails."""
    return notify_followers(comment_pk)


def notify_followers(comment_pk: int) -> int:
    """Tell every follower of the comment's paragraph, but its author, about it."""
    from allauth.account.models import EmailAddress

    from .models import Comment, Paragraph, ThreadFollow

    comment = Comment.objects.select_related("user").get(pk=comment_pk)
    paragraph = Paragraph.objects.select_related("iteration").get(pk=int(comment.object_pk))
    follows = (
        ThreadFollow.objects.filter(paragraph=paragraph)
        .exclude(user_id=comment.user_id)
        .filter(user__is_active=True, user__deleted_at__isnull=True)
        .select_related("user")
    )
    sent = 0
    for follow in follows:
        address = (
            EmailAddress.objects.filter(user=follow.user, verified=True)
            .order_by("-primary")
            .first()
        )
        if address is None:
            continue
        with translation.override(follow.user.preferred_language):
            link = absolute(paragraph_url(paragraph, follow.user.preferred_language))
            stop = absolute(
                reverse("thread_unfollow", args=[unfollow_token(follow.user_id, paragraph.pk)])
            )
            subject = _("New comment on article %(article)s, paragraph %(number)s") % {
                "article": paragraph.article_number,
                "number": paragraph.number,
            }
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
            to=[address.email],
            headers={"List-Unsubscribe": f"<{stop}>"},
        ).send()
        sent += 1
    return sent
