"""The French and English catalogues are complete and compiled: no message left untranslated
or marked fuzzy in French, and the English catalogue says exactly the English text (a fuzzy
match from a neighbouring message never reaches a reader)."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def entries(language):
    return [
        entry
        for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        if not entry.obsolete
    ]


def test_every_french_message_is_translated_and_none_is_fuzzy():
    missing = [
        entry.msgid
        for entry in entries("fr")
        if "fuzzy" in entry.flags
        or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
        or (not entry.msgid_plural and not entry.msgstr)
    ]
    assert missing == []


def test_the_english_catalogue_says_the_english_text():
    wrong = [
        (entry.msgid, entry.msgstr)
        for entry in entries("en")
        if "fuzzy" in entry.flags or (not entry.msgid_plural and entry.msgstr != entry.msgid)
    ]
    assert wrong == []


def test_the_compiled_catalogues_hold_what_the_sources_say():
    for language in ("fr", "en"):
        folder = LOCALE / language / "LC_MESSAGES"
        with open(folder / "django.mo", "rb") as compiled:
            catalog = gettext.GNUTranslations(compiled)
        stale = [
            entry.msgid
            for entry in entries(language)
            if not entry.msgid_plural
            and (
                catalog.pgettext(entry.msgctxt, entry.msgid)
                if entry.msgctxt
                else catalog.gettext(entry.msgid)
            )
            != entry.msgstr
        ]
        assert stale == [], language
