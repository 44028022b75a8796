"""The translations of a version (wagtail-localize): carried from one version to the next,
counted for the team, and read to know which wordings are still in French.

Every wording of a body is a segment whose context path names its block ids
(``body.<section>.articles.<article>.paragraphs.<paragraph>``, ``body.<section>.title``…). Block
ids are shared by a paragraph in every version and every language, so the same path in the next
version is the same paragraph: a segment whose text did not change keeps its translation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation as i18n
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail.signals import page_published
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from charte.texts.outline import body_outline, outline_paragraphs

logger = logging.getLogger(__name__)


def _path_key(path: str) -> str | None:
    """The block id a body segment's path belongs to: the paragraph, or the section or article
    whose title it is; None for a segment outside the body."""
    parts = path.split(".")
    if parts[0] != "body" or len(parts) < 3:
        return None
    if "paragraphs" in parts[:-1]:
        return parts[len(parts) - 1 - parts[::-1].index("paragraphs") + 1]
    if parts[-1] == "title":
        return parts[-2]
    return None


def _source_of(page) -> TranslationSource | None:
    return (
        TranslationSource.objects.filter(object_id=page.translation_key, locale_id=page.locale_id)
        .order_by("-pk")
        .first()
    )


def _translated(segments, locale) -> set[int]:
    """The ids of those ``segments`` that have a translation into ``locale``."""
    done = set(
        StringTranslation.objects.filter(
            locale=locale,
            context_id__in={s.context_id for s in segments},
            has_error=False,
        ).values_list("translation_of_id", "context_id")
    )
    return {s.pk for s in segments if (s.string_id, s.context_id) in done}


def untranslated_keys(page) -> set[str] | None:
    """The block ids of ``page`` (a translation) whose wording is still the source's, because
    wagtail-localize has no translation for it yet; None when the page was not translated with
    wagtail-localize (then only what is missing from its body is untranslated)."""
    source_page = page.source
    if source_page.pk == page.pk:
        return set()
    localize = (
        Translation.objects.filter(
            source__object_id=source_page.translation_key,
            source__locale_id=source_page.locale_id,
            target_locale_id=page.locale_id,
        )
        .only("source_id")
        .first()
    )
    if localize is None:
        return None
    segments = list(
        StringSegment.objects.filter(
            source_id=localize.source_id, context__path__startswith="body."
        ).select_related("context")
    )
    done = _translated(segments, page.locale_id)
    keys: dict[str, bool] = {}
    for segment in segments:
        key = _path_key(segment.context.path)
        if key is not None:
            keys[key] = keys.get(key, True) and segment.pk in done
    return {key for key, translated in keys.items() if not translated}


@dataclass
class Progress:
    locale: Locale
    translated: int  # paragraphs whose every segment is translated
    total: int
    page: object  # the translated page (a draft until published), or None
    translation: Translation | None

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def translation_progress(page) -> list[Progress]:
    """For each other locale of the site, how many paragraphs of ``page`` (the source
    iteration) are translated."""
    source_page = page.source
    paragraph_keys = {p.key for p in outline_paragraphs(body_outline(source_page.body))}
    source = _source_of(source_page)
    result = []
    for locale in Locale.objects.exclude(pk=source_page.locale_id).order_by("language_code"):
        translated_page = source_page.get_translation_or_none(locale)
        localize = (
            Translation.objects.filter(source=source, target_locale=locale).first()
            if source
            else None
        )
        if translated_page is None and localize is None:
            result.append(Progress(locale, 0, len(paragraph_keys), None, None))
            continue
        missing = untranslated_keys(translated_page) if translated_page is not None else None
        if missing is None:
            count = len(paragraph_keys) if translated_page is not None else 0
        else:
            count = len(paragraph_keys - missing)
        result.append(Progress(locale, count, len(paragraph_keys), translated_page, localize))
    return result


def carry_translations(*, previous, new, by) -> list:
    """Create the translations of ``new`` (the next version, a draft) in every locale where
    ``previous`` is translated and the charter exists: each wording that did not change keeps
    its translation (the same segment at the same path), the others are left in the source
    language for the team to translate. Each translation is a draft, published by the team.
    Returns the translated pages."""
    charter = new.get_parent()
    locales = [
        p.locale
        for p in previous.get_translations().select_related("locale")
        if charter.get_translation_or_none(p.locale) is not None
    ]
    if not locales:
        return []
    source, _created = TranslationSource.get_or_create_from_instance(new)
    previous_source = _source_of(previous)
    segments = list(StringSegment.objects.filter(source=source).select_related("context", "string"))
    pages = []
    for locale in locales:
        known = {}
        if previous_source is not None:
            known = {
                (row.translation_of_id, row.context.path): row.data
                for row in StringTranslation.objects.filter(
                    locale=locale,
                    context__object_id=previous.translation_key,
                    has_error=False,
                ).select_related("context")
            }
        with i18n.override(locale.language_code):
            own = {
                "title": _("Version %(number)s") % {"number": new.number},
                "slug": new.slug,
                "label": _("Amended version"),
            }
        for segment in segments:
            path = segment.context.path
            data = known.get((segment.string_id, path))
            if data is None and path in own and segment.string.data == getattr(new, path):
                data = own[path]
            if data is None:
                continue
            StringTranslation.objects.update_or_create(
                translation_of_id=segment.string_id,
                locale=locale,
                context_id=segment.context_id,
                defaults={
                    "data": data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "last_translated_by": by,
                },
            )
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        translation.save_target(user=by, publish=False)
        pages.append(new.get_translation(locale))
    return pages


def publish_translations(page, *, by=None) -> list:
    """Publish the translations of ``page`` (a source version at its opening) that are not
    public yet: each from wagtail-localize's strings as they stand now (so what was translated
    while the version waited for its opening is in), or else from its latest revision. What is
    not translated reads in French, marked as such. A translation refused by its page (see
    ``CharterIterationPage.save``) stays a draft and is logged; the opening goes on."""
    source = _source_of(page)
    published = []
    for target in page.get_translations().filter(live=False).specific():
        localize = (
            Translation.objects.filter(source=source, target_locale_id=target.locale_id).first()
            if source is not None
            else None
        )
        try:
            with transaction.atomic():
                if localize is not None and localize.enabled:
                    localize.save_target(user=by, publish=True)
                elif (revision := target.get_latest_revision()) is not None:
                    revision.publish(user=by)
                else:
                    continue
        except ValidationError as refusal:
            logger.warning(
                "translation %s of version %s left unpublished at its opening: %s",
                target.pk,
                page.pk,
                "; ".join(refusal.messages),
            )
            continue
        published.append(target)
    return published


def repair_child_count(sender, instance, **kwargs) -> None:
    """Write the page's true number of children after it is published.

    wagtail-localize publishes a translation when the transaction commits, from the page as it
    was when translated: a parent translated together with its children (a charter with its
    versions, « include subtree », or a sync of several translations) is written back with the
    child count it had before them, and its children then answer 404. One count per
    publication puts it right."""
    page = instance
    actual = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1).count()
    if Page.objects.filter(pk=page.pk).exclude(numchild=actual).update(numchild=actual):
        page.numchild = actual


def connect_signals() -> None:
    page_published.connect(repair_child_count, dispatch_uid="charte.repair_child_count")
