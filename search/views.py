"""The search page and its JSON API: the same parameters, read by one function, and the same
answers. The API goes through REST framework like the rest of ``/api/``: its JSON renderer, the
site's session, the per-client rates (429 with Retry-After) and its exception handling."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.shortcuts import render
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import APIException
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from charte.core.origins import Origin

from .engines import (
    FACETS,
    MAX_QUERY,
    MAX_TERMS,
    EngineUnavailable,
    Query,
    SearchTooSlow,
    bound_terms,
    clean_query,
    count_limit,
    get_engine,
)

KIND_LABELS = {
    "paragraph": gettext_lazy("Paragraphs"),
    "comment": gettext_lazy("Comments"),
    "amendment": gettext_lazy("Amendments"),
    "charter": gettext_lazy("Charters"),
    "iteration": gettext_lazy("Versions"),
    "argument": gettext_lazy("Debate arguments"),
    "debate": gettext_lazy("Debates"),
    "commitment": gettext_lazy("Commitments"),
}
ORIGIN_LABELS = dict(Origin.choices)  # online, workshop, paper register
FACET_LABELS = {
    "kind": gettext_lazy("Kind"),
    "charter_id": gettext_lazy("Charter"),
    "iteration_id": gettext_lazy("Version or debate"),
    "article": gettext_lazy("Article"),
    "amendment_status": gettext_lazy("Amendment status"),
    "author_type": gettext_lazy("Author type"),
    "origin": gettext_lazy("Origin"),
    "language": gettext_lazy("Language"),
}
# Query-string names of the facets (the page's addresses stay readable).
PARAMS = {
    "kind": "kind",
    "charter_id": "charter",
    "iteration_id": "iteration",
    "article": "article",
    "amendment_status": "status",
    "author_type": "author_type",
    "origin": "origin",
    "language": "language",
}
INTEGER_FACETS = {"charter_id", "iteration_id", "article"}
# The values a facet shows on the page; past them, a link lists them all (``more=<param>``).
SHOWN_VALUES = 10


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse(params) -> tuple[Query, list[str]]:
    """The query from a request's parameters (its query string), and notes for the reader about
    what was changed (a query cut to its maximum length, an unreadable date). The page and the
    API both read their parameters here."""
    notes = []
    raw = params.get("q", "")
    text = clean_query(raw)
    if len(raw) > MAX_QUERY:
        notes.append(_("Your search was cut to its first %(max)s characters.") % {"max": MAX_QUERY})
    bounded, dropped = bound_terms(text)
    # Only short words (« a »): still a search, which the engines answer with no results.
    text = bounded or text
    if dropped:
        notes.append(
            _("Only the first %(max)s words of your search were used: %(dropped)s were left out.")
            % {"max": MAX_TERMS, "dropped": dropped}
        )
    filters = {}
    for facet, name in PARAMS.items():
        value = clean_query(params.get(name, ""))[:64]
        if not value:
            continue
        if facet in INTEGER_FACETS:
            if not value.isdigit():
                continue
            value = int(value)
        filters[facet] = value
    date_from, date_to = _date(params.get("from")), _date(params.get("to"))
    for name in ("from", "to"):
        if params.get(name) and _date(params.get(name)) is None:
            notes.append(
                _("The date « %(value)s » was not understood: use YYYY-MM-DD.")
                % {"value": clean_query(params.get(name))[:20]}
            )
    try:
        page = max(1, min(int(params.get("page", 1)), 500))
    except (TypeError, ValueError):
        page = 1
    sort = "date" if params.get("sort") == "date" else "relevance"
    more = {param: name for name, param in PARAMS.items()}.get(params.get("more", ""), "")
    if params.get("more") == "month":
        more = "month"
    query = Query(
        more=more,
        text=text,
        filters=filters,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        language=(translation.get_language() or settings.LANGUAGE_CODE).split("-")[0],
    )
    return query, notes


def facet_titles(ids: set[int]) -> dict[int, str]:
    """The titles of the charters and versions that facet values name, read from the pages' own
    entries (one row each) or, for a page without one, from a single entry about it: never
    from every entry of a version, which may hold a million."""
    from .models import SearchEntry

    titles = {}
    pages = SearchEntry.objects.filter(key__in=[f"page:{pk}" for pk in ids])
    for kind, charter, charter_title, iteration, iteration_title in pages.values_list(
        "kind", "charter_id", "charter_title", "iteration_id", "iteration_title"
    ):
        if kind in ("iteration", "debate"):
            titles[iteration] = iteration_title
            titles.setdefault(charter, charter_title)
        else:
            titles[charter] = charter_title
    for pk in ids - titles.keys():
        # Any one row will do: no ORDER BY, so the iteration or charter index finds it at once.
        found = list(
            SearchEntry.objects.filter(iteration_id=pk).values_list("iteration_title", flat=True)[
                :1
            ]
        ) or list(
            SearchEntry.objects.filter(charter_id=pk).values_list("charter_title", flat=True)[:1]
        )
        if found:
            titles[pk] = found[0]
    return titles


def labelled_facets(results) -> list[dict]:
    """Facet values with readable labels, for the page and the API."""
    from charte.accounts.models import author_type_label
    from charte.models import AmendmentStatus

    if results.labels is not None:  # the engine's own entries name them
        titles = {
            v: t
            for name in ("charter_id", "iteration_id")
            for v, t in results.labels.get(name, {}).items()
        }
    else:
        ids = {
            v for name in ("charter_id", "iteration_id") for v, _n in results.facets.get(name, [])
        }
        titles = facet_titles(ids)
    languages = dict(settings.LANGUAGES)
    labels = {
        "kind": KIND_LABELS,
        "amendment_status": dict(AmendmentStatus.choices),
        "author_type": {
            value: author_type_label(value)
            for value, _count in results.facets.get("author_type", [])
        },
        "origin": ORIGIN_LABELS,
        "language": languages,
    }
    facets = []
    for name in FACETS:
        values = []
        for value, count in results.facets.get(name, []):
            if name in ("charter_id", "iteration_id"):
                label = titles.get(value, str(value))
            elif name == "article":
                label = _("Article %(number)s") % {"number": value}
            else:
                label = labels[name].get(value, value)
            values.append({"value": value, "label": str(label), "count": count})
        facets.append(
            {
                "name": name,
                "param": PARAMS[name],
                "label": str(FACET_LABELS[name]),
                "values": values,
                # How many values it has, those listed or not (``more`` lists them all).
                "size": (results.sizes or {}).get(name, len(values)),
            }
        )
    months = [month_value(v, n) for v, n in results.facets.get("month", [])]
    facets.append(
        {
            "name": "month",
            "param": "month",
            "label": str(_("Date")),
            "values": months,
            "size": len(months),
        }
    )
    return facets


def shown_facets(params, query, facets) -> list[dict]:
    """The facets as the page lists them: the first SHOWN_VALUES values of each, and when it
    has more, the address of the same search listing them all (or, once they are, back)."""
    shown = []
    for facet in facets:
        item = dict(facet)
        rest = params.copy()
        rest.pop("more", None)
        rest.pop("page", None)
        if facet["name"] == query.more:
            item["less_url"] = "?" + rest.urlencode()
        elif facet["size"] > SHOWN_VALUES:
            # A chosen value stays in view, ticked, even when it is not among the first.
            chosen = str(query.filters.get(facet["name"], ""))
            item["values"] = facet["values"][:SHOWN_VALUES] + [
                value
                for value in facet["values"][SHOWN_VALUES:]
                if chosen and str(value["value"]) == chosen
            ]
            rest["more"] = facet["param"]
            item["more_url"] = "?" + rest.urlencode()
        shown.append(item)
    return shown


def active_filters(params, query, facets) -> list[dict]:
    """The filters in force, each with its label and the address without it: kept by the form
    (as hidden fields) when new words are typed, and listed so that each can be removed."""
    labels = {
        facet["name"]: {str(item["value"]): item["label"] for item in facet["values"]}
        for facet in facets
    }
    active = []
    for name, value in query.filters.items():
        param = PARAMS[name]
        rest = params.copy()
        rest.pop("page", None)
        rest.pop(param, None)
        label = labels.get(name, {}).get(str(value))
        if label is None:
            label = _("Article %(number)s") % {"number": value} if name == "article" else value
        active.append(
            {
                "param": param,
                "value": value,
                "facet": str(FACET_LABELS[name]),
                "label": str(label),
                "remove_url": "?" + rest.urlencode(),
            }
        )
    return active


def month_value(value, count) -> dict:
    """A month of the date facet: its label and the date range that selects it."""
    import calendar

    from django.utils import formats

    year, month = (int(part) for part in value.split("-"))
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return {
        "value": value,
        "label": formats.date_format(first, "F Y"),
        "count": count,
        "from": first.isoformat(),
        "to": last.isoformat(),
    }


def run(params):
    """The query, its notes, and its results (None when there is nothing to search for)."""
    query, notes = parse(params)
    if not query.text and not query.filters and not (query.date_from or query.date_to):
        return query, notes, None
    return query, notes, get_engine().search(query)


def suggestion_for(query, results) -> str | None:
    """« Did you mean … ? »: for a text query that found nothing, the nearest query the engine
    knows that finds something (None when there is none, or the engine cannot tell)."""
    if results is None or results.total or not query.text:
        return None
    suggest = getattr(get_engine(), "suggest", None)
    if suggest is None:
        return None
    try:
        return suggest(query.text)
    except (EngineUnavailable, SearchTooSlow):
        return None


def suggestion_params(params, suggestion: str) -> str:
    """The current search's parameters with the suggested words instead of the typed ones."""
    kept = params.copy()
    kept.pop("page", None)
    kept["q"] = suggestion
    return kept.urlencode()


