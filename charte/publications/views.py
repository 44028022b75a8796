"""The synthesis of a consultation, the open data of its contributions and the workshop kit,
served by CharterIterationPage (``synthesis/``, ``synthesis/pdf/``, ``contributions/csv/``,
``contributions/json/``, ``kit/`` and ``questionnaire/``); the yearly report of a charter,
served by CharterPage (``bilan/<year>/`` and ``bilan/<year>/pdf/``)."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header

from charte.core.bounds import bounded, read_within_budget
from charte.core.httpcache import conditional
from charte.core.rules import can_manage_follow_up
from charte.follow_up import open_data as follow_up_open_data
from charte.follow_up.models import Questionnaire, QuestionnaireParticipation
from charte.follow_up.questionnaire import (
    AnswersForm,
    QuestionnaireRefused,
    questionnaire_answer,
    user_of_token,
)
from charte.publications.bilan import bilan as bilan_of
from charte.publications.bilan import years_of
from charte.publications.building import (
    CONTENT_TYPES,
    FORMATS,
    content_of,
    document_ready,
    request_document,
)
from charte.publications.documents import KIT, SYNTHESIS, TEXT, bilan_kind, document_html
from charte.publications.models import BuiltDocument
from charte.publications.synthesis import as_csv, figures, fingerprint, kept_figures, open_data
from charte.texts.pages import CharterPage, IterationState

ENDED = (IterationState.CLOSED, IterationState.ADOPTED, IterationState.SUPERSEDED)


def _frozen_or_404(page):
    if not page.is_frozen:
        raise Http404
    return page.source


def deliver(request, *, page, kind, format, filename, back):
    """The document ``kind`` of the iteration ``page`` as ``filename``.``format`` when its file
    is built; otherwise the page that says it is being prepared (202, and the script of that
    page asks ``?ready`` until it is) or could not be (503). ``back``: the page the reader
    came from, offered meanwhile."""
    # What the document says now, read under the time budget; then the request is recorded
    # (a write, outside the budget, whose statements are rolled back at its end).
    html, too_slow = read_within_budget(request, "document", lambda: document_html(kind, page))
    if too_slow:
        return too_slow
    row = request_document(page=page, kind=kind, format=format, html=html)
    if row.ready:
        response = HttpResponse(content_of(row), content_type=CONTENT_TYPES[format])
        # Slugs may hold accents: the header encodes them (RFC 6266) rather than failing.
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{filename}.{format}"
        )
        response["ETag"] = f'"{row.built_digest}"'
        return response
    failed = row.status == BuiltDocument.Status.FAILED
    response = page.render(
        request,
        template="documents/pending.html",
        context_overrides={
            "failed": failed,
            "format": format,
            "back": back,
            # A charter's own document (its bilan): the breadcrumb starts at the charter.
            **({"charter": page} if isinstance(page, CharterPage) else {}),
        },
    )
    response.status_code = 503 if failed else 202
    response["Retry-After"] = "300" if failed else "5"
    return response


def answer_ready(request, *, page, kind, format):
    """For the page that waits for a document (``?ready``): the state of its build, as JSON,
    without building nor counting against the reader's limit (it asks every few seconds)."""
    if "ready" not in request.GET:
        return None
    return JsonResponse({"state": document_ready(page=page, kind=kind, format=format)})


def text_download(page, request, format):
    """The text with its trail, as PDF, OpenDocument or Word (once frozen)."""
    if format not in FORMATS or not page.is_frozen:
        raise Http404
    return answer_ready(request, page=page, kind=TEXT, format=format) or _text_download(
        page, request, format
    )


@bounded("document", budget=False)
def _text_download(page, request, format):
    charter = page.get_parent()
    return deliver(
        request,
        page=page,
        kind=TEXT,
        format=format,
        filename=f"{charter.slug}-{page.slug}",
        back=page.url,
    )


@bounded("synthesis")
def synthesis_page(page, request):
    """The synthesis of a closed consultation; before the close, when it will be published.
    The figures are computed once and kept while what they count is unchanged (see
    :func:`~charte.publications.synthesis.fingerprint`); the team, who also read the
    questionnaire's free answers, gets them computed afresh."""
    source = _frozen_or_404(page)
    state = page.current_state()
    ended = state in ENDED
    team = can_manage_follow_up(request.user)
    prints = fingerprint(source) if ended and not team else None
    parts = (
        "synthesis",
        page.pk,
        page.live_revision_id,
        source.live_revision_id,
        page.get_url(request),
        str(state),
        page.consultation_ends_at(),
        prints,
    )

    def render():
        if not ended:
            numbers = None
        elif team:
            numbers = figures(source, page, with_texts=True)
        else:
            numbers = kept_figures(source, page, prints=prints)
        return page.render(
            request,
            template="charte/synthesis.html",
            sections=[],
            context_overrides={"figures": numbers, "ended": ended},
        )

    return conditional(request, parts, render)


def synthesis_pdf(page, request):
    _frozen_or_404(page)
    if page.current_state() not in ENDED:
        raise Http404
    return answer_ready(request, page=page, kind=SYNTHESIS, format="pdf") or _synthesis_pdf(
        page, request
    )


@bounded("document", budget=False)
def _synthesis_pdf(page, request):
    charter = page.get_parent()
    return deliver(
        request,
        page=page,
        kind=SYNTHESIS,
        format="pdf",
        filename=f"{charter.slug}-{page.slug}-bilan",
        back=page.route_url("synthesis"),
    )


