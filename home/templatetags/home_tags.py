from django import template

from home.views import conformance

register = template.Library()


@register.simple_tag
def accessibility_conformance():
    """« non conforme », « partiellement conforme » or « totalement conforme »: what the footer's
    link to the accessibility statement says, as the RGAA asks."""
    return conformance()
