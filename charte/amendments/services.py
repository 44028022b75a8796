"""Writing amendments, their supports and their answers: the only way these rows change.

The opening rules and the identity rules are those of comments
(:mod:`charte.discussions.services`): only on a paragraph of an iteration in consultation,
inside its window, by a signed-in citizen with a verified e-mail who is not blocked; the author
is the account, never a form field.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log
from wagtail.signal_handlers import disable_reference_index_auto_update

from charte.amendments.models import (
    ANSWERS,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AmendmentSupport,
    AnswerCorrection,
    Service,
    SupportValue,
)
from charte.core import switches
from charte.core.formatting import typed_text
from charte.core.rules import can_answer, can_validate_answer, users_with_perm
from charte.core.typography import french
from charte.discussions.services import (
    CommentRefused,
    author_reason,
    closed_reason,
    entry_reason,
)
from charte.texts.paragraphs import Paragraph
from charte.texts.richtext import plain_text, plain_to_html

MAX_LENGTH = 3000

# Wagtail audit-log actions (their labels are registered in charte.amendments.admin).
ACTION_ANSWER = "charte.amendment.answer"
ACTION_CORRECT = "charte.amendment.correct_answer"
ACTION_EXPORT = "charte.export"
ACTION_DRAFT = "charte.amendment.draft_answer"
ACTION_ASSIGN = "charte.amendment.assign"


class AmendmentRefused(CommentRefused):
    """The action is refused; ``message`` says why, in the reader's language, and ``field``
    names the form field at fault, if one is."""


def _clean(kind, text, rationale, paragraph):
    """The amendment's wording and rationale, cleaned; or :class:`AmendmentRefused` naming every
    problem at once (``problems``), so that the form lists them all."""
    problems = []
    if kind not in AmendmentKind.values:
        problems.append(("kind", _("Choose what your amendment does.")))
    text = typed_text(text) if kind != AmendmentKind.DELETE else ""
    rationale = typed_text(rationale)
    if kind == AmendmentKind.MODIFY and not text:
        problems.append(("text", _("Write the wording you propose.")))
    elif kind == AmendmentKind.INSERT and not text:
        problems.append(("text", _("Write the paragraph you propose to add.")))
    elif kind == AmendmentKind.MODIFY and " ".join(text.split()) == " ".join(
        paragraph.text.split()
    ):
        problems.append(
            (
                "text",
                _(
                    "Your wording is the same as the current one: change it, or explain your "
                    "view in a comment."
                ),
            )
        )
    if not rationale:
        problems.append(("rationale", _("Explain why you propose this amendment.")))
    for name, value, label in (
        ("text", text, _("The wording")),
        ("rationale", rationale, _("The rationale")),
    ):
        if len(value) > MAX_LENGTH and name not in dict(problems):
            problems.append(
                (
                    name,
                    _("%(field)s has at most %(max)s characters (yours has %(count)s).")
                    % {"field": label, "max": MAX_LENGTH, "count": len(value)},
                )
            )
    if problems:
        field, message = problems[0]
        raise AmendmentRefused(message, 400, field, problems=problems)
    return text, rationale


def amendment_check(*, paragraph: Paragraph, by, kind: str, text: str, rationale: str):
    """Everything :func:`amendment_propose` checks, without writing: for the preview."""
    _require_open(by, paragraph.iteration)
    if reason := amendment_limit_reason(by, paragraph.iteration):
        raise AmendmentRefused(reason)
    return _clean(kind, text, rationale, paragraph)


def _require_open(by, iteration, now=None, action: str = switches.AMENDMENTS, workshop=None):
    writer_reason = entry_reason(by) if workshop is not None else author_reason(by)
    reason = writer_reason or closed_reason(iteration, now, action)
    if reason:
        raise AmendmentRefused(reason)


def amendments_of(by, iteration) -> int:
    """How many amendments ``by`` has proposed on ``iteration`` (the withdrawn ones aside)."""
    if not by.is_authenticated:
        return 0
    return (
        Amendment.objects.filter(iteration=iteration.source, author=by, workshop__isnull=True)
        .exclude(status=AmendmentStatus.WITHDRAWN)
        .count()
    )


def amendment_limit_reason(by, iteration) -> str | None:
    """The refusal once ``by`` reached the version's limit of amendments per person."""
    source = iteration.source
    if not source.amendments_limit:
        return None
    return switches.limit_reached(source, switches.AMENDMENTS, amendments_of(by, source))


