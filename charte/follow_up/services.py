"""Writes of the follow-up: commitments recorded under the articles of an adopted version, their
dated updates (each told once to the commitment's followers, through the queue), and their
indicators' values.

Every function is keyword-only and raises :class:`FollowUpRefused` (a ``Refused``: its message
is in the user's language, its ``field`` names the form field at fault) for what the rules
refuse; forms show it and keep what was typed.
"""

from __future__ import annotations

import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from charte.accounts.models import ThreadEmails
from charte.core.exceptions import Refused
from charte.core.formatting import format_date
from charte.core.targets import page_in_language, target_type
from charte.discussions.models import Comment, ThreadFollow
from charte.discussions.notifications import absolute, addresses_of, unfollow_token
from charte.follow_up.models import (
    DEFAULT_QUESTIONS,
    REASONED,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Question,
    Questionnaire,
)
from charte.texts.pages import CharterIterationPage, CharterPage, IterationState
from charte.texts.paragraphs import Paragraph

ACTION_UPDATE = "charte.commitment.update"
BATCH = 200  # followers e-mailed per task


class FollowUpRefused(Refused):
    """What the follow-up's rules refuse; ``message`` says why, ``field`` where."""

    status = 400


def adopted_version(charter: CharterPage) -> CharterIterationPage | None:
    """The adopted version of ``charter`` (its page in the default language), if any."""
    source = charter.specific
    return (
        CharterIterationPage.objects.child_of(source)
        .filter(locale_id=source.locale_id, state=IterationState.ADOPTED)
        .order_by("-number")
        .first()
    )


def articles_of(iteration: CharterIterationPage) -> list[tuple[int, str]]:
    """The articles of ``iteration``: (number, title), in order."""
    return list(
        Paragraph.objects.filter(iteration=iteration)
        .order_by("article_number")
        .values_list("article_number", "article_title")
        .distinct()
    )


def _check(
    *,
    iteration: CharterIterationPage | None,
    article_number: int,
    status: str,
    reason: str,
    starts_on: datetime.date | None = None,
    due_on: datetime.date | None = None,
) -> None:
    problems = []
    if iteration is None or iteration.state != IterationState.ADOPTED:
        problems.append(
            (
                "charter",
                _("Commitments follow an adopted charter: this charter has no adopted version."),
            )
        )
    elif not Paragraph.objects.filter(iteration=iteration, article_number=article_number).exists():
        problems.append(
            (
                "article_number",
                _("The adopted version has no article %(number)s.") % {"number": article_number},
            )
        )
    if status in REASONED and not (reason or "").strip():
        problems.append(
            (
                "status_reason",
                _("Say publicly why it is postponed or abandoned."),
            )
        )
    if starts_on and due_on and due_on < starts_on:
        problems.append(("due_on", _("The due date comes after the start.")))
    if problems:
        field, message = problems[0]
        raise FollowUpRefused(message, field=field, problems=problems)


def commitment_create(
    *,
    charter: CharterPage,
    article_number: int,
    title: str,
    description: str,
    by,
    status: str = CommitmentStatus.PLANNED,
    status_reason: str = "",
    is_published: bool = False,
    **fields,
) -> Commitment:
    """Record a commitment under article ``article_number`` of ``charter``'s adopted version,
    numbered next in the charter."""
    charter = CharterPage.objects.get(pk=charter.pk)
    iteration = adopted_version(charter)
    _check(
        iteration=iteration,
        article_number=article_number,
        status=status,
        reason=status_reason,
        starts_on=fields.get("starts_on"),
        due_on=fields.get("due_on"),
    )
    with transaction.atomic():
        CharterPage.objects.select_for_update().filter(pk=charter.pk).first()
        last = Commitment.objects.filter(charter=charter).aggregate(last=Max("number"))["last"]
        commitment = Commitment.objects.create(
            charter=charter,
            iteration=iteration,
            number=(last or 0) + 1,
            article_number=article_number,
            title=title,
            description=description,
            status=status,
            status_reason=status_reason,
            is_published=is_published,
            created_by=by,
            **fields,
        )
    return commitment


