from django import template
from django.utils import translation

from home.models import InstitutionalPages, footer_links, in_language
from home.views import conformance

register = template.Library()


@register.simple_tag
def accessibility_conformance():
    """« non conforme », « partiellement conforme » or « totalement conforme »: what the footer's
    link to the accessibility statement says, as the RGAA asks."""
    return conformance()


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """(title, address) of the pages of the footer's menu, in the reader's language."""
    request = context.get("request")
    if request is None:
        return []
    return footer_links(request, translation.get_language())


@register.simple_tag(takes_context=True)
def institutional_page(context, name: str):
    """The privacy notice or the moderation rules (``name``), in the reader's language; None
    when the team has not chosen it or it is not published."""
    request = context.get("request")
    if request is None:
        return None
    page = getattr(InstitutionalPages.for_request(request), name)
    shown = in_language([page], translation.get_language()) if page is not None else []
    return shown[0] if shown else None
