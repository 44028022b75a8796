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


@register.simple_tag
def month_url(request, item):
    """The address that limits the results to the month ``item`` (or lifts that limit)."""
    params = request.GET.copy()
    params.pop("page", None)
    if params.get("from") == item["from"] and params.get("to") == item["to"]:
        params.pop("from")
        params.pop("to")
    else:
        params["from"], params["to"] = item["from"], item["to"]
    return "?" + params.urlencode()


@register.simple_tag
def is_month(request, item):
    return request.GET.get("from") == item["from"] and request.GET.get("to") == item["to"]
