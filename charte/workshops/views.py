"""Public pages of workshops and paper registers, served by CharterPage (``workshops/`` and
``workshops/<pk>/``) in the reader's language."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from wagtail.models import Page

from charte.texts.pages import attach_sources, versions_in_language
from charte.workshops import queries
from charte.workshops.models import Audience, WorkshopKind


def workshop_list(charter, request):
    """Every workshop and register of the charter: upcoming ones, then past ones."""
    workshops = queries.charter_workshops(charter, limit=None)
    return charter.render(
        request,
        template="charte/workshops/workshop_list.html",
        context_overrides={
            "upcoming_workshops": workshops["upcoming"],
            "past_workshops": workshops["past"],
            "text_lang": workshops["text_lang"],
        },
    )


def _iterations_by_source(charter) -> dict:
    """The charter's published versions in its language, by the pk of their source page."""
    iterations = versions_in_language(charter)
    attach_sources(iterations)
    return {iteration.source.pk: iteration for iteration in iterations}


def _in_language(page, charter):
    """``page`` (a debate) in the charter page's language where translated and live."""
    if page is None or page.locale_id == charter.locale_id:
        return page
    translated = (
        Page.objects.live()
        .filter(translation_key=page.translation_key, locale_id=charter.locale_id)
        .first()
    )
    return (translated or page).specific


def workshop_detail(charter, request, pk):
    """The public page of one workshop or register, with what came out of it."""
    workshop = queries.workshop_of(charter, pk)
    if workshop is None:
        raise Http404
    now = timezone.now()
    upcoming = workshop.is_upcoming(now)
    iterations = _iterations_by_source(charter)
    outcome = {"comments": [], "amendments": []} if upcoming else queries.outcome(workshop)
    for comment in outcome["comments"]:
        target = comment.shown_target
        iteration = iterations.get(getattr(target, "iteration_id", None))
        comment.target_url = ""
        if iteration is not None and hasattr(target, "key"):
            comment.target_url = iteration.route_url("paragraph", target.key) + f"#c{comment.pk}"
        elif iteration is not None and hasattr(target, "number"):
            comment.target_url = iteration.route_url("amendment", target.number) + f"#c{comment.pk}"
    for amendment in outcome["amendments"]:
        iteration = iterations.get(amendment.iteration_id)
        amendment.shown_url = (
            iteration.route_url("amendment", amendment.number) if iteration else ""
        )
    return charter.render(
        request,
        template="charte/workshops/workshop_page.html",
        context_overrides={
            "workshop": workshop,
            "text_lang": queries.text_language(),
            "is_register": workshop.kind == WorkshopKind.REGISTER,
            "audience_label": Audience(workshop.audience).label,
            "upcoming": upcoming,
            "worked_on": iterations.get(workshop.iteration_id),
            "debate": _in_language(workshop.debate, charter),
            "photos": list(workshop.images.all()),
            "document": workshop.report_document,
            "workshop_comments": outcome["comments"],
            "workshop_amendments": outcome["amendments"],
        },
    )