TOO_SLOW = gettext_lazy("The search took too long: make it more precise (fewer or longer words).")


class PageAnonThrottle(AnonRateThrottle):
    """The search page counted at the API's rates (``API_RATE_ANON``), in its own budget."""

    cache_format = "throttle_search_page_%(scope)s_%(ident)s"


class PageUserThrottle(UserRateThrottle):
    """The search page counted at the API's rates (``API_RATE_USER``), in its own budget."""

    cache_format = "throttle_search_page_%(scope)s_%(ident)s"


def page_wait(request) -> int | None:
    """Count one search page for this client; the seconds to wait when it went past the API's
    rate, else None."""
    waits = []
    for throttle in (PageAnonThrottle(), PageUserThrottle()):
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait() or 1)
    return max(int(wait) + 1 for wait in waits) if waits else None


def search_page(request):
    wait = page_wait(request)
    if wait:
        response = render(
            request,
            "search/refused.html",
            {
                "title": _("Too many searches"),
                "message": _(
                    "You searched too often in a short time: wait %(seconds)s seconds and try "
                    "again."
                )
                % {"seconds": wait},
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    try:
        query, notes, results = run(request.GET)
    except EngineUnavailable:
        return render(request, "search/unavailable.html", status=503)
    except SearchTooSlow:
        return render(
            request,
            "search/refused.html",
            {"title": _("Search took too long"), "message": TOO_SLOW},
            status=503,
        )
    context = {"query": query, "notes": notes, "results": results, "active_filters": []}
    if results is not None:
        facets = labelled_facets(results)
        context["facets"] = shown_facets(request.GET, query, facets)
        context["active_filters"] = active_filters(request.GET, query, facets)
        context["kind_labels"] = KIND_LABELS
        context["total_shown"] = formats.number_format(results.total, force_grouping=True)
        context["limit_shown"] = formats.number_format(count_limit(), force_grouping=True)
        kept = request.GET.copy()
        kept.pop("page", None)
        context["kept"] = kept.urlencode()
        suggestion = suggestion_for(query, results)
        if suggestion:
            context["suggestion"] = suggestion
            context["suggestion_url"] = "?" + suggestion_params(request.GET, suggestion)
    return render(request, "search/search_page.html", context)


class SearchUnavailable(APIException):
    """The engine does not answer: a 503 with a message, which REST framework's exception
    handler renders as ``{"detail": ...}`` without changing its status."""

    status_code = 503
    default_detail = gettext_lazy("Search is unavailable for the moment. Everything else works.")
    default_code = "search_unavailable"


class SearchTookTooLong(APIException):
    """The search went past its time budget: a 503 asking for a more precise search."""

    status_code = 503
    default_detail = TOO_SLOW
    default_code = "search_too_slow"


class AlwaysJSON(BaseContentNegotiation):
    """JSON whatever the Accept header or a ``format`` parameter asks for, as the search API
    always answered: ``format`` is none of its parameters, so it must not turn into a 404."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def hit_json(request, hit) -> dict:
    return {
        "kind": hit.kind,
        "title": hit.title,
        "excerpt": hit.excerpt,
        "url": request.build_absolute_uri(hit.url),
        "date": hit.date.isoformat() if hit.date else None,
        "language": hit.language,
        "charter": hit.charter_title,
        "iteration": hit.iteration_title,
        "article": hit.article,
        "amendment_status": hit.amendment_status or None,
        "author_type": hit.author_type or None,
    }


class SearchAPI(APIView):
    """``GET /api/search/?q=…&kind=…&page=N``: the search page's results as JSON, in the
    request's language (``/en/api/search/`` in English)."""

    content_negotiation_class = AlwaysJSON

    def get(self, request):
        try:
            query, notes, results = run(request.query_params)
        except EngineUnavailable as unavailable:
            raise SearchUnavailable() from unavailable
        except SearchTooSlow as slow:
            raise SearchTookTooLong() from slow
        if results is None:
            return Response(
                {"detail": _("Type some words, or choose a filter."), "notes": notes}, status=400
            )
        answer = {
            "query": query.text,
            "notes": notes,
            "total": results.total,
            "page": results.page,
            "pages": results.pages,
            "results": [hit_json(request, hit) for hit in results.hits],
            "facets": labelled_facets(results),
            # True when the engine stopped counting: there are more than ``total`` results.
            "total_is_lower_bound": results.total_is_lower_bound,
            # True when the facets' counts and the ranking are those of part of the matches.
            "facets_approximate": results.facets_approximate,
        }
        suggestion = suggestion_for(query, results)
        if suggestion:  # only when nothing was found: « did you mean … ? »
            answer["suggestion"] = suggestion
        return Response(answer)


search_api = SearchAPI.as_view()
