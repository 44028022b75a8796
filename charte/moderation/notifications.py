"""E-mails to the moderators: a contribution hidden by its readers' reports is told at once,
since it stays hidden until one of them decides."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from charte.core.rules import MODEL_BACKEND, MODERATE_CONTRIBUTION
from charte.discussions.notifications import absolute, addresses_of


def moderators():
    """The active accounts that can moderate (their group's permission, their own, or
    superusers)."""
    return (
        get_user_model()
        .objects.with_perm(MODERATE_CONTRIBUTION, backend=MODEL_BACKEND)
        .filter(is_active=True, deleted_at__isnull=True)
    )


@task(backend="durable", queue_name="notifications")
def notify_auto_hidden_task(decision_pk: int) -> int:
    """Run by the worker once the automatic hiding is committed."""
    return notify_auto_hidden(decision_pk)


def notify_auto_hidden(decision_pk: int) -> int:
    """Tell every moderator that readers' reports hid a contribution; the number of e-mails."""
    from charte.discussions.models import ModerationDecision

    decision = ModerationDecision.objects.filter(pk=decision_pk).first()
    if decision is None or decision.item is None:
        return 0
    item = decision.item
    people = list(moderators())
    addresses = addresses_of(user.pk for user in people)
    sent = 0
    for user in people:
        address = addresses.get(user.pk)
        if address is None:
            continue
        language = user.preferred_language
        with translation.override(language):
            where = item.moderation_address(language)
            subject = _("Reports hid a contribution: a moderator must decide")
            body = _(
                "Readers reported this contribution (%(reason)s): it is hidden until a "
                "moderator decides to show it again or to keep it hidden.\n\n"
                "The text:\n%(text)s\n\nWhere it was: %(link)s\n\n"
                "Decide in the moderation queue: %(queue)s\n"
            ) % {
                "reason": decision.reason,
                "text": item.moderation_text(),
                "link": absolute(where) if where else "",
                "queue": absolute(reverse("charte_moderation")),
            }
        EmailMessage(subject=subject, body=body, to=[address]).send()
        sent += 1
    return sent