@transaction.atomic
def amendment_propose(
    *,
    paragraph: Paragraph,
    by,
    kind: str,
    text: str = "",
    rationale: str,
    language: str = "fr",
    now: datetime.datetime | None = None,
    workshop=None,
) -> Amendment:
    """Propose an amendment on a frozen paragraph, or raise :class:`AmendmentRefused`. With
    ``workshop``, ``by`` is the facilitator entering what the workshop proposed (see
    :mod:`charte.workshops.services`): it is signed by the workshop, and the limit per person
    does not apply (a workshop is many people)."""
    from wagtail.models import Page

    now = now or timezone.now()
    iteration = paragraph.iteration
    _require_open(by, iteration, now, workshop=workshop)
    text, rationale = _clean(kind, text, rationale, paragraph)
    charter = iteration.get_parent().specific
    Page.objects.select_for_update().filter(pk=charter.pk).first()  # numbers are per charter
    # Counted under the lock (and inside the transaction): two posts at once cannot both pass.
    if workshop is None and (reason := amendment_limit_reason(by, iteration)):
        raise AmendmentRefused(reason)
    last = Amendment.objects.filter(charter=charter).aggregate(n=Max("number"))["n"] or 0
    return Amendment.objects.create(
        paragraph=paragraph,
        iteration=iteration,
        charter=charter,
        number=last + 1,
        kind=kind,
        text=text,
        rationale=rationale,
        author=by,
        language=language,
        created_at=now,
        workshop=workshop,
    )


def is_discussed(amendment: Amendment) -> bool:
    """Someone other than its author supported or commented it."""
    from charte.discussions.services import amendment_comment_count

    return (
        amendment.supports.exists() or amendment_comment_count(amendment, besides_author=True) > 0
    )


@transaction.atomic
def amendment_correct(
    *, amendment: Amendment, by, kind: str, text: str = "", rationale: str
) -> Amendment:
    """The author corrects their amendment, as long as nobody supported or commented it."""
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if not by.is_authenticated or amendment.author_id != by.pk:
        raise AmendmentRefused(_("Only its author can correct this amendment."))
    _require_open(by, amendment.iteration)
    if amendment.status != AmendmentStatus.SUBMITTED:
        raise AmendmentRefused(_("This amendment has been answered or withdrawn: it is final."))
    if is_discussed(amendment):
        raise AmendmentRefused(
            _(
                "Others have already supported or commented this amendment: it can no longer "
                "be corrected."
            ),
        )
    amendment.text, amendment.rationale = _clean(kind, text, rationale, amendment.paragraph)
    amendment.kind = kind
    amendment.edited_at = timezone.now()
    amendment.save(update_fields=["kind", "text", "rationale", "edited_at"])
    return amendment


@transaction.atomic
def amendment_withdraw(*, amendment: Amendment, by) -> Amendment:
    """The author withdraws their amendment while it has no answer."""
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if not by.is_authenticated or amendment.author_id != by.pk:
        raise AmendmentRefused(_("Only its author can withdraw this amendment."))
    if amendment.status != AmendmentStatus.SUBMITTED:
        raise AmendmentRefused(
            _("This amendment has already been answered or withdrawn."), status=400
        )
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.withdrawn_at = timezone.now()
    amendment.save(update_fields=["status", "withdrawn_at"])
    return amendment


