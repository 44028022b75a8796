"""What the page tree says, kept until the tree changes.

Every public page asks the tree the same few questions: which site answers this address, which
published versions a charter has (the version switcher), where the same page is in each
language (the language links). Their answers change only when a page, a site, a locale or a
view restriction does, which is rare beside the readers; asking the database costs a few
milliseconds of SQL compiled and planned at each view.

:func:`kept` keeps an answer in Django's cache with the *tree stamp* it was computed under; a
change of the tree draws a new stamp (:func:`changed`, connected to the saves and deletions of
pages, sites, locales and view restrictions, and called by services that update pages in
bulk), so every kept answer is computed again at its next read. The stamp is drawn as soon as
the change is written and again once its transaction commits: a reader that computed an answer
in between, from the rows as they were before the commit, keeps it under a stamp that is
already gone.

Without Redis (its fallback is each process's memory) another process's change is seen when
the kept answer expires: ``TREE_CACHE_SECONDS`` at most.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port

STAMP_KEY = "charte:tree:stamp"
_MISSING = object()


def kept(name: str, *parts: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``'s answer for ``name`` and ``parts`` (``repr``-able values that say which
    question), kept until the tree changes. The answer is pickled: it must not be changed by
    its readers in a way the next reader should not see (each read gets its own copy)."""
    key = f"charte:tree:{name}:" + hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    found = cache.get_many([STAMP_KEY, key])
    stamp = found.get(STAMP_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, uuid.uuid4().hex, timeout=None)
        stamp = cache.get(STAMP_KEY)
        if stamp is None:  # no cache at all: nothing can be kept
            return compute()
    entry = found.get(key, _MISSING)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
        return entry[1]
    answer = compute()
    cache.set(key, (stamp, answer), settings.TREE_CACHE_SECONDS)
    return answer


def _new_stamp() -> None:
    cache.set(STAMP_KEY, uuid.uuid4().hex, timeout=None)


def changed(**kwargs) -> None:
    """The tree changed: every kept answer is computed again at its next read (a signal
    receiver, also called by the services that update pages without saving them)."""
    _new_stamp()
    transaction.on_commit(_new_stamp)


def site_for_request(request):
    """The Wagtail site that answers ``request`` (Wagtail's own choice by host name and port),
    kept with its root page read as its type: routing starts from it."""
    from wagtail.models import Site

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def compute():
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    return kept("site", hostname, port, compute=compute)


def without_site(view):
    """Marks a view that must not look for the site (the liveness and readiness checks touch
    neither the database nor the cache)."""
    view.without_site = True
    return view


class SiteMiddleware:
    """Gives each request its site from :func:`site_for_request`, where Wagtail looks for it
    (``request._wagtail_site``, which ``Site.find_for_request`` fills at its first call), once
    its view is known: not for a view marked :func:`without_site`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "without_site", False):
            request._wagtail_site = site_for_request(request)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for model in {Page, *get_page_models(), Site, Locale, PageViewRestriction}:
        post_save.connect(changed, sender=model, dispatch_uid=f"tree-saved-{model._meta.label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"tree-deleted-{model._meta.label}")
    page_published.connect(changed, dispatch_uid="tree-published")
    page_unpublished.connect(changed, dispatch_uid="tree-unpublished")
    post_page_move.connect(changed, dispatch_uid="tree-moved")
