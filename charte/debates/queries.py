"""Reads of debates that pages of the texts package show.

texts sits below debates and never imports it: ``CharteConfig.ready()`` hands these
functions to ``charte.texts.reading.READERS``.
"""

from __future__ import annotations

from wagtail.models import Locale

from charte.debates.models import DebatePage


def read_in(pages, locale_id) -> list:
    """``pages`` (debates in the source language, in their order) as read in the language of
    ``locale_id``: each one's published translation, or else the page itself marked
    ``in_source_language`` with its language code, so that every debate is listed in every
    language and no link leads to a missing translation. One query in another language."""
    pages = list(pages)
    default = Locale.get_default()
    if locale_id == default.pk:
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
            page.in_source_language = default.language_code
            result.append(page)
    return result


def children_debates(parent) -> list:
    """The published, public debates under ``parent`` (a charter or the debates index, in any
    language), the latest opened first, read in ``parent``'s language (see :func:`read_in`)."""
    source = parent
    if parent.locale_id != Locale.get_default().pk:
        source = parent.get_translation_or_none(Locale.get_default()) or parent
    pages = DebatePage.objects.child_of(source).live().public().order_by("-opens_at")
    return read_in(pages, parent.locale_id)


def charter_debates(charter) -> list:
    """The published, public debates of a charter, the latest opened first."""
    return children_debates(charter)
