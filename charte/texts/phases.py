"""One truth for the phases of a charter: where it stands is read from its versions' states and
dates, never from the dates typed into its timeline; the timeline's phases take their status
from it, and the team is warned where what it typed disagrees."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from charte.core.formatting import format_date, format_datetime

# What a phase of the timeline stands for (its « kind »); an empty kind is read from the title.
CONSULTATION, ADOPTION, OTHER = "consultation", "adoption", "other"
KIND_WORDS = {
    CONSULTATION: ("consultation", "concertation"),
    ADOPTION: ("adoption", "vote", "délibération", "deliberation"),
}
PAST, CURRENT, UPCOMING = "past", "current", "upcoming"


@dataclass
class Standing:
    """Where a charter stands, from its versions (in the source language)."""

    stage: str  # "preparation", "scheduled", "consultation", "closed", "adopted"
    iteration: object = None
    date: datetime.datetime | datetime.date | None = None
    next_draft: object = None

    @property
    def text(self) -> str:
        title = self.iteration.title if self.iteration is not None else ""
        if self.stage == "adopted":
            return gettext("%(title)s was adopted by the council on %(date)s.") % {
                "title": title,
                "date": format_date(self.date),
            }
        if self.stage == "consultation":
            return gettext("Consultation on %(title)s, open until %(date)s.") % {
                "title": title,
                "date": format_datetime(self.date),
            }
        if self.stage == "scheduled":
            return gettext("The consultation on %(title)s opens on %(date)s.") % {
                "title": title,
                "date": format_datetime(self.date),
            }
        if self.stage == "closed":
            if self.next_draft is not None:
                return gettext(
                    "The consultation on %(title)s closed on %(date)s; the team is preparing "
                    "%(next)s."
                ) % {
                    "title": title,
                    "date": format_datetime(self.date),
                    "next": self.next_draft.title,
                }
            return gettext(
                "The consultation on %(title)s closed on %(date)s; the council's decision is "
                "to come."
            ) % {"title": title, "date": format_datetime(self.date)}
        return gettext("The text is being drafted: no version is open for consultation yet.")


def standing(iterations, now=None) -> Standing:
    """Where the charter stands, from its versions in the source language (``iterations``,
    in any order; their ``state``, window and adoption)."""
    from charte.texts.pages import IterationState

    now = now or timezone.now()
    iterations = sorted(iterations, key=lambda it: it.number or 0)
    for iteration in iterations:
        if iteration.state == IterationState.ADOPTED:
            adoption = getattr(iteration, "adoption", None)
            date = adoption.session_date if adoption is not None else iteration.frozen_at
            return Standing("adopted", iteration, date)
    frozen = [it for it in iterations if it.frozen_at is not None]
    if not frozen:
        return Standing("preparation", iterations[-1] if iterations else None)
    latest = frozen[-1]
    state = latest.current_state(now)
    if state == IterationState.CONSULTATION:
        if latest.opens_at and latest.opens_at > now:
            return Standing("scheduled", latest, latest.opens_at)
        return Standing("consultation", latest, latest.consultation_ends_at())
    drafts = [it for it in iterations if it.frozen_at is None and it.number > latest.number]
    return Standing("closed", latest, latest.consultation_ends_at(), drafts[0] if drafts else None)


def phase_kind(phase) -> str:
    """What a phase of the timeline stands for: its kind, or else what its title says."""
    kind = phase.get("kind") or ""
    if kind:
        return kind
    title = str(phase.get("title") or "").casefold()
    for candidate, words in KIND_WORDS.items():
        if any(word in title for word in words):
            return candidate
    return OTHER


def _by_dates(phase, today) -> str:
    start, end = phase.get("start"), phase.get("end")
    if start and start > today:
        return UPCOMING
    if end and end < today:
        return PAST
    return CURRENT


def _by_versions(kind, where: Standing) -> str | None:
    if kind == CONSULTATION:
        if where.stage == "adopted":
            return PAST
        if where.stage in ("consultation", "closed"):
            return CURRENT
        return UPCOMING
    if kind == ADOPTION:
        return PAST if where.stage == "adopted" else UPCOMING
    return None


@dataclass
class TimelinePhase:
    title: str
    start: datetime.date | None
    end: datetime.date | None
    description: str
    kind: str
    status: str  # past, current, upcoming: from the versions where the phase is about them
    typed_status: str  # what the typed dates alone would say
    warnings: list = field(default_factory=list)

    @property
    def disagrees(self) -> bool:
        return self.status != self.typed_status


def timeline(charter_timeline, where: Standing, today=None) -> list[TimelinePhase]:
    """The phases of a charter's timeline, each with its status: the consultation and adoption
    phases follow the versions; the others follow their dates. Once adopted, no phase before
    the adoption is shown as current or upcoming."""
    today = today or timezone.localdate()
    phases = []
    for block in charter_timeline or []:
        value = block.value
        kind = phase_kind(value)
        typed = _by_dates(value, today)
        status = _by_versions(kind, where) or typed
        phases.append(
            TimelinePhase(
                title=value.get("title"),
                start=value.get("start"),
                end=value.get("end"),
                description=value.get("description") or "",
                kind=kind,
                status=status,
                typed_status=typed,
            )
        )
    if where.stage == "adopted":
        # Whatever its kind, a phase placed before the adoption phase is over.
        adoption_at = next((n for n, p in enumerate(phases) if p.kind == ADOPTION), None)
        for phase in phases[:adoption_at]:
            phase.status = PAST
    return phases


def disagreements(charter_timeline, where: Standing, today=None) -> list[str]:
    """What the team typed in the timeline that the versions contradict, in words."""
    labels = {
        PAST: gettext("completed"),
        CURRENT: gettext("current phase"),
        UPCOMING: gettext("upcoming"),
    }
    return [
        gettext(
            "« %(phase)s »: its dates make it « %(typed)s », but the versions say « %(status)s » "
            "(%(standing)s). The public page follows the versions; correct the dates of the "
            "timeline."
        )
        % {
            "phase": phase.title,
            "typed": labels[phase.typed_status],
            "status": labels[phase.status],
            "standing": where.text,
        }
        for phase in timeline(charter_timeline, where, today)
        if phase.disagrees
    ]
