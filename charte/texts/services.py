"""State transitions of an iteration: open, close, start the next one, adopt.

Each is a keyword-only function that checks its rules, writes in one transaction and records
who did what in Wagtail's log. A refused transition raises :class:`LifecycleError` whose message
is meant for the person who asked.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log
from wagtail.models import Page

from charte.core import tree
from charte.core.exceptions import Refused
from charte.core.formatting import format_datetime
from charte.core.locales import default_locale
from charte.texts.follows import CharterFollow
from charte.texts.outline import body_outline, outline_paragraphs
from charte.texts.pages import (
    CharterIterationPage,
    CharterPage,
    IterationState,
    opening_publication,
)
from charte.texts.paragraphs import Paragraph, paragraphs_frozen
from charte.texts.translations import carry_translations, publish_translations

ACTION_OPEN = "charte.iteration.open"
ACTION_CLOSE = "charte.iteration.close"
ACTION_START_NEXT = "charte.iteration.start_next"
ACTION_ADOPT = "charte.iteration.adopt"

# What the lifecycle needs from the packages above texts, which it may not import:
# CharteConfig.ready() fills this registry, by name.
#   integrate_accepted(*, previous, raw_body) -> (body, applied, manual)   (amendments)
#   unanswered_amendments(charter) -> the amendments still awaiting an answer (amendments)
#   adoption_create(*, iteration, by, session_date, deliberation_reference, votes_for,
#                   votes_against, abstentions) -> the adoption record   (review)
#   pending_integration(iteration) -> accepted amendments not integrated yet (amendments)
#   record_lost_integrations(*, iteration, body) -> integrations whose paragraph left the
#                   text, now recorded as « integrated, then removed »   (amendments)
#   close_open_debates(*, charter, by, now) -> the debates of the charter closed (debates)
#   announce(event, iteration, at=None) -> the charter's followers told, once committed, that a
#                   version opened, closed (its synthesis public) or was adopted (discussions)
LIFECYCLE: dict[str, Callable] = {}


class LifecycleError(Refused):
    """A transition that the rules refuse; ``message`` says why, in the user's language."""


class IntegrationPending(LifecycleError):
    """Accepted amendments of the previous version wait to be integrated: opening now would
    leave them unrecorded for ever. ``amendments`` lists them, for the screen to link."""

    def __init__(self, amendments):
        numbers = ", ".join(str(a.number) for a in amendments)
        super().__init__(
            ngettext(
                "Amendment no. %(numbers)s of the previous version was accepted and is not "
                "integrated yet: say on « Amendments to integrate » where it went before "
                "opening this version.",
                "Amendments no. %(numbers)s of the previous version were accepted and are not "
                "integrated yet: say on « Amendments to integrate » where each one went before "
                "opening this version.",
                len(amendments),
            )
            % {"numbers": numbers}
        )
        self.amendments = list(amendments)


def _require_integrated(page):
    waiting = list(LIFECYCLE["pending_integration"](page))
    if waiting:
        raise IntegrationPending(waiting)


def _locked_source(iteration) -> tuple[CharterIterationPage, Page]:
    """The source-language iteration and its charter, locked until the transaction ends so
    that two editors acting at once are serialised."""
    source = iteration.source
    charter = Page.objects.select_for_update().get(pk=source.get_parent().pk)
    page = CharterIterationPage.objects.select_for_update().get(pk=source.pk)
    return page, charter


def _siblings(page, charter):
    return (
        CharterIterationPage.objects.child_of(charter)
        .filter(locale_id=page.locale_id)
        .exclude(pk=page.pk)
    )


def _iso(value):
    return value.isoformat() if value else None


def _check_publishable_text(page):
    if not page.live:
        raise LifecycleError(
            _("Publish this iteration first: only a published text can be opened or adopted.")
        )
    if page.has_unpublished_changes:
        raise LifecycleError(
            _(
                "This iteration has changes that are not published. Publish or discard them "
                "first, so that the text frozen is the one the public reads."
            )
        )


