"""Public pages of a text's history: two iterations compared, one paragraph's history.

The comparison is served by CharterPage (``compare/<old>/<new>/``, a permanent address), the
history by CharterIterationPage (``p/<key>/history/``); both in the reader's language.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from charte.amendments.models import Amendment
from charte.core.bounds import bounded
from charte.core.httpcache import conditional, etag_for
from charte.history.comparison import compare, paragraph_history
from charte.texts.pages import CharterIterationPage, attach_sources, versions_in_language
from charte.texts.reading import find_paragraph, reading_outline


def public_iterations(charter) -> list[CharterIterationPage]:
    """The iterations of ``charter`` that a reader may compare: published, public, and with a
    frozen text; in its language where translated, in the source language where not."""
    iterations = versions_in_language(charter)
    attach_sources(iterations)
    return [it for it in iterations if it.is_frozen]


def compare_url(charter, old, new) -> str:
    return charter.url + charter.reverse_subpage("compare", args=[old, new])


def compare_chooser(charter, request):
    """The form on the charter page (GET ``from`` and ``to``) leads to the permanent address."""
    numbers = {it.number for it in public_iterations(charter)}
    try:
        old, new = int(request.GET.get("from", "")), int(request.GET.get("to", ""))
    except ValueError:
        old = new = None
    if old in numbers and new in numbers and old != new:
        return redirect(compare_url(charter, min(old, new), max(old, new)))
    iterations = sorted(numbers)
    if len(iterations) < 2:
        raise Http404
    if old is not None and old == new:
        messages.error(request, _("Choose two different versions to compare."))
    elif "from" in request.GET or "to" in request.GET:
        messages.error(request, _("Choose two versions of this text among those listed."))
    # Meanwhile, the two latest versions.
    return redirect(compare_url(charter, iterations[-2], iterations[-1]))


# A rendered comparison is kept this long after its last use (its key changes with anything it
# shows, so an older rendering is never served: it only ages out).
KEPT_SECONDS = 30 * 24 * 3600


def integrated_between(old, new) -> list[tuple]:
    """What the comparison shows of the amendments integrated between the source iterations
    ``old`` (excluded) and ``new``: one small query, whatever the size of the text."""
    return list(
        Amendment.objects.filter(
            integrated_into__path__startswith=new.path[: -new.steplen],
            integrated_into__depth=new.depth,
            integrated_into__number__gt=old.number,
            integrated_into__number__lte=new.number,
        )
        .order_by("pk")
        .values_list(
            "pk",
            "status",
            "integration_removed",
            "integrated_key",
            "author_id",
            "author__author_type",
            # The signature shown: a new pseudonym, an erased account, or a workshop's
            # corrected details render it again.
            "author__pseudonym",
            "author__deleted_at",
            "workshop__kind",
            "workshop__online",
            "workshop__place",
            "workshop__starts_at",
            "workshop__participants",
        )
    )


def comparison_parts(request, charter, old_page, new_page, iterations, show_all) -> tuple:
    """Everything the comparison page shows that can change: the versions of the pages (and of
    their source texts), their addresses, the versions offered in the form, the amendments
    integrated in between, the folding. The texts of frozen iterations never change."""
    old, new = old_page.source, new_page.source
    return (
        "comparison",
        charter.pk,
        charter.live_revision_id,
        charter.get_url(request),
        tuple((it.pk, it.live_revision_id, it.source.live_revision_id) for it in iterations),
        old_page.get_url(request),
        new_page.get_url(request),
        old.pk,
        new.pk,
        integrated_between(old, new),
        show_all,
    )


def _route(request, page, name):
    """``page``'s route ``name`` for a paragraph, reversed once: a function of its key."""
    url = page.get_url(request) + page.reverse_subpage(name, args=["KEY"])
    head, tail = url.split("KEY", 1)
    return lambda key: f"{head}{key}{tail}"


def attach_urls(request, result) -> None:
    """Each change's addresses (its paragraph, its history), reversed once per route rather
    than once per paragraph: at 1,000 paragraphs that was most of the rendering."""
    routes = {
        (page.pk, name): _route(request, page, name)
        for page in (result.old, result.new)
        for name in ("paragraph", "paragraph_history")
    }
    for change in result.changes:
        page, row = (result.new, change.new) if change.new else (result.old, change.old)
        change.url = routes[page.pk, "paragraph"](row.key)
        change.history_url = routes[page.pk, "paragraph_history"](row.key)


def comparison_body(request, old_page, new_page, parts) -> str:
    """The comparison of two frozen iterations, rendered once per language and address and
    kept: the diff and its rendering are the costly part of the page."""
    key = "comparison-html:" + etag_for(*parts).strip('"')
    html = cache.get(key)
    if html is None:
        result = compare(old_page, new_page)
        attach_urls(request, result)
        html = render_to_string(
            "charte/includes/comparison_body.html",
            {
                "comparison": result,
                "blocks": result.blocks(),
                "counts": result.counts,
                "show_all": parts[-1],
            },
            request=request,
        )
        cache.set(key, html, KEPT_SECONDS)
    return mark_safe(html)  # rendered by our template, which escapes what it shows


@bounded("comparison")
def comparison(charter, request, old_number, new_number):
    if old_number > new_number:
        return redirect(compare_url(charter, new_number, old_number), permanent=True)
    iterations = {it.number: it for it in public_iterations(charter)}
    if old_number == new_number or old_number not in iterations or new_number not in iterations:
        raise Http404
    old_page, new_page = iterations[old_number], iterations[new_number]
    show_all = bool(request.GET.get("all"))
    parts = comparison_parts(
        request, charter, old_page, new_page, list(iterations.values()), show_all
    )

    def render():
        return charter.render(
            request,
            template="charte/comparison.html",
            context_overrides={
                "comparison": SimpleNamespace(old=old_page, new=new_page),
                "comparison_html": comparison_body(request, old_page, new_page, parts),
                "iterations": list(iterations.values()),
                "show_all": show_all,
            },
        )

    return conditional(request, parts, render)


def history(page, request, key):
    steps = paragraph_history(page, key)
    if not steps:
        raise Http404

    def parts():
        # What the history shows: the page, its address, and each step's wording, comments
        # and amendments (read anyway to render it); the outline of the text and the diffs
        # are read when rendered only, not for a reader whose copy is current.
        return (
            "history",
            page.pk,
            page.live_revision_id,
            page.get_url(request),
            key,
            tuple(step.shown for step in steps),
        )

    def render():
        sections = reading_outline(page)
        found = find_paragraph(sections, key)
        if found is None or found[2].row is None:
            raise Http404
        section, article, paragraph = found
        return page.render(
            request,
            template="charte/paragraph_history.html",
            sections=sections,
            context_overrides={
                "section": section,
                "article": article,
                "paragraph": paragraph,
                "steps": steps,
            },
        )

    return conditional(request, parts, render)
