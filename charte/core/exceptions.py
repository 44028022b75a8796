"""One family of refusals: whatever a person asked that the rules do not allow.

Every service refuses by raising a :class:`Refused` (or one of its subclasses, named after the
concept: ``CommentRefused``, ``AmendmentRefused``, ``NoteRefused``, ``LifecycleError``); every
view catches :class:`Refused`, shows ``message`` and answers with ``status``. Nothing else is
a refusal: a bug or an outage is not the person's fault and is not caught as one.
"""

from __future__ import annotations


class Refused(Exception):
    """A refusal meant for the person who asked.

    ``message``: why, already translated (lazily or not) into the reader's language.
    ``status``: the HTTP status the refusal maps to (403 unless the subclass says otherwise;
    400 for input that needs correcting; 429 when posting too fast).
    ``field``: the form field at fault, if one is.
    ``retry_after``: with a 429, the seconds to wait before sending again.
    ``problems``: every ``(field, message)`` found at once, so that a form lists them all (the
    first one is ``field`` and ``message``).
    """

    status = 403

    def __init__(self, message, status=None, field=None, *, retry_after=None, problems=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.field = field
        self.retry_after = retry_after
        self.problems = list(problems or ([(field, message)] if field else []))

    @property
    def by_field(self) -> dict:
        """The message of each field at fault."""
        return dict(self.problems)
