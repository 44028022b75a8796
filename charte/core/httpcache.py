"""HTTP caching of what anonymous readers see.

A public page whose content can be versioned (a frozen text, a comparison of two frozen
versions, the synthesis of a closed consultation, the adopted charter) answers an anonymous
``GET`` with an ``ETag`` computed from what it shows *before* rendering it, so that:

- a browser or the reverse proxy that already holds the page gets ``304 Not Modified`` for the
  price of the few small queries that compute the tag;
- ``Cache-Control: public, max-age=N`` (``PUBLIC_CACHE_SECONDS``, one second by default) lets
  the reverse proxy answer every other reader for that long without asking Django. A count in
  the margin is therefore right within that delay of a post; the tag itself changes with the
  post, so nothing older is ever confirmed.

The tag's parts are whatever the page shows that can change: the page's revision, the
reader's language, and the live data (counts, statuses, state of the window), read by the view
as it would read them anyway. A request that carries a session or a message, or comes from a
signed-in person, is never answered from or for a shared cache: its page may show personal
data (``PrivateCacheMiddleware`` marks it private).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

# Bump when the markup of the cached pages changes, so that no cache confirms an old rendering.
RENDERING_VERSION = "1"


def public_cacheable(request: HttpRequest) -> bool:
    """Whether the answer to ``request`` is the same for every anonymous reader."""
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def etag_for(*parts) -> str:
    """A strong entity tag for ``parts`` (any ``repr``-able values), in the active language."""
    digest = hashlib.blake2b(
        repr((RENDERING_VERSION, get_language(), parts)).encode(), digest_size=16
    ).hexdigest()
    return f'"{digest}"'


def mark_public(response: HttpResponse, *, etag: str | None = None) -> HttpResponse:
    """Let browsers and shared caches keep ``response`` for ``PUBLIC_CACHE_SECONDS``."""
    if etag is not None:
        response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    # A reader with a session cookie gets their own page (the proxy also passes them by).
    patch_vary_headers(response, ("Cookie",))
    return response


def tag_content(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """For a page whose rendering is cheap once its costly part is kept (a frozen text and its
    margins): ``response`` public and tagged by a digest of its content for an anonymous
    reader, or ``304`` when the reader already holds that content."""
    if not public_cacheable(request) or response.status_code != 200:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if response.streaming or response.has_header("Cache-Control"):
        return response
    etag = etag_for(hashlib.blake2b(response.content, digest_size=16).hexdigest())
    not_modified = get_conditional_response(request, etag=etag, response=response)
    return mark_public(not_modified, etag=etag)


def conditional(
    request: HttpRequest, parts: Callable[[], tuple] | tuple, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """``render()``'s response, public and tagged for an anonymous reader, or ``304`` when the
    reader already holds the version that ``parts`` identify. ``parts`` may be a callable, so
    that signed-in readers do not pay for computing it."""
    if not public_cacheable(request):
        return render()
    etag = etag_for(*(parts() if callable(parts) else parts))
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return mark_public(not_modified, etag=etag)
    response = render()
    if response.status_code == 200 and not response.has_header("Cache-Control"):
        mark_public(response, etag=etag)
    return response