def amendment_support(
    *, amendment: Amendment, by, value: str | None, now: datetime.datetime | None = None
) -> AmendmentSupport | None:
    """Say one's position on an amendment (agree / mixed / disagree), change it, or take it
    back with ``value=None``. One row per citizen, whatever the number of requests."""
    if value is not None and value not in SupportValue.values:
        raise AmendmentRefused(_("Choose agree, mixed or disagree."), status=400)
    _require_open(by, amendment.iteration, now, switches.SUPPORTS)
    if amendment.author_id == by.pk:
        raise AmendmentRefused(_("You cannot support your own amendment."), status=400)
    if amendment.status != AmendmentStatus.SUBMITTED:
        raise AmendmentRefused(
            _("This amendment has been answered or withdrawn: supports are closed."), status=400
        )
    if value is None:
        AmendmentSupport.objects.filter(amendment=amendment, user=by).delete()
        return None
    for _attempt in range(3):
        try:
            with transaction.atomic():
                support, _created = AmendmentSupport.objects.update_or_create(
                    amendment=amendment, user=by, defaults={"value": value}
                )
            return support
        except IntegrityError:
            continue  # a simultaneous request created the row: update it instead
    raise AmendmentRefused(_("Please try again."), status=409)


@transaction.atomic
def _answer_checks(*, amendment: Amendment, status: str, response: str, by) -> tuple:
    if not can_answer(by):
        raise AmendmentRefused(_("Only the communication team answers amendments."))
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if status not in ANSWERS:
        raise AmendmentRefused(_("Choose accepted, partially accepted or rejected."), status=400)
    response = (response or "").strip()
    if not response:
        raise AmendmentRefused(_("Write the reasons for this answer: they are public."), status=400)
    if amendment.status == AmendmentStatus.WITHDRAWN:
        raise AmendmentRefused(_("This amendment was withdrawn by its author."), status=400)
    if amendment.integrated_into_id:
        raise AmendmentRefused(
            _("This amendment is already part of the next version: its answer is final."),
            status=400,
        )
    return amendment, response


def _require_validator(by) -> None:
    if not can_answer(by):
        raise AmendmentRefused(_("Only the communication team answers amendments."))
    if not can_validate_answer(by):
        raise AmendmentRefused(
            _(
                "Only those allowed to validate answers publish them: save your answer as a "
                "draft, it will be validated."
            )
        )


ANSWER_FIELDS = [
    "status",
    "response",
    "answered_by",
    "answered_at",
    "validated_by",
    "draft_status",
    "draft_response",
]


def _record_answer(
    amendment: Amendment, *, status: str, response: str, by, now, validated_by=None
) -> None:
    """Publish the answer; a draft, if there was one, is now this answer."""
    amendment.status = status
    amendment.response = response
    amendment.answered_by = by
    amendment.answered_at = now
    amendment.validated_by = validated_by or by
    amendment.draft_status = ""
    amendment.draft_response = ""
    amendment.save(update_fields=ANSWER_FIELDS)


@transaction.atomic
def amendment_answer(*, amendment: Amendment, status: str, response: str, by) -> Amendment:
    """The team's reasoned answer; the author and the supporters are told by e-mail. An answer
    is final: changing it is a correction (:func:`amendment_answer_correct`), which keeps it."""
    from charte.amendments.notifications import notify_answer_task

    _require_validator(by)
    amendment, response = _answer_checks(
        amendment=amendment, status=status, response=response, by=by
    )
    if amendment.is_answered:
        raise AmendmentRefused(_already_answered(), status=400)
    _record_answer(amendment, status=status, response=response, by=by, now=timezone.now())
    log(instance=amendment, action=ACTION_ANSWER, user=by, data={"status": status})
    transaction.on_commit(lambda: notify_answer_task.enqueue(amendment.pk))
    return amendment


