"""The site's own institutional pages: the accessibility statement (RGAA 4.1's model) and the
site map, a second way to find every page (RGAA 12.1); both linked from every page's footer."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from charte.core.locales import locale_for

STATUSES = {
    "full": _("fully compliant"),
    "partial": _("partially compliant"),
    "none": _("not compliant"),
}


def conformance() -> str:
    """The state of conformance the footer and the statement announce."""
    return STATUSES[settings.ACCESSIBILITY_STATUS]


def accessibility_statement(request):
    return render(
        request,
        "home/accessibility.html",
        {
            "status": settings.ACCESSIBILITY_STATUS,
            "conformance": conformance(),
            "organisation": settings.ACCESSIBILITY_ORGANISATION,
            "audit_date": settings.ACCESSIBILITY_AUDIT_DATE,
            "audit_rate": settings.ACCESSIBILITY_AUDIT_RATE,
            "contact": settings.ACCESSIBILITY_CONTACT,
            "statement_date": settings.ACCESSIBILITY_STATEMENT_DATE,
        },
    )


def site_map(request):
    """Every public page of the site in the reader's language, as a tree (the charters, their
    versions and debates), then the pages every visitor may need."""
    site = Site.find_for_request(request)
    language = translation.get_language()
    root = site.root_page.specific if site else None
    tree = []
    if root is not None:
        locale = locale_for(language)
        if locale is not None and root.locale_id != locale.pk:
            root = root.get_translation_or_none(locale) or root
        pages = list(
            Page.objects.descendant_of(root)
            .live()
            .public()
            .filter(depth__lte=root.depth + 3)
            .order_by("path")
        )
        tree = _nest(root, pages)
    return render(request, "home/site_map.html", {"root": root, "tree": tree})


def _nest(root, pages):
    """The pages under ``root`` as ``(page, children)`` pairs, in the order of the tree."""
    children = {}
    for page in pages:
        children.setdefault(page.path[: -Page.steplen], []).append(page)

    def below(page):
        return [(child, below(child)) for child in children.get(page.path, [])]

    return below(root)
