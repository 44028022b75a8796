"""Which contributions are open, per action, inside a consultation window.

A version (comments, amendments, supports of amendments) and a debate (arguments, supports of
arguments) carry, per action, a switch (``<action>_open``), an optional earlier closing date
(``<action>_close_at``, never after the window's end) and, for some actions, an optional limit
per person (``<action>_limit``). The window decides first (it is the consultation); then
:func:`closed_reason` says whether this action, inside it, is open. Every entry point reaches
it through the page's ``action_closed_reason``, itself called by the discussion contract and
by the services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from charte.core.formatting import format_datetime

COMMENTS = "comments"
AMENDMENTS = "amendments"
SUPPORTS = "supports"
ARGUMENTS = "arguments"
ARGUMENT_SUPPORTS = "argument_supports"


@dataclass(frozen=True)
class Action:
    """The words of one action: its phrases in the public sentence, lower case, so that they
    join with « ; » and start a refusal once capitalised."""

    name: str
    open_until: str  # « commentaires ouverts jusqu’au %(date)s »
    closed_since: str  # « propositions d’amendement closes depuis le %(date)s »
    not_open: str  # « propositions d’amendement fermées »


ACTIONS = {
    COMMENTS: Action(
        COMMENTS,
        _("comments open until %(date)s"),
        _("comments closed since %(date)s"),
        _("comments are not open"),
    ),
    AMENDMENTS: Action(
        AMENDMENTS,
        _("amendment proposals open until %(date)s"),
        _("amendment proposals closed since %(date)s"),
        _("amendment proposals are not open"),
    ),
    SUPPORTS: Action(
        SUPPORTS,
        _("supports of amendments open until %(date)s"),
        _("supports of amendments closed since %(date)s"),
        _("supports of amendments are not open"),
    ),
    ARGUMENTS: Action(
        ARGUMENTS,
        _("arguments open until %(date)s"),
        _("arguments closed since %(date)s"),
        _("arguments are not open"),
    ),
    ARGUMENT_SUPPORTS: Action(
        ARGUMENT_SUPPORTS,
        _("supports of arguments open until %(date)s"),
        _("supports of arguments closed since %(date)s"),
        _("supports of arguments are not open"),
    ),
}


def _sentence(phrase: str) -> str:
    return capfirst(phrase) + "."


def closes_at(page, action: str, window_end: datetime.datetime | None):
    """When ``action`` closes on ``page`` (its source): its own date, else the window's end."""
    own = getattr(page, f"{action}_close_at")
    ends = [d for d in (own, window_end) if d is not None]
    return min(ends) if ends else None


def closed_reason(page, action: str, now: datetime.datetime) -> str | None:
    """Why ``action`` is closed on ``page`` (the source page) inside an open window, or None.
    The window itself is checked before, by the page."""
    words = ACTIONS[action]
    if not getattr(page, f"{action}_open"):
        return _sentence(str(words.not_open))
    own = getattr(page, f"{action}_close_at")
    if own is not None and own <= now:
        return _sentence(str(words.closed_since) % {"date": format_datetime(own)})
    return None


def phrase(page, action: str, now: datetime.datetime, window_end) -> str:
    """The phrase of ``action`` in the public sentence (lower case)."""
    words = ACTIONS[action]
    if not getattr(page, f"{action}_open"):
        return str(words.not_open)
    end = closes_at(page, action, window_end)
    if end is not None and end <= now:
        return str(words.closed_since) % {"date": format_datetime(end)}
    return str(words.open_until) % {"date": format_datetime(end)}


def sentence(page, actions, now: datetime.datetime, window_end) -> str:
    """« Commentaires ouverts jusqu’au 12 mars 2027 à 18 h ; propositions d’amendement closes
    depuis le 5 mars 2027 à 18 h. »"""
    phrases = [phrase(page, action, now, window_end) for action in actions]
    text = phrases[0]
    for after in phrases[1:]:
        text = gettext("%(before)s; %(after)s") % {"before": text, "after": after}
    return _sentence(text)


def limit_sentence(page, action: str, count: int) -> str | None:
    """« Vous avez déposé 3 amendements sur 10 pour cette version. » when ``page`` sets a limit
    per person for ``action`` (None otherwise)."""
    limit = getattr(page, f"{action}_limit", None)
    if not limit:
        return None
    if action == ARGUMENTS:
        return ngettext(
            "You have written %(count)s argument out of %(limit)s in this debate.",
            "You have written %(count)s arguments out of %(limit)s in this debate.",
            count,
        ) % {"count": count, "limit": limit}
    return ngettext(
        "You have proposed %(count)s amendment out of %(limit)s for this version.",
        "You have proposed %(count)s amendments out of %(limit)s for this version.",
        count,
    ) % {"count": count, "limit": limit}


def limit_reached(page, action: str, count: int) -> str | None:
    """The refusal once ``count`` reached the limit per person (None below it, or no limit)."""
    limit = getattr(page, f"{action}_limit", None)
    if not limit or count < limit:
        return None
    return limit_sentence(page, action, count) + " " + gettext("You cannot add more.")


def window_errors(page, actions, window_end) -> dict:
    """The admin form's errors: an action's own closing date after the window's end."""
    errors = {}
    for action in actions:
        own = getattr(page, f"{action}_close_at")
        if own is not None and window_end is not None and own > window_end:
            errors[f"{action}_close_at"] = ValidationError(
                gettext(
                    "This date falls after the end of the window (%(date)s): choose an "
                    "earlier date, or leave it empty to close with the window."
                )
                % {"date": format_datetime(window_end)},
                code="after_window",
            )
    return errors
