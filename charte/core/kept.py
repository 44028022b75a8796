"""Text a resident typed is never thrown away by a refused form, not even by a sign-in.

A form sent by someone who is no longer signed in (their session expired, they signed out in
another tab, the staff idle timeout ended it) is refused with « sign in first ». The view then
:func:`keep` s what was typed in the session, tells them it is kept, and links to the sign-in
with ``next`` back to the form's page. Signing in keeps an anonymous session's data (Django's
``login()`` only changes its key; allauth's second-factor step goes through the same
``login()``). Back on that page, :func:`take` gives the typed fields back once, to fill the form
again: nothing is ever sent on its own, and the text is then forgotten.

The text belongs to the account that typed it: every citizen form carries the
:func:`owner_mark` of the account it was shown to (a keyed hash, not the account's id), and
only that account gets it back. Anyone else signing in on that browser never sees it: it is
dropped at their sign-in. Kept text is bounded: a few forms, each field cut well beyond the
longest text a form accepts.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.utils.crypto import constant_time_compare, salted_hmac

SESSION_KEY = "charte_kept_text"
OWNER_FIELD = "owner"
ANCHOR = "kept-text"  # the id of the notice shown above a form filled again
MAX_FORMS = 3
# Four times the longest text a form accepts (3,000 characters): a text typed too long is kept
# whole, for its author to shorten, and a robot still cannot fill the session.
MAX_FIELD_CHARS = 12_000
_SALT = "charte.core.kept.owner"


def owner_mark(user) -> str:
    """The mark a form shown to ``user`` carries in its ``owner`` field ("" when anonymous)."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac(_SALT, str(user.pk)).hexdigest()


def keep(request, *, address: str, fields: dict) -> bool:
    """Keep the ``fields`` typed in a form refused to someone not signed in, until the account
    that typed them signs in and opens ``address`` again. True when kept: the form was shown to
    an account (it carries its mark) and holds some text."""
    if request.user.is_authenticated:
        return False
    owner = request.POST.get(OWNER_FIELD, "")[:64]
    fields = {name: str(value or "")[:MAX_FIELD_CHARS] for name, value in fields.items()}
    if not owner or not any(value.strip() for value in fields.values()):
        return False
    entries = [
        entry for entry in request.session.get(SESSION_KEY, []) if entry["address"] != address
    ]
    entries.append({"address": address, "owner": owner, "fields": fields})
    request.session[SESSION_KEY] = entries[-MAX_FORMS:]
    return True


def take(request, *, address: str) -> dict | None:
    """The fields kept for the form at ``address``, once, if the signed-in account typed them;
    None otherwise. Text kept for another account is dropped."""
    if not request.user.is_authenticated or SESSION_KEY not in request.session:
        return None
    entries = _own(request.session[SESSION_KEY], request.user)
    found = next((entry for entry in entries if entry["address"] == address), None)
    if found is not None:
        entries.remove(found)
    _store(request.session, entries)
    return found["fields"] if found else None


def _own(entries, user) -> list:
    mark = owner_mark(user)
    return [entry for entry in entries if constant_time_compare(entry["owner"], mark)]


def _store(session, entries):
    if entries:
        session[SESSION_KEY] = entries
    else:
        session.pop(SESSION_KEY, None)


def _drop_others(sender, request, user, **kwargs):
    """At a sign-in, the text kept for any other account is forgotten."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        _store(session, _own(session[SESSION_KEY], user))


def connect_signals():
    user_logged_in.connect(_drop_others, dispatch_uid="charte.core.kept.drop_others")