def commitment_check(commitment: Commitment) -> None:
    """Raise :class:`FollowUpRefused` when ``commitment`` (being edited) breaks a rule."""
    iteration = commitment.iteration if commitment.iteration_id else None
    if iteration is None and commitment.charter_id:
        iteration = adopted_version(commitment.charter)
    _check(
        iteration=iteration,
        article_number=commitment.article_number,
        status=commitment.status,
        reason=commitment.status_reason,
        starts_on=commitment.starts_on,
        due_on=commitment.due_on,
    )


def commitment_save(*, commitment: Commitment, by) -> Commitment:
    """Save a commitment edited in the admin (numbered and placed on the adopted version when
    it is new)."""
    commitment_check(commitment)
    if commitment.pk:
        commitment.save()
        return commitment
    fields = {
        field.name: getattr(commitment, field.name)
        for field in Commitment._meta.concrete_fields
        if field.name
        not in (
            "id",
            "charter",
            "iteration",
            "number",
            "article_number",
            "title",
            "description",
            "created_by",
            "status",
            "status_reason",
            "is_published",
            "created_at",
            "updated_at",
        )
    }
    return commitment_create(
        charter=commitment.charter,
        article_number=commitment.article_number,
        title=commitment.title,
        description=commitment.description,
        status=commitment.status,
        status_reason=commitment.status_reason,
        is_published=commitment.is_published,
        by=by,
        **fields,
    )


def update_publish(
    *,
    commitment: Commitment,
    text: str,
    by,
    text_en: str = "",
    published_on: datetime.date | None = None,
    status: str = "",
    status_reason: str | None = None,
    progress: int | None = None,
    update: CommitmentUpdate | None = None,
) -> CommitmentUpdate:
    """Publish a dated update of ``commitment`` (``update``: one already built, with its photos
    and documents, as the admin form gives it), moving its status and progress when given;
    once committed, its followers are told (once)."""
    if not (text or "").strip():
        raise FollowUpRefused(_("Say what happened."), field="text")
    if progress is not None and not 0 <= progress <= 100:
        raise FollowUpRefused(_("Progress is a percentage, from 0 to 100."), field="progress")
    reason = commitment.status_reason if status_reason is None else status_reason
    if status in REASONED and not (reason or "").strip():
        raise FollowUpRefused(_("Say publicly why it is postponed or abandoned."), field="status")
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        update = update or CommitmentUpdate()
        update.commitment = commitment
        update.text, update.text_en = text, text_en
        update.published_on = published_on or update.published_on or timezone.localdate()
        update.status = status or ""
        update.progress = progress
        update.author = update.author or by
        update.save()
        changed = ["updated_at"]
        if status:
            commitment.status = status
            changed.append("status")
            if status_reason is not None:
                commitment.status_reason = status_reason
                changed.append("status_reason")
        if progress is not None:
            commitment.progress = progress
            changed.append("progress")
        elif status == CommitmentStatus.DONE:
            commitment.progress = 100
            changed.append("progress")
        commitment.save(update_fields=changed)
        log(
            instance=commitment,
            action=ACTION_UPDATE,
            user=by,
            data={
                "update": update.pk,
                "status": commitment.status,
                "progress": commitment.progress,
            },
        )
        if commitment.is_published:
            pk = update.pk
            transaction.on_commit(lambda: notify_update_followers_task.enqueue(pk, 0))
    return update


def commitment_publish(*, commitment: Commitment, by) -> Commitment:
    """Make a commitment public (its page, its discussion, search and open data)."""
    commitment_check(commitment)
    commitment.is_published = True
    # A save (not a queryset update): its post_save signal indexes it again for search.
    commitment.save(update_fields=["is_published", "updated_at"])
    return commitment


def commitment_dependents(commitment: Commitment) -> dict[str, int]:
    """What hangs on ``commitment``: its updates and the comments of its discussion."""
    return {
        "updates": commitment.updates.count(),
        "comments": Comment.objects.filter(
            content_type=target_type(Commitment), object_pk=str(commitment.pk)
        ).count(),
    }


