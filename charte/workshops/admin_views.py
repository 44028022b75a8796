"""The facilitator's screens: the workshops they enter contributions for, and the entry screen
of one workshop, made for transcribing twenty sticky notes in a row with the keyboard.

Each note: the paragraph's reference, the kind, the text (and the rationale of an amendment),
Enter. The answer comes back with the form empty but for the version and the kind, the cursor
in the reference field, the note just entered confirmed with its paragraph's text, and the
list of what this workshop said so far."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from charte.amendments.models import Amendment
from charte.core.exceptions import Refused
from charte.core.rules import can_enter_for, can_facilitate, can_manage_workshops
from charte.discussions.models import Comment
from charte.texts.finder import find_paragraphs
from charte.texts.pages import CharterIterationPage
from charte.texts.paragraphs import Paragraph
from charte.workshops.forms import (
    COMMENT,
    ENTRY_KINDS,
    EntryForm,
    open_versions,
    paragraph_reference,
)
from charte.workshops.models import Workshop
from charte.workshops.services import (
    contribution_counts,
    workshop_amendment_enter,
    workshop_comment_enter,
    workshops_for,
)


def _forbidden(request, message):
    return TemplateResponse(
        request,
        "charte/admin/workshop_forbidden.html",
        {
            "message": message,
            "page_title": _("Enter contributions"),
            "header_icon": "clipboard-list",
        },
        status=403,
    )


def entry_index(request):
    """The workshops and registers the signed-in account enters contributions for."""
    if not can_facilitate(request.user):
        return _forbidden(
            request,
            _("Entering what workshops said is for facilitators: ask the team to add you."),
        )
    workshops = list(workshops_for(request.user).order_by("-starts_at"))
    counts = contribution_counts(workshops)
    rows = [{"workshop": w, **counts[w.pk]} for w in workshops]
    return TemplateResponse(
        request,
        "charte/admin/workshop_entry_index.html",
        {
            "rows": rows,
            "manages": can_manage_workshops(request.user),
            "page_title": _("Enter contributions"),
            "header_icon": "clipboard-list",
        },
    )


def _entry(workshop, data, by):
    """Enter one note through the workshop's services: a comment or an amendment."""
    paragraph = data["paragraph"]
    language = data["version"].locale.language_code
    if data["kind"] == COMMENT:
        return workshop_comment_enter(
            workshop=workshop, paragraph=paragraph, text=data["text"], by=by, language=language
        )
    return workshop_amendment_enter(
        workshop=workshop,
        paragraph=paragraph,
        kind=data["kind"],
        text=data["text"],
        rationale=data["rationale"],
        by=by,
        language=language,
    )


def _last_entry(workshop, token: str):
    """The note entered just before (``?last=c12`` or ``a34``), if it is this workshop's."""
    if len(token) < 2 or not token[1:].isdigit():
        return None
    pk = int(token[1:])
    if token[0] == "a":
        amendment = (
            Amendment.objects.filter(pk=pk, workshop=workshop)
            .select_related("paragraph", "iteration")
            .first()
        )
        if amendment is None:
            return None
        return {
            "paragraph": amendment.paragraph,
            "url": amendment.get_url(),
            "amendment": amendment,
            "when": amendment.created_at,
        }
    if token[0] == "c":
        comment = Comment.objects.filter(pk=pk, workshop=workshop).first()
        if comment is None:
            return None
        paragraph = (
            Paragraph.objects.filter(pk=_int(comment.object_pk)).select_related("iteration").first()
        )
        if paragraph is None:
            return None
        return {
            "paragraph": paragraph,
            "url": f"{paragraph.get_url()}#c{comment.pk}",
            "comment": comment,
            "when": comment.submit_date,
        }
    return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def entries_listing(workshop) -> list[dict]:
    """Every note entered for ``workshop``, newest first: its paragraph, kind, text, address.
    A fixed number of queries, however many notes."""
    comments = list(Comment.objects.filter(workshop=workshop).order_by("-submit_date", "-pk"))
    amendments = list(
        Amendment.objects.filter(workshop=workshop)
        .select_related("paragraph")
        .defer("paragraph__html")
        .order_by("-created_at", "-pk")
    )
    paragraphs = {
        p.pk: p
        for p in Paragraph.objects.filter(
            pk__in={_int(c.object_pk) for c in comments} - {None}
        ).defer("html")
    }
    iteration_ids = {p.iteration_id for p in paragraphs.values()} | {
        a.iteration_id for a in amendments
    }
    iterations = {
        page.pk: page
        for page in CharterIterationPage.objects.filter(pk__in=iteration_ids).defer("body")
    }
    addresses = {pk: page.url for pk, page in iterations.items()}
    rows = []
    for comment in comments:
        paragraph = paragraphs.get(_int(comment.object_pk))
        if paragraph is None:
            continue
        page = iterations[paragraph.iteration_id]
        rows.append(
            {
                "when": comment.submit_date,
                "reference": paragraph_reference(paragraph),
                "kind": _("Comment"),
                "text": comment.comment,
                "url": addresses[page.pk]
                + page.reverse_subpage("paragraph", args=[paragraph.key])
                + f"#c{comment.pk}",
                "hidden": not comment.is_visible,
            }
        )
    for amendment in amendments:
        page = iterations[amendment.iteration_id]
        rows.append(
            {
                "when": amendment.created_at,
                "reference": paragraph_reference(amendment.paragraph),
                "kind": _("Amendment no. %(number)s: %(kind)s")
                % {"number": amendment.number, "kind": amendment.get_kind_display()},
                "text": amendment.text or amendment.rationale,
                "url": addresses[page.pk]
                + page.reverse_subpage("amendment", args=[amendment.number]),
                "hidden": False,
            }
        )
    rows.sort(key=lambda row: row["when"], reverse=True)
    return rows


