"""Public pages of a debate, served by the routes of DebatePage.

Each view takes the debate page (in the reader's language) and the request; arguments belong
to the debate in the default language, so every translation shows the same ones. Writes go
through :mod:`charte.debates.services`; a refusal shows the form again with what was typed and why.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from charte.core import switches
from charte.core.exceptions import Refused
from charte.core.guards import guard_post, refusal_status
from charte.core.kept import ANCHOR, keep, take
from charte.debates.models import Argument, ArgumentSupport, DebatePosition, PositionValue, Side
from charte.debates.services import (
    PER_PAGE,
    SORTS,
    argument_delete_own,
    argument_limit_reason,
    argument_post,
    argument_report,
    argument_support,
    arguments_for_side,
    arguments_of,
    attach_comment_counts,
    debate_closed_reason,
    position_state,
    positions,
    side_totals,
)
from charte.discussions.models import ReportReason
from charte.discussions.services import author_reason
from charte.discussions.views import (
    COMMENT_ACTIONS,
    comment_action,
    discussion_context,
    find_comment,
    follow,
    post_comment,
)
from charte.workshops.queries import debate_workshops, text_language, workshop_url

LIST_PARAMETERS = ("for_sort", "for_page", "against_sort", "against_page")


def _sort(value):
    return value if value in SORTS else "supported"


def _side_page(debate, request, side, mine):
    sort = _sort(request.GET.get(f"{side}_sort"))
    paginator = Paginator(arguments_for_side(debate, side, sort), PER_PAGE)
    page = paginator.get_page(request.GET.get(f"{side}_page"))
    arguments = list(page.object_list)
    attach_comment_counts(arguments)
    for argument in arguments:
        argument.supported = argument.pk in mine
    page.object_list = arguments
    return {"side": side, "sort": sort, "page_obj": page, "label": Side(side).label}


def debate_view(debate, request, typed=None, refusal=None, text_kept=False, errors=None):
    """The question, its context, the two columns of arguments, the position and the form.

    ``text_kept``: the argument just refused was kept for its author, no longer signed in (see
    :mod:`charte.core.kept`); signed in again, the debate's page gives it back in the form."""
    now = timezone.now()
    text_restored = False
    if typed is None and request.method == "GET":
        typed = take(request, address=debate.url)
        text_restored = typed is not None
    closed = debate_closed_reason(debate, now)
    user = request.user
    mine_supports, my_position = set(), None
    if user.is_authenticated:
        mine_supports = set(
            ArgumentSupport.objects.filter(user=user, argument__debate=debate.source).values_list(
                "argument_id", flat=True
            )
        )
        my_position = (
            DebatePosition.objects.filter(debate=debate.source, user=user)
            .values_list("value", flat=True)
            .first()
        )
    columns = [_side_page(debate, request, side, mine_supports) for side in Side.values]
    workshops = debate_workshops(debate)
    for workshop in workshops:
        workshop.public_url = workshop_url(workshop, request)
    kept = request.GET.copy()
    return debate.render(
        request,
        context_overrides={
            "columns": columns,
            "totals": side_totals(debate),
            "closed_reason": closed,
            "author_reason": None if closed else author_reason(user),
            "arguments_closed": debate.action_closed_reason(switches.ARGUMENTS, now)
            or (user.is_authenticated and argument_limit_reason(user, debate))
            or None,
            "supports_closed": debate.action_closed_reason(switches.ARGUMENT_SUPPORTS, now),
            "limit_note": switches.limit_sentence(
                debate.source, switches.ARGUMENTS, arguments_of(user, debate)
            )
            if user.is_authenticated and debate.source.arguments_limit
            else None,
            "open_actions": debate.open_actions_sentence(now),
            "state": debate.state(now),
            "source": debate.source,
            "charter": debate.charter(),
            "articles": _articles(debate, "articles"),
            "influenced": _articles(debate, "influenced"),
            "debate_workshops": workshops,
            "text_lang": text_language(),
            "my_position": my_position,
            "position_values": PositionValue.choices,
            "positions": positions(debate)
            if (my_position or debate.state(now) == "closed")
            else None,
            "typed": typed or {},
            "refusal": refusal,
            "errors": errors or {},
            "text_kept": text_kept,
            "text_restored": text_restored,
            "sign_in_next": f"{debate.url}#{ANCHOR}" if text_kept else f"{debate.url}#argue",
            "sides": Side.choices,
            "sorts": [("supported", _("Most supported")), ("newest", _("Newest"))],
            "query": kept,
            "submission": uuid.uuid4().hex,
            "now": now,
        },
    )


def _articles(debate, name):
    """The articles a debate concerns (or changed), each linked in the reader's language."""
    rows = list(getattr(debate.source, name).select_related("iteration").order_by("position"))
    links = []
    for row in rows:
        iteration = row.iteration.get_translation_or_none(debate.locale) or row.iteration
        links.append(
            {
                "row": row,
                "iteration": iteration,
                "url": f"{iteration.url}#article-{row.article_number}",
            }
        )
    return links


