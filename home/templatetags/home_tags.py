from django import template
from django.utils import translation

from home.models import footer_links
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
