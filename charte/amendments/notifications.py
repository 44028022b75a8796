"""E-mails about amendments: the author and the supporters are told the team's answer, and
once more if the team corrects it.

Through the durable mail queue, in each person's language, with absolute links."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from charte.amendments.models import Amendment, AnswerCorrection
from charte.core.targets import address_in
from charte.discussions.notifications import absolute, verified_address


@task(backend="durable", queue_name="notifications")
def notify_answer_task(amendment_pk: int) -> int:
    """Run by the worker once the answer is committed."""
    return notify_answer(amendment_pk)


@task(backend="durable", queue_name="notifications")
def notify_answers_task(amendment_pks: list[int]) -> int:
    """One task for a group answer: each amendment's author and supporters are told."""
    return sum(notify_answer(pk) for pk in amendment_pks)


@task(backend="durable", queue_name="notifications")
def notify_correction_task(correction_pk: int) -> int:
    """Run by the worker once the correction is committed."""
    correction = (
        AnswerCorrection.objects.select_related("amendment").filter(pk=correction_pk).first()
    )
    if correction is None:
        return 0
    return notify_answer(correction.amendment_id, correction=correction)


def notify_answer(amendment_pk: int, correction: AnswerCorrection | None = None) -> int:
    """Tell the author of an amendment and those who supported it what the team answered (or,
    with ``correction``, that the team corrected its answer, and why)."""
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
            if correction is not None:
                subject = _("Amendment no. %(number)s: corrected answer, %(status)s") % {
                    "number": amendment.number,
                    "status": amendment.get_status_display(),
                }
                opening = _(
                    "The communication team corrected its answer to amendment no. %(number)s "
                    "(previous answer: %(previous)s). Reason for the correction: %(reason)s"
                ) % {
                    "number": amendment.number,
                    "previous": correction.get_previous_status_display(),
                    "reason": correction.reason,
                }
            elif person.pk == amendment.author_id:
                opening = _("The communication team answered your amendment no. %(number)s.") % {
                    "number": amendment.number
                }
            else:
                opening = _(
                    "The communication team answered amendment no. %(number)s, which you supported."
                ) % {"number": amendment.number}
            body = (
                opening
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


def amendment_url(amendment, language: str) -> str:
    """The amendment's address in ``language`` when its version is translated."""
    return address_in(amendment, language)
