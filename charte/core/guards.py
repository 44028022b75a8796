"""The one guard in front of everything a citizen posts: a comment, an amendment, an argument.

Before a service is asked to write anything, :func:`guard_post` checks the request itself:

- the honeypot field (``website``, invisible to people) is empty: else a robot filled it in,
  refused with 400 and the message the caller gives;
- the account and its IP address are not posting too fast (``POST_RATE_LIMITS``): else
  refused with 429, the seconds to wait in ``retry_after``;
- the form's submission token has not been seen yet: a double click posts once.

A refusal is raised as a :class:`~charte.core.exceptions.Refused`, caught by the view with the
service's own refusals; the view shows its form again with what was typed and the reason, and
:func:`refusal_status` gives that response the refusal's status (and ``Retry-After``).
"""

from __future__ import annotations

from charte.core.exceptions import Refused
from charte.core.throttle import first_submission, log_refusal, posting_wait, too_fast_message

HONEYPOT_FIELD = "website"
SUBMISSION_FIELD = "submission"


def guard_post(request, *, scope: str, honeypot_message, counted: bool = True) -> bool:
    """Check a citizen's POST before anything is written, or raise :class:`Refused`.

    ``scope`` names what is posted (``"comment"``, ``"amendment"``, ``"argument"``): one-click
    tokens are remembered per scope and account. ``honeypot_message`` is what a filled-in
    honeypot is told. ``counted=False`` checks the honeypot only: a preview or a correction is
    not a new post, counted against the rate limit or its token spent.

    Returns False when this very form was already sent (a double click): the caller writes
    nothing and leads where the first submission led. True otherwise: go on.
    """
    if request.POST.get(HONEYPOT_FIELD):
        raise Refused(honeypot_message, 400)
    if not counted or not request.user.is_authenticated:
        # Anonymous posts are refused by the services, with the reason (sign in first).
        return True
    wait = posting_wait(request)
    if wait:
        log_refusal(request, limit=f"post-{scope}", wait=wait)
        raise Refused(too_fast_message(wait), 429, retry_after=wait)
    token = request.POST.get(SUBMISSION_FIELD, "")
    return first_submission(f"{scope}:{request.user.pk}", token)


def refusal_status(response, refusal: Refused | None):
    """Give the response that shows a refusal its status, and ``Retry-After`` when there is
    a time to wait; without a refusal, the response is left as it is."""
    if refusal is None:
        return response
    response.status_code = refusal.status
    if refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response