def argue(debate, request):
    """Write an argument: a refusal gives the form back with the text typed."""
    if request.method != "POST":
        return redirect(debate.url)
    typed = {
        "side": request.POST.get("side", ""),
        "title": request.POST.get("title", ""),
        "text": request.POST.get("text", ""),
    }
    ticked = request.POST.get("follow") == "on"  # given back as it was on a refusal

    try:
        if not guard_post(
            request,
            scope="argument",
            honeypot_message=_("Your argument could not be sent. Please try again."),
        ):
            return redirect(f"{debate.url}#arguments")  # already sent: a double click posts once
        argument = argument_post(
            debate=debate,
            by=request.user,
            language=get_language(),
            follow=ticked,
            **typed,
        )
    except Refused as refusal:
        kept = not request.user.is_authenticated and keep(request, address=debate.url, fields=typed)
        response = debate_view(
            debate,
            request,
            typed={**typed, "follow": ticked},
            refusal=refusal.message,
            errors=refusal.by_field,
            text_kept=kept,
        )
        return refusal_status(response, refusal)
    if not argument.is_public:
        messages.info(
            request, _("Thank you. Your argument will appear once a moderator has approved it.")
        )
        return redirect(f"{debate.url}#arguments")
    messages.success(request, _("Your argument is published."))
    return redirect(argument.get_url(debate))


def position(debate, request):
    if request.method == "POST":
        try:
            position_state(debate=debate, by=request.user, value=request.POST.get("value", ""))
            messages.success(request, _("Your position is recorded."))
        except Refused as refusal:
            messages.error(request, refusal.message)
    return redirect(f"{debate.url}#position")


def _argument_or_404(debate, pk):
    argument = Argument.objects.filter(debate=debate.source, pk=pk).select_related("author").first()
    if argument is None or not (argument.is_public or argument.hidden_at):
        raise Http404
    return argument


def argument_view(debate, request, pk, argument=None, **state):
    """One argument with its supports and its own discussion."""
    argument = argument or _argument_or_404(debate, pk)
    # The argument's own report form (shown again after a refusal) is not the discussion's.
    argument_report = state.pop("argument_report", None)
    closed = debate_closed_reason(debate)
    supports_closed = debate.action_closed_reason(switches.ARGUMENT_SUPPORTS)
    user = request.user
    supported = (
        user.is_authenticated
        and ArgumentSupport.objects.filter(argument=argument, user=user).exists()
    )
    is_author = user.is_authenticated and argument.author_id == user.pk
    thread_url = argument.get_url(debate)
    discussion_closed = closed or (
        None if argument.is_visible else _("This argument is no longer shown.")
    )
    return debate.render(
        request,
        template="charte/argument_page.html",
        context_overrides={
            **discussion_context(
                request,
                argument,
                thread_url=thread_url,
                page=debate,
                closed=discussion_closed or "",
                **state,
            ),
            "heading": "h2",
            "argument": argument,
            "supports": argument.supports.count(),
            "supported": supported,
            "is_author": is_author,
            "can_support": not supports_closed
            and not is_author
            and not author_reason(user)
            and argument.is_visible,
            "closed_reason": closed,
            "supports_closed": supports_closed,
            "report_reasons": ReportReason.choices,
            "argument_report": argument_report,
            "charter": debate.charter(),
        },
    )


def _done(debate, argument):
    def done(anchor):
        return redirect(f"{argument.get_url(debate)}#{anchor}")

    return done


def _render(debate, request, argument):
    def render(**state):
        return argument_view(debate, request, argument.pk, argument=argument, **state)

    return render


def argument_action(debate, request, pk, action):
    """Support, comment, follow, report or delete one's own argument (POST)."""
    argument = _argument_or_404(debate, pk)
    if action == "comment" and request.method == "POST":
        return post_comment(
            request,
            argument,
            render=_render(debate, request, argument),
            done=_done(debate, argument),
        )
    if action == "follow":
        return follow(request, argument, done=_done(debate, argument))
    if request.method != "POST" or action not in ("support", "unsupport", "report", "delete"):
        return redirect(argument.get_url(debate))
    back = request.POST.get("next", "")
    try:
        if action in ("support", "unsupport"):
            argument_support(argument=argument, by=request.user, support=action == "support")
            if action == "support":
                messages.success(request, _("You support this argument."))
            else:
                messages.success(request, _("You no longer support this argument."))
        elif action == "report":
            guard_post(
                request,
                scope="report",
                honeypot_message=_("Your report could not be sent. Please try again."),
            )
            argument_report(
                argument=argument,
                by=request.user,
                reason=request.POST.get("reason", ""),
                details=request.POST.get("details", ""),
            )
            messages.success(request, _("Thank you: the moderators will look at it."))
        else:
            argument_delete_own(argument=argument, by=request.user)
            messages.success(request, _("Your argument is deleted."))
            return redirect(f"{debate.url}#arguments")
    except Refused as refusal:
        if action == "report" and request.user.is_authenticated:
            response = argument_view(
                debate,
                request,
                pk,
                argument=argument,
                argument_report={
                    "details": request.POST.get("details", ""),
                    "reason": request.POST.get("reason", ""),
                    "error": refusal.message,
                },
            )
            return refusal_status(response, refusal)
        messages.error(request, refusal.message)
    if back == "debate":  # supported from the list: back to the argument in its column
        kept = QueryDict(request.POST.get("query", ""), mutable=True)
        query = QueryDict(mutable=True)
        for key in LIST_PARAMETERS:
            if kept.get(key, "").isalnum():
                query[key] = kept[key]
        return redirect(f"{debate.url}?{query.urlencode()}#argument-{argument.pk}")
    return redirect(f"{argument.get_url(debate)}#supports")


def argument_comment_action(debate, request, pk, comment_id, action):
    """React to, report, or delete one's own comment in an argument's discussion."""
    argument = _argument_or_404(debate, pk)
    if request.method != "POST" or action not in COMMENT_ACTIONS:
        return redirect(argument.get_url(debate))
    comment = find_comment(argument, comment_id)
    if comment is None:
        raise Http404
    return comment_action(
        request,
        argument,
        comment,
        action,
        render=_render(debate, request, argument),
        done=_done(debate, argument),
    )
