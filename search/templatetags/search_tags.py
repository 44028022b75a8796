from django import template

register = template.Library()


@register.simple_tag
def facet_url(request, param, value):
    """The address that selects ``value`` for ``param`` (or removes it when selected)."""
    params = request.GET.copy()
    params.pop("page", None)
    if params.get(param) == str(value):
        params.pop(param)
    else:
        params[param] = value
    return "?" + params.urlencode()


@register.simple_tag
def is_selected(request, param, value):
    return request.GET.get(param) == str(value)