def entry_view(request, pk):
    """Enter what a workshop or a register said, one note at a time (GET, POST)."""
    workshop = get_object_or_404(Workshop.objects.select_related("charter"), pk=pk)
    if not can_enter_for(request.user, workshop):
        return _forbidden(
            request,
            _("You are not a facilitator of this workshop: ask the team to name you on it."),
        )
    versions = open_versions(workshop)
    address = reverse("workshops:enter", args=[workshop.pk])
    if request.method == "GET" and "find" in request.GET:
        return _find(request, versions)
    form = None
    if versions:
        if request.method == "POST":
            form = EntryForm(request.POST, versions=versions)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        entry = _entry(workshop, form.cleaned_data, request.user)
                except Refused as refusal:
                    for field, message in refusal.problems or [(None, refusal.message)]:
                        form.add_error(field if field in form.fields else None, message)
                else:
                    token = ("a" if isinstance(entry, Amendment) else "c") + str(entry.pk)
                    query = {
                        "version": form.cleaned_data["version"].pk,
                        "kind": form.cleaned_data["kind"],
                        "last": token,
                    }
                    return redirect(f"{address}?{urlencode(query)}")
        else:
            form = EntryForm(initial=_initial(request, workshop, versions), versions=versions)
    kept = None
    if request.method == "POST" and not versions:
        # The version closed between the screen and the sending: what was typed is given back.
        kept = [
            request.POST.get(name, "").strip()
            for name in ("reference", "text", "rationale")
            if request.POST.get(name, "").strip()
        ]
    last = _last_entry(workshop, request.GET.get("last", "")) if request.method == "GET" else None
    counts = contribution_counts([workshop])[workshop.pk]
    entries = entries_listing(workshop)
    if last is not None:
        last["position"] = sum(1 for row in entries if row["when"] <= last["when"])
        last["reference"] = paragraph_reference(last["paragraph"])
    return TemplateResponse(
        request,
        "charte/admin/workshop_entry.html",
        {
            "workshop": workshop,
            "form": form,
            "versions": versions,
            "last": last,
            "kept": kept,
            "entries": entries,
            "counts": counts,
            "address": address,
            "page_title": _("Enter contributions"),
            "page_subtitle": workshop.signature(),
            "header_icon": "clipboard-list",
        },
        status=400 if (form is not None and form.errors) or kept else 200,
    )


def _find(request, versions):
    """What a reference being typed designates, for the live preview (JSON): one sentence."""
    version = {v.pk: v for v in versions}.get(_int(request.GET.get("version")))
    query = request.GET.get("find", "")[:200]
    if version is None:
        return JsonResponse({"sentence": ""})
    paragraphs = Paragraph.objects.filter(iteration=version).defer("html").order_by("position")
    found, total = find_paragraphs(paragraphs, query, 1)
    if total == 1:
        sentence = f"{paragraph_reference(found[0])} – {Truncator(found[0].text).chars(200)}"
    elif total:
        sentence = ngettext(
            "%(count)s paragraph matches: send to choose.",
            "%(count)s paragraphs match: send to choose.",
            total,
        ) % {"count": total}
    else:
        sentence = _("No paragraph matches.") if query.strip() else ""
    return JsonResponse({"sentence": sentence})


def _initial(request, workshop, versions) -> dict:
    """The version and the kind kept from the note before (or the workshop's version, or the
    only one open), the rest empty."""
    by_pk = {v.pk: v for v in versions}
    version = by_pk.get(_int(request.GET.get("version")))
    if version is None:
        version = by_pk.get(workshop.iteration_id) or (versions[0] if len(versions) == 1 else None)
    kind = request.GET.get("kind")
    if kind not in dict(ENTRY_KINDS):
        kind = COMMENT
    return {"version": version.pk if version else None, "kind": kind}
