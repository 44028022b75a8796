"""Public pages of amendments, served by the routes of CharterIterationPage.

Each view takes the iteration page (in the reader's language) and the request; amendments
belong to the source iteration, so every translation shows the same ones. Writes go through
:mod:`charte.amendments.services`; a refusal shows the form again with what was typed and the
reason.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from charte.accounts.models import AuthorType, public_author_type_q
from charte.amendments.models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AmendmentSupport,
    SupportValue,
)
from charte.amendments.services import (
    amendment_check,
    amendment_correct,
    amendment_propose,
    amendment_support,
    amendment_withdraw,
    amendments_of,
    is_discussed,
    with_tallies,
)
from charte.core import switches
from charte.core.diff import diff_html
from charte.core.exceptions import Refused
from charte.core.guards import guard_post, refusal_status
from charte.core.kept import ANCHOR, keep, take
from charte.core.origins import OFFLINE, Origin
from charte.discussions.models import Comment
from charte.discussions.services import author_reason, closed_reason
from charte.discussions.views import (
    COMMENT_ACTIONS,
    comment_action,
    discussion_context,
    find_comment,
    follow,
    post_comment,
)
from charte.texts.paragraphs import Paragraph
from charte.texts.reading import find_paragraph, reading_outline
from charte.workshops.models import Workshop

PER_PAGE = 20
SORTS = {
    "supports": ("-supports_total", "-number"),
    "newest": ("-number",),
    "discussed": ("-discussion", "-number"),
}


def _paragraph_or_404(page, key):
    sections = reading_outline(page)
    found = find_paragraph(sections, key)
    if found is None or found[2].row is None:
        raise Http404
    return sections, found


def _amendment_or_404(page, number):
    amendment = (
        with_tallies(Amendment.objects.filter(iteration=page.source, number=number))
        .select_related("author", "paragraph", "answered_by", "workshop")
        .first()
    )
    if amendment is None:
        raise Http404
    return amendment


def withdrawn_reason(amendment):
    if amendment.status == AmendmentStatus.WITHDRAWN:
        return _("This amendment was withdrawn: its discussion stays readable.")
    return None


def amendment_diff(amendment):
    """What the amendment changes, as inert HTML with <ins>/<del>."""
    current = amendment.paragraph.text
    if amendment.kind == AmendmentKind.MODIFY:
        return diff_html(current, amendment.text)
    if amendment.kind == AmendmentKind.DELETE:
        return diff_html(current, "")
    return diff_html("", amendment.text)


def _form_context(page, request, key, values=None, error=None, preview=None, amendment=None):
    sections, (section, article, paragraph) = _paragraph_or_404(page, key)
    user = request.user
    closed = closed_reason(page, action=switches.AMENDMENTS)
    limit_note = None
    if amendment is None and not closed and user.is_authenticated and page.source.amendments_limit:
        # A limit reached closes the form as a closed action does (a correction is no new one).
        count = amendments_of(user, page)
        closed = switches.limit_reached(page.source, switches.AMENDMENTS, count)
        limit_note = switches.limit_sentence(page.source, switches.AMENDMENTS, count)
    return sections, {
        "section": section,
        "article": article,
        "paragraph": paragraph,
        "current": paragraph.row.text,
        "current_lang": page.source.locale.language_code,
        "values": values or {"kind": AmendmentKind.MODIFY, "text": paragraph.row.text},
        "error": error,
        "errors": getattr(error, "by_field", {}),
        "preview": preview,
        "closed_reason": closed,
        "author_reason": None if closed else author_reason(user),
        "open_actions": page.open_actions_sentence(),
        "limit_note": limit_note,
        "kinds": AmendmentKind.choices,
        "submission": uuid.uuid4().hex,
    }


def amendment_propose_view(page, request, key, amendment=None):
    """Propose (or, with ``amendment``, correct) an amendment: form, preview, then send.

    Sent by someone no longer signed in, what they typed is kept for them (see
    :mod:`charte.core.kept`) and given back in this form once they are signed in again."""
    signed_out_post = request.method == "POST" and not request.user.is_authenticated
    if amendment is not None and amendment.author_id != request.user.pk and not signed_out_post:
        return redirect(amendment.get_url(page))
    values = None
    error = preview = None
    text_kept = text_restored = False
    if request.method == "POST":
        values = {
            "kind": request.POST.get("kind", ""),
            "text": request.POST.get("text", ""),
            "rationale": request.POST.get("rationale", ""),
        }
        row = Paragraph.objects.filter(iteration=page.source, key=key).first()
        if row is None:
            raise Http404
        sending = "send" in request.POST
        try:
            if not guard_post(
                request,
                scope="amendment",
                honeypot_message=_("Your amendment could not be sent. Please try again."),
                counted=sending and amendment is None,  # a preview or a correction is no post
            ):
                # Already sent: a double click posts once.
                return redirect(page.url + page.reverse_subpage("amendments") + "?mine=1")
            if not sending:
                text, rationale = amendment_check(paragraph=row, by=request.user, **values)
                preview = _preview(row, values["kind"], text)
            else:
                return _send(page, request, row, values, amendment)
        except Refused as refusal:
            error = refusal
            if signed_out_post:
                text_kept = keep(request, address=request.path, fields=values)
    elif (restored := take(request, address=request.path)) is not None:
        values, text_restored = restored, True
    elif amendment is not None:
        values = {"kind": amendment.kind, "text": amendment.text, "rationale": amendment.rationale}
    sections, context = _form_context(page, request, key, values, error, preview, amendment)
    context.update(
        amendment=amendment,
        text_kept=text_kept,
        text_restored=text_restored,
        sign_in_next=f"{request.path}#{ANCHOR}" if text_kept else request.path,
    )
    response = page.render(
        request,
        template="charte/amendment_form.html",
        sections=sections,
        context_overrides=context,
    )
    return refusal_status(response, error)


def _preview(row, kind, text):
    probe = Amendment(paragraph=row, kind=kind, text=text)
    return amendment_diff(probe)


def _send(page, request, row, values, amendment):
    if amendment is not None:
        amendment_correct(amendment=amendment, by=request.user, **values)
        messages.success(request, _("Your amendment is corrected."))
        return redirect(amendment.get_url(page))
    created = amendment_propose(paragraph=row, by=request.user, language=get_language(), **values)
    messages.success(
        request,
        _("Your amendment no. %(number)s is published. Others can now support it.")
        % {"number": created.number},
    )
    return redirect(created.get_url(page))


def amendment_detail(page, request, number, amendment=None, **state):
    """The amendment's page, with its own discussion in ``state`` (see charte.discussions.views)."""
    amendment = amendment or _amendment_or_404(page, number)
    closed = closed_reason(page, action=switches.SUPPORTS)
    mine = None
    if request.user.is_authenticated:
        mine = (
            AmendmentSupport.objects.filter(amendment=amendment, user=request.user)
            .values_list("value", flat=True)
            .first()
        )
    is_author = request.user.is_authenticated and amendment.author_id == request.user.pk
    open_for_support = (
        amendment.status == AmendmentStatus.SUBMITTED
        and not closed
        and not author_reason(request.user)
        and not is_author
    )
    can_correct = (
        is_author
        and amendment.status == AmendmentStatus.SUBMITTED
        and not closed_reason(page, action=switches.AMENDMENTS)
        and not is_discussed(amendment)
    )
    thread_url = amendment.get_url(page)
    return page.render(
        request,
        template="charte/amendment_page.html",
        sections=[],  # the text itself is not shown here
        context_overrides={
            **discussion_context(
                request,
                amendment,
                thread_url=thread_url,
                page=page,
                # What the amendment's own contract says, asked of this page (read once).
                closed=closed_reason(page, action=switches.COMMENTS)
                or withdrawn_reason(amendment)
                or "",
                **state,
            ),
            "heading": "h2",
            "amendment": amendment,
            "diff": amendment_diff(amendment),
            "paragraph_url": amendment.paragraph.get_url(page),
            "amendment_closed": closed,
            "amendment_author_reason": None if closed else author_reason(request.user),
            "my_support": mine,
            "support_values": SupportValue.choices,
            "open_for_support": open_for_support,
            "is_author": is_author,
            "can_correct": can_correct,
            "can_withdraw": is_author and amendment.status == AmendmentStatus.SUBMITTED,
            "integrated_into": amendment.integrated_into,
        },
    )


