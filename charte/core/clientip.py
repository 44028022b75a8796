"""The address of the client, the one every limit, log line and stored comment uses.

Behind reverse proxies the site sees the address of the last proxy; each proxy appends the
address it saw to ``X-Forwarded-For``. ``TRUSTED_PROXY_COUNT`` (environment, default 0) says
how many of those proxies are the site's own: the client is then the right-most address those
proxies did not write themselves, ``X-Forwarded-For[-count]``. With 0, the header is ignored
(anyone can send it) and the client is ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address given ``TRUSTED_PROXY_COUNT``; ``REMOTE_ADDR`` when no proxy is
    trusted, or when the header is missing or not an address (never an error). A header
    shorter than the count gives its left-most address, as Django REST framework does."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if forwarded:
            address = _valid(forwarded[-min(count, len(forwarded))])
            if address:
                return address
    return _valid(remote) or remote
