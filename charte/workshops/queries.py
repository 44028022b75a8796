"""What the public site reads of workshops and registers: the lists of a charter or a debate,
what came out of one, and the address of its public page in the reader's language.

A workshop belongs to the charter in the source language (French); a translated charter page
shows the same workshops (same ``translation_key``) at its own addresses.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from charte.amendments.models import Amendment, AmendmentStatus
from charte.core.locales import locale_for
from charte.discussions.models import Comment
from charte.workshops.models import Workshop
from charte.workshops.services import contribution_counts

#: How many upcoming and past workshops the charter page shows before « every workshop ».
CHARTER_PAGE_SHOWN = 3

VISIBLE_COMMENT = Q(
    is_public=True, is_removed=False, hidden_at__isnull=True, deleted_at__isnull=True
)


def text_language() -> str:
    """The language workshops are written in (titles, places, reports: the source language),
    to mark them with ``lang`` on a page in another language; "" when it is the page's."""
    from django.conf import settings
    from django.utils.translation import get_language
    from wagtail.coreutils import get_supported_content_language_variant

    source = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    current = get_supported_content_language_variant(get_language() or source)
    return "" if current == source else source


def of_charter(charter):
    """The workshops and registers of ``charter`` (a charter page in any language)."""
    return Workshop.objects.filter(charter__translation_key=charter.translation_key)


def with_counts(workshops) -> list[Workshop]:
    """``workshops`` as a list, each with ``counts`` (visible comments, amendments): three
    queries for any number."""
    workshops = list(workshops)
    counts = contribution_counts(workshops)
    for workshop in workshops:
        workshop.counts = counts[workshop.pk]
    return workshops


def charter_workshops(charter, now=None, limit: int | None = CHARTER_PAGE_SHOWN) -> dict:
    """The upcoming workshops of ``charter`` (soonest first) and its past ones (latest first),
    each with its counts; ``limit`` of each (None: all), and whether there are more."""
    now = now or timezone.now()
    workshops = of_charter(charter)
    upcoming = workshops.upcoming(now)
    past = workshops.past(now)
    if limit is not None:
        upcoming, past = list(upcoming[: limit + 1]), list(past[: limit + 1])
        more = len(upcoming) > limit or len(past) > limit
        upcoming, past = upcoming[:limit], past[:limit]
    else:
        more = False
    return {
        "upcoming": list(upcoming),
        "past": with_counts(past),
        "more": more,
        "text_lang": text_language(),
    }


def debate_workshops(debate) -> list[Workshop]:
    """The workshops and registers that fed ``debate`` (a debate page in any language)."""
    return list(Workshop.objects.filter(debate__translation_key=debate.translation_key))


def workshop_of(charter, pk: int) -> Workshop | None:
    """The workshop ``pk`` if it belongs to ``charter`` (in any of its languages)."""
    return (
        of_charter(charter)
        .select_related("iteration", "debate", "report_document")
        .prefetch_related("images__image")
        .filter(pk=pk)
        .first()
    )


def outcome(workshop: Workshop) -> dict:
    """What came out of ``workshop``: its visible comments (with the paragraph or amendment
    they are on) and its amendments, in the order they were entered (four queries)."""
    comments = list(
        Comment.objects.filter(VISIBLE_COMMENT, workshop=workshop)
        .select_related("workshop", "content_type")
        .order_by("submit_date", "pk")
    )
    # The targets (paragraphs, amendments), one query per kind whatever the number.
    by_type: dict = {}
    for comment in comments:
        by_type.setdefault(comment.content_type, set()).add(comment.object_pk)
    targets = {}
    for content_type, pks in by_type.items():
        model = content_type.model_class()
        related = ["iteration"] if hasattr(model, "iteration") else []
        for target in model.objects.filter(pk__in=pks).select_related(*related):
            targets[(content_type.pk, str(target.pk))] = target
    for comment in comments:
        comment.shown_target = targets.get((comment.content_type_id, comment.object_pk))
    amendments = list(
        Amendment.objects.filter(workshop=workshop)
        .exclude(status=AmendmentStatus.WITHDRAWN)
        .select_related("paragraph", "iteration", "workshop")
        .order_by("number")
    )
    return {"comments": comments, "amendments": amendments}


# -- Addresses -----------------------------------------------------------------------------

_CACHE_ATTRIBUTE = "_workshop_charters"


def _charter_in(charter_id: int, language: str):
    """The charter page ``charter_id`` in ``language`` where translated and live, else itself."""
    from charte.texts.pages import CharterPage

    charter = CharterPage.objects.filter(pk=charter_id).select_related("locale").first()
    if charter is None:
        return None
    if charter.locale.language_code != language:
        locale = locale_for(language)
        translated = locale and charter.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated
    return charter


def workshop_url(
    workshop: Workshop, request=None, language: str | None = None, shown_on=None
) -> str:
    """The public page of ``workshop`` in the reader's language (on its charter's translation
    where there is one). Within a request, each charter is looked up once, however many
    contributions show their workshop; none at all when ``shown_on``, the charter page being
    read, is the workshop's own in the source language."""
    from django.utils.translation import get_language

    language = (language or get_language() or "fr").split("-")[0]
    cache = getattr(request, _CACHE_ATTRIBUTE, None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, cache)
    key = (workshop.charter_id, language)
    # Read in the source language, the charter page shown is the workshop's own.
    same_page = getattr(shown_on, "pk", None) == workshop.charter_id
    if key not in cache and same_page and not text_language():
        cache[key] = shown_on
    if key not in cache:
        cache[key] = _charter_in(workshop.charter_id, language)
    charter = cache[key]
    if charter is None:
        return ""
    return charter.route_url("workshop", workshop.pk, request=request)
