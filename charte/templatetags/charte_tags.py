import base64
from html import escape as escape_html  # Django's, lazy-aware, costs thrice as much

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html, urlize
from django.utils.safestring import mark_safe
from wagtail.models import Page

from charte.core import formatting, kept, tree
from charte.texts.pages import IterationState

register = template.Library()


@register.filter
def ugc(value):
    """Text a citizen wrote, made inert: escaped, links auto-linked as user-generated content,
    line breaks kept."""
    html = urlize(str(value), nofollow=True, autoescape=True)
    html = html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return mark_safe(html.replace("\n", "<br>"))


@register.simple_tag(takes_context=True)
def owner_field(context):
    """The hidden field that marks a citizen form with the account it was shown to: if their
    session has ended when they send it, their text is kept for that account only."""
    request = context.get("request")
    mark = kept.owner_mark(getattr(request, "user", None))
    return format_html('<input type="hidden" name="{}" value="{}">', kept.OWNER_FIELD, mark)


@register.filter
def long_datetime(value):
    """« 12 mars 2027 à 18 h »"""
    return formatting.format_datetime(value)


@register.filter
def machine_datetime(value):
    """The ``datetime`` attribute of a ``<time>``: ISO 8601 to the second, with its offset
    (« 2027-03-12T18:00:00+01:00 »). HTML allows at most three digits of a fraction of a
    second, so Django's ``date:'c'`` (microseconds) is not valid there."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


@register.filter
def long_date(value):
    return formatting.format_date(value) if value else ""


@register.filter
def time_left(value, now=None):
    return formatting.time_left(value, now)


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to the same page in each language. Where it has no published translation, the
    nearest ancestor that has one (whose lists lead on, in the source language where needed),
    else that language's home page: no link leads to a missing translation."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    nearest = {}
    suffix = ""
    if isinstance(page, Page) and page.pk:
        page_url = page.get_url(request) or ""
        if request is not None and page_url and request.path.startswith(page_url):
            suffix = request.path[len(page_url) :]
        nearest = tree.kept(
            "translations", page.pk, page.path, compute=lambda: _nearest_translations(page)
        )
    links = []
    for code, name in settings.LANGUAGES:
        target = nearest.get(code)
        if target is not None and target.translation_key == page.translation_key:
            # Every sub-address (paragraphs, comparisons…) is served in every language: a
            # version not translated is read in the source language there.
            url = (target.get_url(request) or "/") + suffix
        elif target is not None:
            url = target.get_url(request) or "/"
        else:
            with translation.override(code):
                url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


def _nearest_translations(page) -> dict:
    """By language code, the published page nearest to ``page`` in that language: its own
    translation, else the translation of its nearest ancestor (below the tree's root). One
    query: the ancestors' paths are prefixes of the page's (kept until the tree changes)."""
    paths = [
        page.path[:length] for length in range(2 * page.steplen, len(page.path) + 1, page.steplen)
    ]
    keys = Page.objects.filter(path__in=paths).values("translation_key")
    nearest = {}
    for candidate in (
        Page.objects.filter(translation_key__in=keys, depth__gt=1)
        .live()
        .select_related("locale")
        .order_by("-depth")
    ):
        nearest.setdefault(candidate.locale.language_code, candidate)
    return nearest


@register.inclusion_tag("charte/includes/state_banner.html", takes_context=True)
def state_banner(context, iteration):
    now = context.get("now")
    source = iteration.source
    state = iteration.current_state(now)
    return {
        "iteration": iteration,
        "source": source,
        "state": state,
        "states": IterationState,
        "upcoming": iteration.is_consultation_upcoming(now),
        "ends_at": iteration.consultation_ends_at(),
        "open_actions": iteration.open_actions_sentence(now)
        if state == IterationState.CONSULTATION
        else "",
        "adoption": context.get("adoption"),
        "now": now,
    }


@register.simple_tag
def status_label(status):
    """The label of an amendment status, for the badges of the margin."""
    from charte.amendments.models import AmendmentStatus

    return AmendmentStatus(status).label


ROW_HEIGHT, LABEL_WIDTH, BAR_WIDTH = 28, 280, 300


@register.inclusion_tag("charte/includes/chart.html")
def bar_chart(bars, title, label, id, document=False):
    """A horizontal bar chart drawn on the server (SVG), followed by the same figures as a
    table: the chart is for the eye, the table for everyone. In a ``document`` (a PDF), the
    drawing is an image with its text alternative, which tagged PDFs carry (an inline SVG's
    label is lost there)."""
    rows = [
        {
            "bar": bar,
            "y": index * ROW_HEIGHT,
            "width": round(bar.share * BAR_WIDTH, 1),
            "value_x": LABEL_WIDTH + round(bar.share * BAR_WIDTH, 1) + 6,
        }
        for index, bar in enumerate(bars)
    ]
    context = {
        "rows": rows,
        "bars": bars,
        "title": title,
        "label": label,
        "id": id,
        "height": max(1, len(rows)) * ROW_HEIGHT,
        "label_width": LABEL_WIDTH,
        "document": document,
    }
    if document and rows:
        drawing = render_to_string("charte/includes/chart_bars.svg", context)
        context["image"] = "data:image/svg+xml;base64," + base64.b64encode(drawing.encode()).decode(
            "ascii"
        )
    return context


@register.simple_tag
def query_with(query, *pairs):
    """``query`` (a QueryDict) with each ``key, value`` of ``pairs`` set, or removed when the
    value is empty: the links of one column keep the other column's sort and page."""
    changed = query.copy()
    for key, value in zip(pairs[::2], pairs[1::2], strict=True):
        if value in ("", None):
            changed.pop(key, None)
        else:
            changed[key] = value
    return changed.urlencode()


@register.simple_tag(takes_context=True)
def signature(context, contribution, strong=True):
    """Who a comment or an amendment is from: the author's name, or, for what a workshop or a
    paper register said, its signature linked to its public page with a badge of its origin
    (« En atelier », « Registre papier »)."""
    from charte.core.origins import Origin
    from charte.workshops.queries import workshop_url

    name = contribution.author_name
    if not getattr(contribution, "workshop_id", None):
        return format_html("<strong>{}</strong>", name) if strong else name
    workshop = contribution.workshop
    request = context.get("request")
    url = workshop_url(workshop, request, shown_on=context.get("charter") or context.get("page"))
    if request is None and url.startswith("/"):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url
    badge = (
        translation.gettext("Paper register")
        if workshop.kind == Origin.REGISTER
        else translation.gettext("In a workshop")
    )
    link = format_html('<a href="{}">{}</a>', url, name) if url else name
    return format_html(
        '<span class="badge badge--origin badge--{}">{}</span> {}',
        workshop.kind,
        badge,
        format_html("<strong>{}</strong>", link) if strong else link,
    )


@register.simple_tag(takes_context=True)
def unchanged_paragraphs(context, changes):
    """The unchanged paragraphs of a comparison, most of a long text's: the markup the
    template's loop wrote, written out once per paragraph in Python (at 1,000 paragraphs the
    loop was most of the time of a comparison's first rendering)."""
    comparison = context["comparison"]
    language = comparison.new.in_source_language
    hreflang = f' hreflang="{escape_html(language)}"' if language else ""
    where = translation.gettext("Article %(a)s, paragraph %(n)s")
    html = []
    for change in changes:
        new = change.new
        lang = f' lang="{escape_html(change.new_lang)}"' if change.new_lang else ""
        label = where % {"a": new.article_number, "n": new.number}
        html.append(
            f'<div class="change change--unchanged" id="{escape_html(change.anchor)}">'
            f'<p class="change__where"><a href="{escape_html(change.url)}"{hreflang}>'
            f"{label}</a></p>"
            f"<p{lang}>{linebreaksbr(change.new_text, autoescape=True)}</p></div>\n"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