@transaction.atomic
def amendment_answer_correct(
    *, amendment: Amendment, by, status: str, response: str, reason: str
) -> AnswerCorrection:
    """Correct a published answer: the previous answer is kept (and shown publicly) with the
    reason for the correction; the author and the supporters are told once."""
    from charte.amendments.notifications import notify_correction_task

    _require_validator(by)
    amendment, response = _answer_checks(
        amendment=amendment, status=status, response=response, by=by
    )
    if not amendment.is_answered:
        raise AmendmentRefused(
            _("This amendment has no answer yet: answer it instead of correcting."), status=400
        )
    reason = typed_text(reason or "").strip()
    if not reason:
        raise AmendmentRefused(
            _("Give the reason for the correction: it is published with the answer."),
            status=400,
            field="reason",
        )
    if status == amendment.status and response == amendment.response:
        raise AmendmentRefused(
            _("The corrected answer is the same as the current one."), status=400
        )
    now = timezone.now()
    correction = AnswerCorrection.objects.create(
        amendment=amendment,
        previous_status=amendment.status,
        previous_response=amendment.response,
        previous_answered_by=amendment.answered_by,
        previous_answered_at=amendment.answered_at,
        reason=reason[:MAX_LENGTH],
        corrected_by=by,
        corrected_at=now,
    )
    _record_answer(amendment, status=status, response=response, by=by, now=now)
    log(
        instance=amendment,
        action=ACTION_CORRECT,
        user=by,
        data={"previous_status": correction.previous_status, "status": status, "reason": reason},
    )
    transaction.on_commit(lambda: notify_correction_task.enqueue(correction.pk))
    return correction


@transaction.atomic
def amendment_answer_draft(*, amendment: Amendment, status: str, response: str, by) -> Amendment:
    """Write (or rewrite) a draft answer: neither public nor e-mailed until someone allowed
    to validate it publishes it (:func:`amendment_answer_validate`)."""
    amendment, response = _answer_checks(
        amendment=amendment, status=status, response=response, by=by
    )
    if amendment.is_answered:
        raise AmendmentRefused(_already_answered(), status=400)
    _record_draft(amendment, status=status, response=response, by=by, now=timezone.now())
    log(instance=amendment, action=ACTION_DRAFT, user=by, data={"status": status})
    return amendment


def _already_answered() -> str:
    return _(
        "This amendment is already answered: its answer is final. To change it, "
        "correct the answer and give the reason, which is published."
    )


def _record_draft(amendment: Amendment, *, status: str, response: str, by, now) -> None:
    amendment.draft_status = status
    amendment.draft_response = response
    amendment.drafted_by = by
    amendment.drafted_at = now
    amendment.save(update_fields=["draft_status", "draft_response", "drafted_by", "drafted_at"])


@transaction.atomic
def amendment_answer_validate(
    *, amendment: Amendment, by, status: str | None = None, response: str | None = None
) -> Amendment:
    """Publish the draft answer of ``amendment`` (as written, or with ``status`` and
    ``response`` amended by the validator): from now on it is public and its author and
    supporters are told by e-mail."""
    from charte.amendments.notifications import notify_answer_task

    _require_validator(by)
    current = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if current.is_answered:
        raise AmendmentRefused(_already_answered(), status=400)
    if not current.draft_status:
        raise AmendmentRefused(_("This amendment has no draft answer to validate."), status=400)
    amendment, response = _answer_checks(
        amendment=current,
        status=status or current.draft_status,
        response=response if response is not None else current.draft_response,
        by=by,
    )
    drafter = amendment.drafted_by or by
    _record_answer(
        amendment,
        status=status or amendment.draft_status,
        response=response,
        by=drafter,
        now=timezone.now(),
        validated_by=by,
    )
    log(
        instance=amendment,
        action=ACTION_ANSWER,
        user=by,
        data={"status": amendment.status, "drafted_by": drafter.pk},
    )
    transaction.on_commit(lambda: notify_answer_task.enqueue(amendment.pk))
    return amendment