def _freeze(page, charter) -> int:
    """Write one immutable Paragraph row per paragraph of the page's body."""
    paragraphs = outline_paragraphs(body_outline(page.body))
    if not paragraphs:
        raise LifecycleError(_("This iteration has no paragraph: write its text first."))
    keys = [p.key for p in paragraphs]
    if any(not key for key in keys) or len(set(keys)) != len(keys):
        raise LifecycleError(
            _(
                "Two paragraphs of this text share one identity: delete one of them and write "
                "it again in the editor, then retry."
            )
        )
    for p in paragraphs:
        if not p.text or not p.article_title or not p.section_title:
            raise LifecycleError(
                _("Article %(number)s has an empty title or paragraph: complete it first.")
                % {"number": p.article_number}
            )
    previous = (
        _siblings(page, charter)
        .filter(number__lt=page.number, frozen_at__isnull=False)
        .order_by("-number")
        .first()
    )
    previous_rows = {row.key: row for row in previous.paragraphs.all()} if previous else {}
    rows = Paragraph.objects.bulk_create(
        Paragraph(
            iteration=page,
            key=p.key,
            position=p.position,
            number=p.number,
            section_key=p.section_key,
            section_title=p.section_title,
            article_key=p.article_key,
            article_number=p.article_number,
            article_title=p.article_title,
            text=p.text,
            html=p.html,
            derived_from=previous_rows.get(p.key),
        )
        for p in paragraphs
    )
    paragraphs_frozen.send(sender=Paragraph, iteration=page, pks=[row.pk for row in rows])
    return len(paragraphs)