def commitment_delete_check(commitment: Commitment) -> None:
    """Raise :class:`FollowUpRefused` when ``commitment`` has updates or comments: its public
    timeline and discussion stay (it is unpublished instead)."""
    counts = commitment_dependents(commitment)
    if counts["updates"] or counts["comments"]:
        raise FollowUpRefused(
            _(
                "« %(title)s » cannot be deleted: its updates (%(updates)s) and comments "
                "(%(comments)s) have been public. Unpublish it instead: they stay on record."
            )
            % {"title": commitment.title, **counts}
        )


def commitment_delete(*, commitment: Commitment, by) -> None:
    """Delete a commitment recorded by mistake (refused once it has updates or comments); its
    follows go with it."""
    commitment_delete_check(commitment)
    with transaction.atomic():
        ThreadFollow.objects.filter(
            content_type=target_type(Commitment), object_id=commitment.pk
        ).delete()
        commitment.delete()


def questionnaire_for(iteration: CharterIterationPage) -> Questionnaire:
    """The questionnaire of ``iteration``'s consultation (its page in the default language),
    created with the default questions the first time it is asked for."""
    source = iteration.specific.source
    questionnaire, created = Questionnaire.objects.get_or_create(iteration=source)
    if created:
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire, text=text, text_en=text_en, kind=kind, sort_order=n
            )
            for n, (text, text_en, kind) in enumerate(DEFAULT_QUESTIONS)
        )
    return questionnaire


# -- Telling the followers ---------------------------------------------------------------------


@task(backend="durable", queue_name="notifications")
def notify_update_followers_task(update_pk: int, after: int = 0) -> int:
    """One batch of the followers of an update's commitment; queues the next batch."""
    sent, last = notify_update_followers(update_pk, after=after)
    if last is not None:
        notify_update_followers_task.enqueue(update_pk, last)
    return sent


def _update_message(update: CommitmentUpdate, follow, address: str) -> EmailMessage:
    commitment = update.commitment
    language = follow.user.preferred_language
    with translation.override(language):
        charter = commitment.charter.specific
        page = page_in_language(charter, language)
        link = absolute(commitment.get_url(page))
        stop = absolute(
            reverse("thread_unfollow", args=[unfollow_token(follow.user_id, commitment)])
        )
        subject = _("News of the commitment « %(title)s »") % {"title": commitment.shown_title}
        lines = [
            _("%(date)s – %(charter)s, article %(article)s")
            % {
                "date": format_date(update.published_on),
                "charter": page.title,
                "article": commitment.article_number,
            },
            "",
            update.shown_text,
            "",
            _("Status: %(status)s, %(progress)s %% done.")
            % {"status": commitment.get_status_display(), "progress": commitment.progress},
            "",
            _("Read the commitment and its timeline: %(link)s") % {"link": link},
            "",
            _("You receive this e-mail because you follow this commitment.")
            + " "
            + _("Stop following it (one click): %(stop)s") % {"stop": stop},
        ]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        to=[address],
        headers={"List-Unsubscribe": f"<{stop}>"},
    )


def notify_update_followers(update_pk: int, *, after: int = 0):
    """E-mail up to BATCH followers of the update's commitment (after the follow ``after``):
    (the number queued, the last follow handled when more may follow, else None). The first
    batch claims the update (``notified_at``) by a conditional update: it is told once."""
    update = (
        CommitmentUpdate.objects.filter(pk=update_pk)
        .select_related("commitment", "commitment__charter")
        .first()
    )
    if update is None or not update.commitment.is_published:
        return 0, None
    if after == 0:
        claimed = CommitmentUpdate.objects.filter(pk=update_pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return 0, None
    follows = list(
        ThreadFollow.objects.filter(
            content_type=target_type(Commitment),
            object_id=update.commitment_id,
            pk__gt=after,
            user__is_active=True,
            user__deleted_at__isnull=True,
        )
        .exclude(user__thread_emails=ThreadEmails.NONE)
        .select_related("user")
        .order_by("pk")[:BATCH]
    )
    if not follows:
        return 0, None
    addresses = addresses_of(follow.user_id for follow in follows)
    sent = 0
    for follow in follows:
        address = addresses.get(follow.user_id)
        if address is None:
            continue
        _update_message(update, follow, address).send()
        sent += 1
    return sent, (follows[-1].pk if len(follows) == BATCH else None)
