"""Public pages of a text's history: two iterations compared, one paragraph's history.

The comparison is served by CharterPage (``compare/<old>/<new>/``, a permanent address), the
history by CharterIterationPage (``p/<key>/history/``); both in the reader's language.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from charte.core.bounds import bounded
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


@bounded("comparison")
def comparison(charter, request, old_number, new_number):
    if old_number > new_number:
        return redirect(compare_url(charter, new_number, old_number), permanent=True)
    iterations = {it.number: it for it in public_iterations(charter)}
    if old_number == new_number or old_number not in iterations or new_number not in iterations:
        raise Http404
    result = compare(iterations[old_number], iterations[new_number])
    return charter.render(
        request,
        template="charte/comparison.html",
        context_overrides={
            "comparison": result,
            "blocks": result.blocks(),
            "counts": result.counts,
            "iterations": list(iterations.values()),
            "show_all": bool(request.GET.get("all")),
        },
    )


def history(page, request, key):
    sections = reading_outline(page)
    found = find_paragraph(sections, key)
    if found is None or found[2].row is None:
        raise Http404
    section, article, paragraph = found
    steps = paragraph_history(page, key)
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
