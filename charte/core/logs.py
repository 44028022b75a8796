"""Structured logs: every line says when, which request, which account and which client.

:class:`RequestContextMiddleware` (first in ``MIDDLEWARE``) gives each request an id, the
proxy's ``X-Request-ID`` when it sends a sensible one, else a new one, and echoes it in the
response's ``X-Request-ID``; :class:`RequestContextFilter` (on the console handler of
``LOGGING``) adds ``request_id``, ``user_id`` and ``client_ip`` to every record, ``-`` outside a
request. Sign-ins, successful or not, are logged by :func:`connect_signals` (never the
password); refusals by a limit are logged where the limit is applied (``throttle.log_refusal``).
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from charte.core.clientip import client_ip

logger = logging.getLogger("charte.auth")

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_current_request = contextvars.ContextVar("charte_request", default=None)
_in_filter = contextvars.ContextVar("charte_log_filter", default=False)


def request_id_for(request) -> str:
    """The proxy's request id when it is a short token, else a new one (a forged header
    cannot inject text into the logs)."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if _REQUEST_ID.match(given):
        return given
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    if user is None or _in_filter.get():
        return "-"
    flag = _in_filter.set(True)  # reading the user may query (and log) itself
    try:
        return str(user.pk) if user.is_authenticated else "-"
    except Exception:  # noqa: BLE001 – a log line never breaks a request
        return "-"
    finally:
        _in_filter.reset(flag)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``user_id`` and ``client_ip`` to every record."""

    def filter(self, record):
        request = _current_request.get()
        if request is None:
            record.request_id = record.user_id = record.client_ip = "-"
        else:
            record.request_id = getattr(request, "request_id", "-")
            record.user_id = _user_id(request)
            record.client_ip = client_ip(request) or "-"
        return True


def _logged_in(sender, request, user, **kwargs):
    logger.info("sign-in succeeded for account %s", user.pk)


def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password; only the kind of identifier is named here.
    fields = sorted(name for name in credentials if "password" not in name)
    logger.warning("sign-in failed (%s)", ", ".join(fields) or "no identifier")


def connect_signals():
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    user_logged_in.connect(_logged_in, dispatch_uid="charte.logs.logged_in")
    user_login_failed.connect(_login_failed, dispatch_uid="charte.logs.login_failed")
