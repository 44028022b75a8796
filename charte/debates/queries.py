"""Reads of debates that pages of the texts package show.

texts sits below debates and never imports it: ``CharteConfig.ready()`` hands these
functions to ``charte.texts.reading.READERS``.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Substr
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from charte.debates.models import DebatePage


def _source_language() -> str:
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def read_in(pages, locale_id) -> list:
    """``pages`` (debates in the source language, in their order) as read in the language of
    ``locale_id``: each one's published translation, or else the page itself marked
    ``in_source_language`` with its language code, so that every debate is listed in every
    language and no link leads to a missing translation. No query in the source language, one
    in another."""
    pages = list(pages)
    if not pages or pages[0].locale_id == locale_id:
        for page in pages:
            page.in_source_language = ""
        return pages
    translations = {
        page.translation_key: page
        for page in DebatePage.objects.filter(
            translation_key__in=[page.translation_key for page in pages], locale_id=locale_id
        )
        .live()
        .public()
    }
    result = []
    for page in pages:
        translated = translations.get(page.translation_key)
        if translated is not None:
            translated.in_source_language = ""
            result.append(translated)
        else:
            page.in_source_language = _source_language()
            result.append(page)
    return result


def children_debates(parent) -> list:
    """The published, public debates under ``parent`` (a charter or the debates index, in any
    language), the latest opened first, read in ``parent``'s language: a debate not translated
    (or not published) in it is its source page, marked ``in_source_language``. One query."""
    source_parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, parent.depth * Page.steplen)
    ).values("translation_key")[:1]
    pages = (
        DebatePage.objects.live()
        .public()
        .filter(depth=parent.depth + 1)
        .annotate(parent_key=Subquery(source_parent))
        .filter(
            Q(path__startswith=parent.path)
            | Q(parent_key=parent.translation_key, locale__language_code=_source_language())
        )
        .order_by("-opens_at")
    )
    by_key: dict = {}
    for page in pages:
        translated = page.locale_id == parent.locale_id
        if translated or page.translation_key not in by_key:
            page.in_source_language = "" if translated else _source_language()
            by_key[page.translation_key] = page
    return list(by_key.values())


def charter_debates(charter) -> list:
    """The published, public debates of a charter, the latest opened first."""
    return children_debates(charter)
