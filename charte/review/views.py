"""The council's review space, served by CharterPage (``review/``): for council members and
the communication team, signed in; never cached, never public."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from charte.core.exceptions import Refused
from charte.core.guards import refusal_status
from charte.core.rules import can_review
from charte.publications.documents import REVIEW
from charte.publications.views import answer_ready, deliver
from charte.review.services import final_iteration, note_add, review
from charte.texts.paragraphs import Paragraph


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _refused(charter, request):
    """Anonymous readers are asked to sign in; other accounts are told whose space it is."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if not can_review(request.user):
        response = charter.render(
            request, template="charte/review_forbidden.html", context_overrides={}
        )
        response.status_code = 403
        return _private(response)
    return None


def _final_page(charter):
    final = final_iteration(charter)
    if final is None:
        raise Http404
    page = final.get_translation_or_none(charter.locale) or final
    return (page if page.live else final), final


def review_pack_download(charter, request):
    refused = _refused(charter, request)
    if refused is not None:
        return refused
    page, _final = _final_page(charter)
    return _private(
        answer_ready(request, page=page, kind=REVIEW, format="pdf")
        or deliver(
            request,
            page=page,
            kind=REVIEW,
            format="pdf",
            filename=f"{charter.slug}-review",
            back=charter.url + charter.reverse_subpage("review"),
        )
    )


def review_space(charter, request):
    refused = _refused(charter, request)
    if refused is not None:
        return refused
    page, final = _final_page(charter)
    typed, refusal, refused_key = "", None, ""
    if request.method == "POST":
        key = request.POST.get("paragraph", "")
        row = Paragraph.objects.filter(iteration=final, key=key).select_related("iteration").first()
        if row is None:
            raise Http404
        typed = request.POST.get("text", "")
        try:
            note_add(paragraph=row, by=request.user, text=typed)
        except Refused as error:
            refusal, refused_key = error, key
        else:
            messages.success(
                request, _("Your note is saved. Only the council and the team read it.")
            )
            return redirect(f"{request.path}#notes-{key}")
    response = charter.render(
        request,
        template="charte/review.html",
        context_overrides={
            **review(page),
            "typed": typed,
            "refusal": refusal and refusal.message,
            "refused_key": refused_key,
        },
    )
    return _private(refusal_status(response, refusal))