@transaction.atomic
def amendments_answer_group(
    *, amendments, status: str, response: str, by, publish: bool = True
) -> list[Amendment]:
    """One reasoned answer for several amendments (near-duplicates, or several proposals on
    one paragraph): the same status and the same reasons are recorded on each, which shows its
    answer on its own page and in the documents. All or nothing: if one of them cannot be
    answered (already answered, withdrawn, integrated), none is, and the refusal names it.

    Published at once (and e-mailed, in one background task) by someone allowed to validate
    with ``publish``; otherwise saved as drafts awaiting validation."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    from charte.amendments.notifications import notify_answers_task

    if not can_answer(by):
        raise AmendmentRefused(_("Only the communication team answers amendments."))
    if publish:
        _require_validator(by)
    pks = sorted({a.pk for a in amendments})
    if not pks:
        raise AmendmentRefused(_("Choose the amendments this answer is for."), 400, "amendments")
    if status not in ANSWERS:
        raise AmendmentRefused(_("Choose accepted, partially accepted or rejected."), 400, "status")
    response = typed_text(response or "").strip()
    if not response:
        raise AmendmentRefused(
            _("Write the reasons for this answer: they are public."), 400, "response"
        )
    locked = list(Amendment.objects.select_for_update().filter(pk__in=pks).order_by("number"))
    final = [
        a
        for a in locked
        if a.is_answered or a.status == AmendmentStatus.WITHDRAWN or a.integrated_into_id
    ]
    if final:
        raise AmendmentRefused(
            _(
                "These amendments are already answered or withdrawn: %(numbers)s. Leave them "
                "out of the group (a published answer is changed by a correction)."
            )
            % {"numbers": ", ".join(str(a.number) for a in final)},
            400,
            "amendments",
        )
    now = timezone.now()
    if publish:
        values = {
            "status": status,
            "response": response,
            "answered_by": by,
            "answered_at": now,
            "validated_by": by,
            "draft_status": "",
            "draft_response": "",
        }
    else:
        values = {
            "draft_status": status,
            "draft_response": response,
            "drafted_by": by,
            "drafted_at": now,
        }
    # One UPDATE for the group; each row's post_save is sent as a save would (the search index
    # listens to it), except to Wagtail's reference index, which the worker refreshes in one
    # task instead of five queries per amendment in the request.
    Amendment.objects.filter(pk__in=pks).update(**values)
    with disable_reference_index_auto_update():
        for amendment in locked:
            for field, value in values.items():
                setattr(amendment, field, value)
            post_save.send(
                sender=Amendment,
                instance=amendment,
                created=False,
                update_fields=frozenset(values),
                raw=False,
                using=amendment._state.db,
            )
    transaction.on_commit(lambda: refresh_references_task.enqueue(pks))
    # The audit log, one entry per amendment, written at once.
    content_type = ContentType.objects.get_for_model(Amendment)
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            object_id=str(amendment.pk),
            label=str(amendment),
            action=ACTION_ANSWER if publish else ACTION_DRAFT,
            timestamp=now,
            user=by,
            data={"status": status, "group": [a.number for a in locked]},
        )
        for amendment in locked
    )
    if publish:
        transaction.on_commit(lambda: notify_answers_task.enqueue(pks))
    return locked


@task(backend="durable", queue_name="search")
def refresh_references_task(amendment_pks: list[int]) -> int:
    """Wagtail's reference index of the amendments a group answer changed."""
    from wagtail.models import ReferenceIndex

    amendments = list(Amendment.objects.filter(pk__in=amendment_pks))
    for amendment in amendments:
        ReferenceIndex.create_or_update_for_object(amendment)
    return len(amendments)


def assignable_people():
    """Who an amendment may be assigned to: the active accounts that may answer."""
    from charte.core.rules import ANSWER_AMENDMENT

    return users_with_perm(ANSWER_AMENDMENT).filter(is_active=True).order_by("username")


@transaction.atomic
def amendment_assign(*, amendment: Amendment, service: Service | None, assignee, by) -> Amendment:
    """Give the amendment to one of the authority's services and/or a member of the team
    (``None`` takes it back)."""
    if not can_answer(by):
        raise AmendmentRefused(_("Only the communication team answers amendments."))
    if assignee is not None and not assignable_people().filter(pk=assignee.pk).exists():
        raise AmendmentRefused(_("Choose someone who may answer amendments."), 400, "assignee")
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if (amendment.service_id, amendment.assignee_id) == (
        getattr(service, "pk", None),
        getattr(assignee, "pk", None),
    ):
        return amendment
    amendment.service = service
    amendment.assignee = assignee
    amendment.save(update_fields=["service", "assignee"])
    log(
        instance=amendment,
        action=ACTION_ASSIGN,
        user=by,
        data={"service": str(service or ""), "assignee": getattr(assignee, "pk", None)},
    )
    return amendment