def kit_available(page) -> bool:
    """The workshop kit is offered while the version is in consultation (its window may not
    have opened yet: workshops are prepared before)."""
    return page.is_frozen and page.current_state() == IterationState.CONSULTATION


def workshop_kit(page, request):
    """The workshop kit of a version in consultation, as a tagged PDF in the reader's
    language; otherwise a page saying it is offered only then (404)."""
    if not kit_available(page):
        return TemplateResponse(
            request,
            "charte/workshop_kit_unavailable.html",
            {"page": page, "charter": page.get_parent().specific, "self": page},
            status=404,
        )
    return answer_ready(request, page=page, kind=KIT, format="pdf") or _workshop_kit(page, request)


@bounded("document", budget=False)
def _workshop_kit(page, request):
    charter = page.get_parent()
    return deliver(
        request,
        page=page,
        kind=KIT,
        format="pdf",
        filename=f"{charter.slug}-{page.slug}-kit",
        back=page.url,
    )


@bounded("open-data")
def contributions(page, request, format):
    _frozen_or_404(page)
    if format not in ("csv", "json"):
        raise Http404
    rows = open_data(page)
    name = f"{page.get_parent().slug}-{page.slug}-contributions"
    if format == "json":
        response = JsonResponse(
            {"iteration": page.full_url, "contributions": rows},
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
    else:
        response = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.{format}"
    )
    return response


@bounded("open-data")
def follow_up_data(page, request, format):
    """``follow-up/data/json/`` (commitments and indicators with their values),
    ``follow-up/data/csv/`` (the commitments) and ``follow-up/data/csv/?table=indicators`` (one
    line per indicator value) of the charter ``page``, in its language; 404 otherwise."""
    name = f"{page.slug}-follow-up"
    if format == "json":
        response = JsonResponse(
            follow_up_open_data.as_json(page),
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
    elif format == "csv":
        table = request.GET.get("table") or follow_up_open_data.TABLES[0]
        content = follow_up_open_data.csv_table(page, table)
        if content is None:
            raise Http404
        if table != follow_up_open_data.TABLES[0]:
            name = f"{name}-{table}"
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.{format}"
    )
    return response


# -- The yearly bilan of a charter ---------------------------------------------------------


def _year_or_404(page, year: int) -> None:
    if year not in years_of(page):
        raise Http404


@bounded("synthesis")
def bilan(page, request, year):
    """The bilan of the charter ``page`` for ``year`` (404 before the charter, or to come)."""
    _year_or_404(page, year)
    return page.render(
        request,
        template="charte/follow_up/bilan.html",
        context_overrides={
            "bilan": bilan_of(page, year),
            "pdf_state": document_ready(page=page, kind=bilan_kind(year), format="pdf"),
        },
    )


def bilan_pdf(page, request, year):
    _year_or_404(page, year)
    kind = bilan_kind(year)
    return answer_ready(request, page=page, kind=kind, format="pdf") or _bilan_pdf(
        page, request, year
    )


@bounded("document", budget=False)
def _bilan_pdf(page, request, year):
    return deliver(
        request,
        page=page,
        kind=bilan_kind(year),
        format="pdf",
        filename=f"{page.slug}-bilan-{year}",
        back=page.route_url("bilan", year),
    )


# -- The questionnaire of a consultation ----------------------------------------------------


def questionnaire(page, request):
    """The questionnaire of the consultation ``page``: for its participants, reached with the
    signed link of their invitation or signed in; one anonymous answer per account."""
    questionnaire = (
        Questionnaire.objects.filter(iteration_id=page.source.pk, is_enabled=True)
        .select_related("iteration")
        .first()
    )

    def refuse(reason, status):
        response = page.render(
            request,
            template="charte/follow_up/questionnaire_unavailable.html",
            context_overrides={"reason": reason, "questionnaire": questionnaire},
        )
        response.status_code = status
        return response

    if questionnaire is None or questionnaire.sent_at is None:
        return refuse("none", 404)
    token = (request.POST.get("t") if request.method == "POST" else request.GET.get("t")) or ""
    if token:
        user_pk = user_of_token(questionnaire, token)
        if user_pk is None:
            return refuse("link", 403)
    elif request.user.is_authenticated:
        user_pk = request.user.pk
    else:
        return refuse("sign_in", 403)
    participation = QuestionnaireParticipation.objects.filter(
        questionnaire=questionnaire, user_id=user_pk
    ).first()
    if participation is None:
        return refuse("not_participant", 403)
    if participation.answered:
        return refuse("answered", 200)
    if not questionnaire.is_open():
        return refuse("closed", 410)
    questions = list(questionnaire.questions.all())
    form = AnswersForm(request.POST if request.method == "POST" else None, questions=questions)
    if form.is_bound and form.is_valid():
        try:
            questionnaire_answer(
                questionnaire=questionnaire, user_pk=user_pk, answers=form.answers()
            )
        except QuestionnaireRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            address = page.route_url("questionnaire")
            return HttpResponseRedirect(f"{address}?t={token}" if token else address)
    response = page.render(
        request,
        template="charte/follow_up/questionnaire.html",
        context_overrides={"questionnaire": questionnaire, "form": form, "token": token},
    )
    response.status_code = 400 if form.is_bound and form.errors else 200
    return response