def _done(page, request, amendment):
    def done(anchor):
        return redirect(f"{amendment.get_url(page)}#{anchor}")

    return done


def _render(page, request, amendment):
    def render(**state):
        return amendment_detail(page, request, amendment.number, amendment=amendment, **state)

    return render


def amendment_action(page, request, number, action):
    amendment = _amendment_or_404(page, number)
    if action == "correct":
        return amendment_propose_view(page, request, amendment.paragraph.key, amendment)
    if action == "comment" and request.method == "POST":
        return post_comment(
            request,
            amendment,
            render=_render(page, request, amendment),
            done=_done(page, request, amendment),
        )
    if action == "follow":
        return follow(request, amendment, done=_done(page, request, amendment))
    if request.method != "POST" or action not in ("support", "withdraw"):
        return redirect(amendment.get_url(page))
    try:
        if action == "support":
            value = request.POST.get("value") or None
            amendment_support(amendment=amendment, by=request.user, value=value)
            if value:
                messages.success(request, _("Your position is recorded."))
            else:
                messages.success(request, _("Your position is withdrawn."))
        else:
            amendment_withdraw(amendment=amendment, by=request.user)
            messages.success(request, _("Your amendment is withdrawn."))
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect(amendment.get_url(page) + "#supports")


def amendment_comment_action(page, request, number, comment_id, action):
    """React to, report, or delete one's own comment in an amendment's discussion."""
    amendment = _amendment_or_404(page, number)
    if request.method != "POST" or action not in COMMENT_ACTIONS:
        return redirect(amendment.get_url(page))
    comment = find_comment(amendment, comment_id)
    if comment is None:
        raise Http404
    return comment_action(
        request,
        amendment,
        comment,
        action,
        render=_render(page, request, amendment),
        done=_done(page, request, amendment),
    )