@transaction.atomic
def iteration_open(
    *,
    iteration: CharterIterationPage,
    by,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> CharterIterationPage:
    """Open an iteration for consultation: freeze its text into Paragraph rows.

    ``opens_at`` and ``closes_at`` default to the window set on the page (the opening to now).
    """
    now = now or timezone.now()
    page, charter = _locked_source(iteration)
    if page.frozen_at is not None:
        raise LifecycleError(
            _("This iteration was already opened for consultation on %(date)s.")
            % {"date": format_datetime(page.frozen_at)}
        )
    if page.live:
        _check_publishable_text(page)
    opens_at = opens_at or page.opens_at or now
    closes_at = closes_at or page.closes_at
    if closes_at is None:
        raise LifecycleError(_("Choose when the consultation closes."))
    if closes_at <= now:
        raise LifecycleError(
            _("The closing date, %(date)s, has already passed.")
            % {"date": format_datetime(closes_at)}
        )
    if closes_at <= opens_at:
        raise LifecycleError(_("The consultation must close after it opens."))
    _require_integrated(page)
    siblings = list(_siblings(page, charter))
    for sibling in siblings:
        if sibling.current_state(now) == IterationState.CONSULTATION:
            raise LifecycleError(
                _("« %(title)s » is in consultation until %(date)s: close it first.")
                % {"title": sibling.title, "date": format_datetime(sibling.consultation_ends_at())}
            )
        if sibling.state == IterationState.ADOPTED:
            raise LifecycleError(_("This charter has already been adopted."))
        if sibling.frozen_at and sibling.number > page.number:
            raise LifecycleError(
                _("A later iteration, « %(title)s », has already been opened.")
                % {"title": sibling.title}
            )

    if page.live:
        text = page
        if (opens_at, closes_at) != (page.opens_at, page.closes_at):
            # The window is part of the page's content: record it as a published revision.
            page.opens_at, page.closes_at = opens_at, closes_at
            page.save_revision(user=by).publish(user=by)
    else:
        # A draft never made public: its text as last saved is frozen, and it is published
        # at its opening (now, or later by :func:`open_scheduled_consultations`), so that the
        # public never reads it before.
        text = page.get_latest_revision_as_object()
        text.opens_at, text.closes_at = opens_at, closes_at
        revision = text.save_revision(user=by)
        if opens_at <= now:
            revision.publish(user=by)
        page.refresh_from_db()
    count = _freeze(text, charter)
    LIFECYCLE["record_lost_integrations"](iteration=page, body=text.body)
    CharterIterationPage.objects.filter(pk=page.pk).update(
        state=IterationState.CONSULTATION,
        frozen_at=now,
        closed_at=None,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    tree.changed()  # the row is updated, not saved: no signal says it
    page.refresh_from_db()
    if opens_at <= now:
        LIFECYCLE["announce"]("opened", page)
    elif page.live:  # already public: announced when its consultation opens
        LIFECYCLE["announce"]("opened", page, at=opens_at)
    # (a draft opened for later is announced when it is published, below)
    log(
        instance=page,
        action=ACTION_OPEN,
        user=by,
        data={"opens_at": _iso(opens_at), "closes_at": _iso(closes_at), "paragraphs": count},
    )
    return page


@transaction.atomic
def iteration_close(
    *, iteration: CharterIterationPage, by, now: datetime.datetime | None = None
) -> CharterIterationPage:
    """Close a consultation now (before the end of its window)."""
    now = now or timezone.now()
    page, _charter = _locked_source(iteration)
    if page.state != IterationState.CONSULTATION:
        raise LifecycleError(
            _("This iteration is not in consultation (it is « %(state)s »).")
            % {"state": page.current_state_label(now)}
        )
    ends_at = page.consultation_ends_at()
    closed_at = min(now, ends_at) if ends_at else now
    CharterIterationPage.objects.filter(pk=page.pk).update(
        state=IterationState.CLOSED, closed_at=closed_at
    )
    tree.changed()
    page.refresh_from_db()
    LIFECYCLE["announce"]("closed", page)  # its synthesis is public from now on
    log(
        instance=page,
        action=ACTION_CLOSE,
        user=by,
        data={"closed_at": _iso(closed_at), "automatic": by is None},
    )
    return page


def open_scheduled_consultations(*, now: datetime.datetime | None = None) -> list:
    """Publish every version opened for a later date whose opening has come (run from cron),
    with its translations: until then the public does not see it, in any language."""
    now = now or timezone.now()
    opened = []
    due = CharterIterationPage.objects.in_source_locale().filter(
        state=IterationState.CONSULTATION, live=False, opens_at__lte=now
    )
    for iteration in due:
        with transaction.atomic():
            page, _charter = _locked_source(iteration)
            if page.live or page.state != IterationState.CONSULTATION:
                continue
            with opening_publication():
                page.get_latest_revision().publish(user=None)
                publish_translations(page)
            page.refresh_from_db()
            LIFECYCLE["announce"]("opened", page)
            opened.append(page)
    return opened


def close_ended_consultations(*, now: datetime.datetime | None = None) -> list:
    """Record as closed every consultation whose window has ended (run from cron)."""
    now = now or timezone.now()
    closed = []
    ended = CharterIterationPage.objects.filter(
        state=IterationState.CONSULTATION, closes_at__lte=now
    )
    for iteration in ended:
        closed.append(iteration_close(iteration=iteration, by=None, now=now))
    return closed


@transaction.atomic
def iteration_start_next(*, charter: CharterPage, by) -> CharterIterationPage:
    """Create the next iteration as a draft whose text copies the latest one, block ids
    included, so that each paragraph keeps its identity; and its draft translation in every
    language the latest one is translated into, each unchanged wording keeping its
    translation."""
    charter = charter.get_translation_or_none(default_locale()) or charter
    Page.objects.select_for_update().get(pk=charter.pk)
    iterations = list(
        CharterIterationPage.objects.child_of(charter)
        .filter(locale_id=charter.locale_id)
        .order_by("-number")
    )
    if not iterations:
        raise LifecycleError(_("Add the first iteration of this charter first."))
    latest = iterations[0]
    if any(it.state == IterationState.ADOPTED for it in iterations):
        raise LifecycleError(_("This charter has already been adopted: its text is final."))
    if latest.frozen_at is None:
        raise LifecycleError(
            _("« %(title)s » is still a draft: edit it rather than starting another one.")
            % {"title": latest.title}
        )
    if latest.current_state() == IterationState.CONSULTATION:
        raise LifecycleError(
            _("« %(title)s » is still in consultation: close it before starting the next one.")
            % {"title": latest.title}
        )
    number = latest.number + 1
    body, applied, _manual = LIFECYCLE["integrate_accepted"](
        previous=latest, raw_body=list(latest.body.raw_data)
    )
    with translation.override(charter.locale.language_code):
        title = _("Version %(number)s") % {"number": number}
        label = _("Amended version")
    new = CharterIterationPage(
        title=title,
        slug=_free_slug(charter, f"v{number}"),
        label=label,
        summary="",
        number=number,
        body=body,
        live=False,
        owner=by,
    )
    charter.add_child(instance=new)
    new.save_revision(user=by, log_action=True)
    for amendment in applied:
        amendment.integrated_into = new
        amendment.save(update_fields=["integrated_into", "integrated_key"])
    translated = carry_translations(previous=latest, new=new, by=by)
    log(
        instance=new,
        action=ACTION_START_NEXT,
        user=by,
        data={
            "previous": latest.pk,
            "amendments": [a.number for a in applied],
            "translations": sorted(page.locale.language_code for page in translated),
        },
    )
    return new


def _free_slug(parent, slug):
    candidate, suffix = slug, 1
    while not Page._slug_is_available(candidate, parent):
        suffix += 1
        candidate = f"{slug}-{suffix}"
    return candidate


@transaction.atomic
def iteration_adopt(
    *,
    iteration: CharterIterationPage,
    by,
    session_date: datetime.date,
    deliberation_reference: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    now: datetime.datetime | None = None,
):
    """Record the council's adoption of an iteration, which becomes the adopted version."""
    now = now or timezone.now()
    page, charter = _locked_source(iteration)
    siblings = list(_siblings(page, charter))
    if page.state == IterationState.ADOPTED or any(
        s.state == IterationState.ADOPTED for s in siblings
    ):
        raise LifecycleError(_("This charter has already been adopted."))
    if any(s.number > page.number for s in siblings):
        raise LifecycleError(_("Only the latest iteration of the charter can be adopted."))
    state = page.current_state(now)
    if state == IterationState.CONSULTATION:
        raise LifecycleError(
            _("The consultation is still open: close it before recording the adoption.")
        )
    if state == IterationState.SUPERSEDED:
        raise LifecycleError(_("This iteration has been superseded."))
    deliberation_reference = (deliberation_reference or "").strip()
    if not deliberation_reference:
        raise LifecycleError(_("Give the reference of the council's deliberation."))
    if session_date > timezone.localdate(now):
        raise LifecycleError(_("The council session date cannot be in the future."))
    for value in (votes_for, votes_against, abstentions):
        if value is None or value < 0:
            raise LifecycleError(_("Votes are counted with whole numbers, zero or more."))
    if votes_for <= votes_against:
        raise LifecycleError(
            _("With %(for)s votes for and %(against)s against, the council did not adopt the text.")
            % {"for": votes_for, "against": votes_against}
        )
    waiting = list(LIFECYCLE["unanswered_amendments"](charter).values_list("number", flat=True))
    if waiting:
        raise LifecycleError(
            ngettext(
                "Amendment no. %(numbers)s still awaits an answer: every amendment is answered "
                "before the adoption is recorded.",
                "Amendments no. %(numbers)s still await an answer: every amendment is answered "
                "before the adoption is recorded.",
                len(waiting),
            )
            % {"numbers": ", ".join(str(n) for n in waiting)}
        )
    if page.frozen_at is None:
        _check_publishable_text(page)
        _require_integrated(page)
        _freeze(page, charter)
        LIFECYCLE["record_lost_integrations"](iteration=page, body=page.body)
    adoption = LIFECYCLE["adoption_create"](
        iteration=page,
        session_date=session_date,
        deliberation_reference=deliberation_reference,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        by=by,
    )
    CharterIterationPage.objects.filter(pk=page.pk).update(
        state=IterationState.ADOPTED, frozen_at=page.frozen_at or now
    )
    CharterIterationPage.objects.filter(pk__in=[s.pk for s in siblings]).exclude(
        state=IterationState.DRAFT
    ).update(state=IterationState.SUPERSEDED)
    tree.changed()
    debates = LIFECYCLE["close_open_debates"](charter=charter.specific, by=by, now=now)
    page.refresh_from_db()
    LIFECYCLE["announce"]("adopted", page)
    log(
        instance=page,
        action=ACTION_ADOPT,
        user=by,
        data={
            "session_date": session_date.isoformat(),
            "deliberation_reference": deliberation_reference,
            "votes_for": votes_for,
            "votes_against": votes_against,
            "abstentions": abstentions,
            "result": adoption.result,
            "debates_closed": [debate.pk for debate in debates],
        },
    )
    return adoption


# -- Following a charter ---------------------------------------------------------------------


def charter_follow_start(*, charter: CharterPage, by) -> bool:
    """``by`` follows ``charter`` (in whichever language): e-mailed when a version opens, when
    a consultation's synthesis is published, when it is adopted. True if new."""
    return CharterFollow.objects.get_or_create(user=by, charter=source_charter(charter))[1]


def charter_follow_stop(*, charter: CharterPage, by) -> int:
    """``by`` no longer follows ``charter``; the number of rows removed."""
    return CharterFollow.objects.filter(user=by, charter=source_charter(charter)).delete()[0]


def is_following_charter(charter: CharterPage, user) -> bool:
    return (
        user.is_authenticated
        and CharterFollow.objects.filter(user=user, charter=source_charter(charter)).exists()
    )


def source_charter(charter) -> CharterPage:
    """The charter's page in the default language (what a follow points at)."""
    default = default_locale()
    if charter.locale_id == default.pk:
        return charter
    return charter.get_translation_or_none(default) or charter