def log_export(*, model, by, export_format: str, count: int) -> None:
    """Record in the audit log that ``by`` downloaded a listing of ``model`` (the rows leave
    the site with personal data in them). Not about one row: logged against the model."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id="0",
        label=str(model._meta.verbose_name_plural),
        action=ACTION_EXPORT,
        timestamp=timezone.now(),
        user=by,
        data={"format": export_format, "rows": count},
    )


def with_tallies(queryset):
    """Amendments with their supports counted (agree, mixed, disagree, total) in the query."""
    return queryset.annotate(
        agree=Count("supports", filter=Q(supports__value=SupportValue.AGREE), distinct=True),
        mixed=Count("supports", filter=Q(supports__value=SupportValue.MIXED), distinct=True),
        disagree=Count("supports", filter=Q(supports__value=SupportValue.DISAGREE), distinct=True),
        supports_total=Count("supports", distinct=True),
    )


# -- Into the next iteration ---------------------------------------------------------------


def integrate_accepted(*, previous, raw_body: list) -> tuple[list, list, list]:
    """Apply the accepted amendments of ``previous`` to ``raw_body`` (a copy of its text, with
    the same block ids). An amendment is applied when its paragraph is still as it was when
    proposed (not already changed or removed by an earlier amendment of this run); partial
    acceptances and conflicts are left for the editor.

    The wording that enters the text is put into French typography (``core.typography``), as
    the import does: residents type straight apostrophes and plain spaces.

    Returns the new raw body, the amendments applied (each with ``integrated_key`` set: the
    resulting paragraph's block id, empty for a deletion) and those left to integrate by hand.
    """
    import copy
    import uuid

    body = copy.deepcopy(raw_body)
    located = {}
    for section in body:
        for article in section["value"]["articles"]:
            for paragraph in article["value"]["paragraphs"]:
                located[paragraph["id"]] = article["value"]["paragraphs"]
    touched: set[str] = set()
    applied, manual = [], []
    candidates = Amendment.objects.filter(
        iteration=previous,
        status__in=[AmendmentStatus.ACCEPTED, AmendmentStatus.PARTIALLY_ACCEPTED],
        integrated_into__isnull=True,
    ).select_related("paragraph", "author")
    for amendment in candidates.order_by("number"):
        key = amendment.paragraph.key
        siblings = located.get(key)
        block = next((b for b in siblings or [] if b["id"] == key), None)
        unchanged = (
            block is not None
            and key not in touched
            and " ".join(plain_text(block["value"]).split())
            == " ".join(amendment.paragraph.text.split())
        )
        if amendment.status != AmendmentStatus.ACCEPTED or not unchanged:
            manual.append(amendment)
            continue
        if amendment.kind == AmendmentKind.MODIFY:
            block["value"] = plain_to_html(french(amendment.text))
            amendment.integrated_key = key
            touched.add(key)
        elif amendment.kind == AmendmentKind.INSERT:
            new_id = str(uuid.uuid4())
            siblings.insert(
                siblings.index(block) + 1,
                {
                    "type": "paragraph",
                    "value": plain_to_html(french(amendment.text)),
                    "id": new_id,
                },
            )
            located[new_id] = siblings
            amendment.integrated_key = new_id
        else:
            siblings.remove(block)
            del located[key]
            amendment.integrated_key = ""
            touched.add(key)
        applied.append(amendment)
    return body, applied, manual


def pending_integration(iteration):
    """Accepted (in whole or part) amendments of the previous iteration that the draft
    ``iteration`` has not recorded as integrated yet."""
    from charte.texts.pages import CharterIterationPage

    previous = (
        CharterIterationPage.objects.sibling_of(iteration)
        .filter(locale_id=iteration.locale_id, number=iteration.number - 1)
        .first()
    )
    if previous is None:
        return Amendment.objects.none()
    return (
        Amendment.objects.filter(
            iteration=previous,
            status__in=[AmendmentStatus.ACCEPTED, AmendmentStatus.PARTIALLY_ACCEPTED],
            integrated_into__isnull=True,
        )
        .select_related("paragraph", "author")
        .order_by("number")
    )


def _draft_keys(iteration, body=None) -> set[str]:
    """The paragraph keys of the draft ``iteration`` (its latest revision unless ``body``)."""
    from charte.texts.outline import body_outline, outline_paragraphs

    if body is None:
        body = iteration.get_latest_revision_as_object().body
    return {p.key for p in outline_paragraphs(body_outline(body))}


def lost_integrations(iteration, body=None) -> list[Amendment]:
    """Amendments recorded as integrated into the draft ``iteration`` whose resulting
    paragraph is no longer in its text (the editor deleted it, or merged it into another):
    they cannot claim to be part of this version as they stand."""
    integrated = list(
        Amendment.objects.filter(integrated_into=iteration, integration_removed=False)
        .exclude(integrated_key="")
        .select_related("paragraph", "author")
        .order_by("number")
    )
    if not integrated:
        return []
    keys = _draft_keys(iteration, body)
    return [a for a in integrated if a.integrated_key not in keys]


def record_lost_integrations(*, iteration, body) -> list[Amendment]:
    """When ``iteration`` opens with the text ``body``: every integration whose paragraph is
    not in it is recorded as « integrated, then removed » (never claimed as part of it)."""
    lost = lost_integrations(iteration, body)
    for amendment in lost:
        amendment.integration_removed = True
        amendment.save(update_fields=["integration_removed"])
    return lost


@transaction.atomic
def amendment_mark_integrated(*, amendment: Amendment, iteration, key: str, by) -> Amendment:
    """The editor records that ``amendment`` went into paragraph ``key`` of the draft
    ``iteration`` (an empty key: into no paragraph, e.g. a deletion). An integration whose
    paragraph left the draft (:func:`lost_integrations`) is re-pointed the same way."""
    if not can_answer(by):
        raise AmendmentRefused(_("Only the communication team answers amendments."))
    if iteration.frozen_at is not None:
        raise AmendmentRefused(
            _("This iteration is frozen: record integrations before opening it."), 400
        )
    if amendment not in pending_integration(iteration) and amendment not in lost_integrations(
        iteration
    ):
        raise AmendmentRefused(_("This amendment is not waiting to be integrated here."), 400)
    if key and key not in _draft_keys(iteration):
        raise AmendmentRefused(_("Choose a paragraph of this iteration."), 400, "key")
    amendment.integrated_into = iteration
    amendment.integrated_key = key
    amendment.integration_removed = False
    amendment.save(update_fields=["integrated_into", "integrated_key", "integration_removed"])
    return amendment


def export_amendments(user) -> dict:
    """The amendments of ``user`` and their positions on others', for « download my data »."""
    rows = [
        {
            "number": amendment.number,
            "charter": amendment.charter.title,
            "paragraph": amendment.paragraph.get_url(),
            "address": amendment.get_url(),
            "kind": amendment.kind,
            "text": amendment.text,
            "rationale": amendment.rationale,
            "proposed_at": amendment.created_at.isoformat(),
            "status": amendment.status,
            "answer": amendment.response,
            # What a facilitator entered: the workshop or register it is signed by.
            "origin": amendment.origin,
            "workshop": amendment.workshop.signature() if amendment.workshop_id else None,
        }
        for amendment in Amendment.objects.filter(author=user)
        .select_related("charter", "paragraph", "iteration", "workshop")
        .order_by("created_at")
    ]
    positions = [
        {"amendment": support.amendment.get_url(), "position": support.value}
        for support in AmendmentSupport.objects.filter(user=user).select_related(
            "amendment", "amendment__iteration"
        )
    ]
    return {"proposed": rows, "positions": positions}