def listing(amendments):
    """These amendments (a queryset) with tallies and discussion sizes."""
    from django.contrib.contenttypes.models import ContentType

    discussion = (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(Amendment),
            object_pk=Cast(OuterRef("pk"), output_field=Comment._meta.get_field("object_pk")),
            is_public=True,
            hidden_at__isnull=True,
            deleted_at__isnull=True,
        )
        .order_by()
        .values("object_pk")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return with_tallies(amendments).annotate(discussion=Coalesce(Subquery(discussion), 0))


WORKSHOP_FIELDS = ("kind", "title", "starts_at", "online", "place", "participants")


def _origins_and_workshops(source):
    """How many amendments of ``source`` came from each origin, and the workshops and
    registers they came from (for the filter), in one query."""
    rows = (
        Amendment.objects.filter(iteration=source)
        .order_by()
        .values("workshop_id", *(f"workshop__{name}" for name in WORKSHOP_FIELDS))
        .annotate(n=Count("pk"))
    )
    by_origin: dict[str, int] = {}
    workshops = []
    for row in rows:
        origin = row["workshop__kind"] or Origin.ONLINE
        by_origin[origin] = by_origin.get(origin, 0) + row["n"]
        if row["workshop_id"]:
            fields = {name: row[f"workshop__{name}"] for name in WORKSHOP_FIELDS}
            workshops.append(Workshop(pk=row["workshop_id"], **fields))
    origins = [(origin.value, origin.label, by_origin.get(origin.value, 0)) for origin in Origin]
    return origins, sorted(workshops, key=lambda workshop: workshop.starts_at)


class _Listing(Paginator):
    """Pages of the annotated amendments, counted on the filtered rows alone: the count needs
    neither the tallies nor the discussion sizes (their aggregates over every amendment)."""

    def __init__(self, rows, per_page, *, counted):
        super().__init__(rows, per_page)
        self.counted = counted

    @cached_property
    def count(self):
        return self.counted.count()


def amendment_list(page, request):
    source = page.source
    queryset = Amendment.objects.filter(iteration=source)
    params = request.GET
    filters = {
        "article": params.get("article", ""),
        "paragraph": params.get("paragraph", ""),
        "status": params.get("status", ""),
        "kind": params.get("kind", ""),
        "author_type": params.get("author_type", ""),
        "origin": params.get("origin", ""),
        "workshop": params.get("workshop", ""),
    }
    if filters["article"].isdigit():
        queryset = queryset.filter(paragraph__article_number=int(filters["article"]))
    if filters["paragraph"]:
        queryset = queryset.filter(paragraph__key=filters["paragraph"])
    if filters["status"] in AmendmentStatus.values:
        queryset = queryset.filter(status=filters["status"])
    if filters["kind"] in AmendmentKind.values:
        queryset = queryset.filter(kind=filters["kind"])
    if filters["author_type"] in AuthorType.values:
        # « Elected member » lists the confirmed ones only (declared ones are not, yet).
        queryset = queryset.filter(public_author_type_q(filters["author_type"], prefix="author__"))
    if filters["origin"] == Origin.ONLINE:
        queryset = queryset.filter(workshop__isnull=True)
    elif filters["origin"] in OFFLINE:
        queryset = queryset.filter(workshop__kind=filters["origin"])
    if filters["workshop"].isdigit():
        queryset = queryset.filter(workshop_id=int(filters["workshop"]))
    if params.get("mine") and request.user.is_authenticated:
        queryset = queryset.filter(author=request.user)
    sort = params.get("sort") if params.get("sort") in SORTS else "supports"
    rows = (
        listing(queryset).select_related("author", "paragraph", "workshop").order_by(*SORTS[sort])
    )
    paginator = _Listing(rows, PER_PAGE, counted=queryset)
    page_obj = paginator.get_page(params.get("page"))
    articles = (
        Paragraph.objects.filter(iteration=source)
        .order_by("article_number")
        .values_list("article_number", "article_title")
        .distinct()
    )
    kept = params.copy()
    kept.pop("page", None)
    origins, workshops = _origins_and_workshops(source)
    return page.render(
        request,
        template="charte/amendment_list.html",
        sections=[],  # the text itself is not shown here
        context_overrides={
            "page_obj": page_obj,
            "amendments": page_obj.object_list,
            "filters": filters,
            "sort": sort,
            "sorts": [
                ("supports", _("most supported")),
                ("newest", _("newest")),
                ("discussed", _("most discussed")),
            ],
            "articles": list(articles),
            "statuses": AmendmentStatus.choices,
            "kinds": AmendmentKind.choices,
            "author_types": AuthorType.choices,
            "origins": origins,
            "workshops": workshops,
            "query": kept.urlencode(),
            "total": paginator.count,
        },
    )
