"""Admin screens for the lifecycle actions: each confirms, calls a service, reports back; the
import of a draft (upload, preview, confirm); and editing a long text article by article."""

import logging
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.models import Page
from wagtail.snippets.permissions import get_permission_name
from wagtail_localize.views import update_translations as localize_update

from charte.amendments.models import Amendment
from charte.amendments.queries import unanswered_amendments
from charte.amendments.services import (
    amendment_mark_integrated,
    lost_integrations,
    pending_integration,
)
from charte.amendments.views import amendment_diff
from charte.core.exceptions import Refused
from charte.core.formatting import format_datetime
from charte.debates.models import DebatePage
from charte.texts import article_editor, drafts, importing, services
from charte.texts.finder import find_paragraphs
from charte.texts.forms import (
    AdoptionForm,
    ArticleForm,
    ImportDraftForm,
    NewSectionForm,
    OpenConsultationForm,
    ParagraphFormSet,
    SectionForm,
)
from charte.texts.outline import body_outline, outline_paragraphs
from charte.texts.pages import CharterIterationPage, CharterPage

logger = logging.getLogger("charte.import")


def _page_for(request, model, page_id):
    page = get_object_or_404(model, pk=page_id)
    page = getattr(page, "source", page)
    if not request.user.has_perm("charte.manage_iteration", page):
        raise PermissionDenied
    return page


TITLES = {
    "open": gettext_lazy("Open for consultation"),
    "close": gettext_lazy("Close the consultation"),
    "adopt": gettext_lazy("Record the council's adoption"),
    "start_next": gettext_lazy("Start the next iteration"),
}


def _render(request, page, action, form=None, **extra):
    return TemplateResponse(
        request,
        "charte/admin/lifecycle_action.html",
        {
            "page": page,
            "action": action,
            "form": form,
            "page_title": TITLES[action],
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "doc-full-inverse",
            **extra,
        },
    )


def _done(request, page, message):
    messages.success(request, message)
    return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))


def open_consultation(request, page_id):
    page = _page_for(request, CharterIterationPage, page_id)
    initial = {"opens_at": page.opens_at, "closes_at": page.closes_at}
    form = OpenConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            page = services.iteration_open(
                iteration=page,
                by=request.user,
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
            )
        except Refused as error:
            form.add_error(None, error.message)
        else:
            if not page.live:
                return _done(
                    request,
                    page,
                    _(
                        "« %(title)s » will open for consultation on %(date)s: it is published "
                        "then. Its text is frozen."
                    )
                    % {"title": page.title, "date": format_datetime(page.opens_at)},
                )
            return _done(
                request,
                page,
                _("« %(title)s » is open for consultation until %(date)s; its text is frozen.")
                % {"title": page.title, "date": format_datetime(page.closes_at)},
            )
    return _render(request, page, "open", form, **_opening_trail(page))


def _opening_trail(page) -> dict:
    """What the opening screen lists: the accepted amendments that block the opening, and
    the integrations whose paragraph left the draft."""
    if page.frozen_at is not None:
        return {}
    return {
        "blocking": list(pending_integration(page)),
        "lost": lost_integrations(page),
    }


def close_consultation(request, page_id):
    page = _page_for(request, CharterIterationPage, page_id)
    error = None
    if request.method == "POST":
        try:
            page = services.iteration_close(iteration=page, by=request.user)
        except Refused as exc:
            error = exc.message
        else:
            return _done(
                request,
                page,
                _("The consultation on « %(title)s » is closed.") % {"title": page.title},
            )
    return _render(request, page, "close", error=error)


def start_next_iteration(request, page_id):
    charter = _page_for(request, CharterPage, page_id)
    error = None
    if request.method == "POST":
        try:
            new = services.iteration_start_next(charter=charter, by=request.user)
        except Refused as exc:
            error = exc.message
        else:
            applied = new.integrated_amendments.count()
            pending = pending_integration(new).count()
            messages.success(
                request,
                _("« %(title)s » was created as a draft from the latest text.")
                % {"title": new.title}
                + " "
                + ngettext(
                    "%(count)s accepted amendment was applied to it.",
                    "%(count)s accepted amendments were applied to it.",
                    applied,
                )
                % {"count": applied},
            )
            if pending:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s amendment must be integrated by hand.",
                        "%(count)s amendments must be integrated by hand.",
                        pending,
                    )
                    % {"count": pending},
                )
                return redirect(reverse("charte_iteration_integrate", args=[new.pk]))
            return redirect(reverse("wagtailadmin_pages:edit", args=[new.pk]))
    return _render(request, charter, "start_next", error=error)


INTEGRATE_PER_PAGE = 25


def _paragraph_label(paragraph) -> str:
    return _("Art. %(article)s § %(number)s") % {
        "article": paragraph.article_number,
        "number": paragraph.number,
    }


def integrate(request, page_id):
    """The accepted amendments of the previous iteration that the editor integrates by hand,
    and those whose paragraph later left the draft: once the draft's text carries them, the
    editor says into which paragraph each went, found by reference or words (a search that
    returns a short list, so that a text of a thousand paragraphs stays a light page)."""
    page = _page_for(request, CharterIterationPage, page_id)
    draft = page.get_latest_revision_as_object()
    paragraphs = outline_paragraphs(body_outline(draft.body))
    by_key = {p.key: p for p in paragraphs}
    errors = {}
    if request.method == "POST":
        amendment = get_object_or_404(Amendment, pk=request.POST.get("amendment"))
        key = request.POST.get("key", "")
        try:
            amendment_mark_integrated(amendment=amendment, iteration=page, key=key, by=request.user)
        except Refused as refusal:
            errors[amendment.pk] = refusal.message
        else:
            messages.success(
                request,
                _("Amendment no. %(number)s is recorded as integrated.")
                % {"number": amendment.number},
            )
            return redirect(reverse("charte_iteration_integrate", args=[page.pk]))
    lost = lost_integrations(page, draft.body)
    waiting = [(a, False) for a in pending_integration(page)] + [(a, True) for a in lost]
    paginator = Paginator(waiting, INTEGRATE_PER_PAGE)
    listing = paginator.get_page(request.GET.get("p"))
    searched_for = request.GET.get("for", "")
    query = request.GET.get("q", "").strip()
    items = []
    for amendment, is_lost in listing:
        own = by_key.get(amendment.paragraph.key) if not is_lost else None
        found, total = [], 0
        if query and searched_for == str(amendment.pk):
            found, total = find_paragraphs(paragraphs, query)
        choices = []
        if own is not None:
            choices.append((own, _("the paragraph it was proposed on")))
        choices += [(p, "") for p in found if p is not own]
        items.append(
            {
                "amendment": amendment,
                "lost": is_lost,
                "diff": amendment_diff(amendment),
                "error": errors.get(amendment.pk),
                "choices": [
                    (p.key, _paragraph_label(p), p.text[:160], note) for p, note in choices
                ],
                "query": query if searched_for == str(amendment.pk) else "",
                "searched": bool(query) and searched_for == str(amendment.pk),
                "total": total,
            }
        )
    return TemplateResponse(
        request,
        "charte/admin/integrate.html",
        {
            "page": page,
            "items": items,
            "listing": listing,
            "count": paginator.count,
            "paragraph_count": len(paragraphs),
            "page_title": _("Amendments to integrate"),
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "doc-full-inverse",
        },
    )


def may_manage_a_charter(user) -> bool:
    return any(
        user.has_perm("charte.manage_iteration", charter) for charter in CharterPage.objects.all()
    )


def drafts_to_integrate_into(user):
    """The versions being prepared (drafts after the first) that ``user`` may manage."""
    drafts = (
        CharterIterationPage.objects.in_source_locale()
        .filter(frozen_at__isnull=True, number__gt=1)
        .order_by("path")
    )
    return [draft for draft in drafts if user.has_perm("charte.manage_iteration", draft)]


def integration_index(request):
    """« Amendments to integrate », from the admin menu: each version being prepared with the
    accepted amendments of the previous one that still wait to be written into it."""
    if not may_manage_a_charter(request.user):
        raise PermissionDenied
    drafts = drafts_to_integrate_into(request.user)
    rows = [(draft, draft.get_parent(), pending_integration(draft).count()) for draft in drafts]
    return TemplateResponse(
        request,
        "charte/admin/integration_index.html",
        {
            "rows": rows,
            "page_title": _("Amendments to integrate"),
            "header_icon": "doc-full-inverse",
        },
    )


def adopt(request, page_id):
    page = _page_for(request, CharterIterationPage, page_id)
    form = AdoptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.iteration_adopt(iteration=page, by=request.user, **form.cleaned_data)
        except Refused as error:
            form.add_error(None, error.message)
        else:
            return _done(
                request, page, _("« %(title)s » is recorded as adopted.") % {"title": page.title}
            )
    waiting = unanswered_amendments(page.get_parent()).select_related("paragraph")
    debates = DebatePage.objects.child_of(page.get_parent()).filter(locale_id=page.locale_id)
    return _render(
        request,
        page,
        "adopt",
        form,
        waiting=list(waiting),
        open_debates=[debate for debate in debates if debate.state() == "open"],
    )


class UpdateTranslationsView(localize_update.UpdateTranslationsView):
    """wagtail-localize's « Sync translated pages », where « Publish immediately » is offered
    only to someone who may publish every translated page: holding the translation permission
    alone brings the translations up to date as drafts, for the team to publish."""

    def may_publish(self) -> bool:
        for translation in self.object.translations.filter(enabled=True):
            try:
                target = translation.get_target_instance()
            except ObjectDoesNotExist:
                continue
            if isinstance(target, Page):
                if not target.permissions_for_user(self.request.user).can_publish():
                    return False
            elif not self.request.user.has_perm(get_permission_name("publish", type(target))):
                return False
        return True

    def get_form(self):
        form = super().get_form()
        if not self.may_publish():
            del form.fields["publish_translations"]
        return form

    def form_valid(self, form):
        form.cleaned_data.setdefault("publish_translations", False)
        return super().form_valid(form)


# -- importing a draft -----------------------------------------------------------------------

IMPORT_SESSION_KEY = "charte_import"


def _import_target(request, page_id):
    """The charter (for its first iteration) or the draft iteration a draft is imported into."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, CharterPage | CharterIterationPage):
        raise Http404
    page = getattr(page, "source", page)
    if not request.user.has_perm("charte.manage_iteration", page):
        raise PermissionDenied
    return page


def _import_refused(request, page, message):
    messages.error(request, message)
    return redirect(reverse("wagtailadmin_explore", args=[_explore_id(page)]))


def _explore_id(page):
    return page.pk if isinstance(page, CharterPage) else page.get_parent().pk


def import_draft(request, page_id):
    """Upload or paste a draft, see what it becomes (preview), and only then write it."""
    page = _import_target(request, page_id)
    if isinstance(page, CharterPage):
        latest = CharterIterationPage.objects.child_of(page).order_by("-number").first()
        if latest is not None:
            if latest.frozen_at is None:
                return redirect(reverse("charte_import_draft", args=[latest.pk]))
            return _import_refused(
                request,
                page,
                _(
                    "The latest version is no longer a draft: start the next iteration, then "
                    "import into it."
                ),
            )
    elif page.frozen_at is not None:
        return _import_refused(
            request,
            page,
            _("This iteration was opened for consultation: its text cannot be replaced."),
        )
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, page)
    max_bytes = settings.IMPORT_MAX_MB * 1024 * 1024
    form = ImportDraftForm(
        request.POST or None, request.FILES or None, max_bytes=max_bytes, mappings=drafts.MAPPINGS
    )
    if request.method == "POST" and form.is_valid():
        document = form.cleaned_data["document"]
        if document:
            data, filename = document.read(), document.name
        else:
            data, filename = form.cleaned_data["pasted"].encode(), ""
        try:
            kind, blocks = importing.read(data, filename)
            draft = drafts.structure(
                blocks,
                kind=kind,
                mapping=form.cleaned_data["mapping"],
                language=page.locale.language_code,
            )
        except Refused as refusal:
            logger.info("draft import refused (%s): %s", filename or "pasted", refusal.message)
            form.add_error(None, refusal.message)
        else:
            if isinstance(page, CharterIterationPage):
                drafts.keep_identities(draft, page.get_latest_revision_as_object().body)
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_SESSION_KEY] = {
                "token": token,
                "page": page.pk,
                "filename": filename,
                "draft": draft.to_dict(),
            }
            return _import_preview(request, page, draft, token, filename)
    return TemplateResponse(
        request,
        "charte/admin/import_draft.html",
        {
            "page": page,
            "form": form,
            "into_draft": isinstance(page, CharterIterationPage),
            "page_title": gettext_lazy("Import a draft"),
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "upload",
            "explore_id": _explore_id(page),
        },
    )


def _import_preview(request, page, draft, token, filename):
    articles = []
    number = 0
    for section in draft.sections:
        for article in section.articles:
            number += 1
            first = article.paragraphs[0].value.split("\n")[0]
            articles.append((number, section.title, article, first))
    changed = []
    position = 0
    for number, _section, article, _first in articles:
        for paragraph in article.paragraphs:
            position += 1
            if paragraph.status != "kept":
                changed.append((position, number, paragraph))
    return TemplateResponse(
        request,
        "charte/admin/import_preview.html",
        {
            "page": page,
            "draft": draft,
            "counts": draft.counts(),
            "articles": articles,
            "changed": changed,
            "token": token,
            "filename": filename,
            "into_draft": isinstance(page, CharterIterationPage),
            "page_title": gettext_lazy("Import a draft: preview"),
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "upload",
            "explore_id": _explore_id(page),
        },
    )


def _import_confirm(request, page):
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    if pending.get("token") != request.POST.get("token") or pending.get("page") != page.pk:
        messages.error(
            request,
            _(
                "This preview has expired or was replaced by another one: import the "
                "document again."
            ),
        )
        return redirect(reverse("charte_import_draft", args=[page.pk]))
    draft = drafts.Draft.from_dict(pending["draft"])
    # A changed paragraph the team unticked is a new one.
    draft.release(set(request.POST.getlist("changed")) - set(request.POST.getlist("keep")))
    try:
        if isinstance(page, CharterPage):
            iteration = drafts.import_first_iteration(
                charter=page, draft=draft, by=request.user, filename=pending["filename"]
            )
        else:
            iteration = drafts.import_into_draft(
                iteration=page, draft=draft, by=request.user, filename=pending["filename"]
            )
    except Refused as refusal:
        return _import_refused(request, page, refusal.message)
    del request.session[IMPORT_SESSION_KEY]
    counts = draft.counts()
    messages.success(
        request,
        _(
            "The draft was imported into « %(title)s »: %(sections)s sections, %(articles)s "
            "articles, %(paragraphs)s paragraphs. It is not published: check it, then publish it."
        )
        % {"title": iteration.title, **counts},
    )
    return redirect(reverse("wagtailadmin_pages:edit", args=[iteration.pk]))


# -- editing a long text article by article ---------------------------------------------------


def _editable_iteration(request, page_id):
    """The iteration, if the user may edit it as a page (the same rule as Wagtail's editor)."""
    page = get_object_or_404(CharterIterationPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def article_edit(request, page_id, article_key):
    page = _editable_iteration(request, page_id)
    draft, revision_id = article_editor.latest_draft(page)
    located = article_editor.find_article(draft.body.raw_data, article_key)
    if located is None:
        raise Http404
    return _article_screen(request, page, revision_id, located=located)


def article_add(request, page_id, section_key):
    page = _editable_iteration(request, page_id)
    draft, revision_id = article_editor.latest_draft(page)
    section = article_editor.find_section(draft.body.raw_data, section_key)
    if section is None:
        raise Http404
    return _article_screen(request, page, revision_id, section=section)


def section_add(request, page_id):
    page = _editable_iteration(request, page_id)
    _draft, revision_id = article_editor.latest_draft(page)
    return _article_screen(request, page, revision_id, new_section=True)


def _breadcrumbs(page, label):
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {
            "url": reverse("wagtailadmin_explore", args=[page.get_parent().pk]),
            "label": page.get_parent().get_admin_display_title(),
        },
        {
            "url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            "label": page.get_admin_display_title(),
        },
        {"url": "", "label": label},
    ]


def _back_to_page(request, page, message):
    messages.success(request, message)
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def _article_screen(request, page, revision_id, *, located=None, section=None, new_section=False):
    """One article's form: its title and its paragraphs (a formset: order numbers, a delete
    box, empty forms to add paragraphs; no JavaScript needed beyond the rich-text widgets)."""
    can_publish = page.permissions_for_user(request.user).can_publish()
    if located is not None:
        value = located.article["value"]
        title = value.get("title") or ""
        initial = [{"key": p.get("id"), "text": p.get("value")} for p in value["paragraphs"]]
        label = _("Article %(number)s") % {"number": located.number}
    else:
        title, initial = "", []
        label = _("New section") if new_section else _("New article")
    if request.method == "POST":
        form = ArticleForm(request.POST)
        formset = ParagraphFormSet(request.POST, prefix="paragraphs", initial=initial)
        section_form = NewSectionForm(request.POST) if new_section else None
        if located is not None and "delete-article" in request.POST:
            return _delete_article(request, page, located, form, formset, label, can_publish)
        if form.is_valid() & formset.is_valid() & (section_form is None or section_form.is_valid()):
            publish = can_publish and "publish" in request.POST
            arguments = {
                "title": form.cleaned_data["title"],
                "paragraphs": formset.paragraphs(),
                "base_revision_id": form.cleaned_data["revision"],
                "user": request.user,
                "publish": publish,
            }
            try:
                if located is not None:
                    article_editor.save_article(page, located.article["id"], **arguments)
                else:
                    article_editor.add_article(
                        page,
                        section["id"] if section else None,
                        section_title=section_form.cleaned_data["section_title"]
                        if section_form
                        else None,
                        **arguments,
                    )
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                done = (
                    _("« %(title)s » was saved and published.")
                    if publish
                    else _("« %(title)s » was saved as a draft of the page.")
                )
                return _back_to_page(request, page, done % {"title": form.cleaned_data["title"]})
    else:
        form = ArticleForm(initial={"title": title, "revision": revision_id or ""})
        formset = ParagraphFormSet(prefix="paragraphs", initial=initial)
        section_form = NewSectionForm() if new_section else None
    return _article_response(
        request,
        page,
        form,
        formset,
        label,
        can_publish,
        section_form=section_form,
        located=located,
        section=section,
    )


def _delete_article(request, page, located, form, formset, label, can_publish):
    form.is_valid()
    try:
        article_editor.delete_article(
            page,
            located.article["id"],
            base_revision_id=form.data.get("revision") or "",
            user=request.user,
        )
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _article_response(request, page, form, formset, label, can_publish, located=located)
    return _back_to_page(
        request,
        page,
        _("%(article)s was removed from the draft of the page.") % {"article": label},
    )


def _article_response(request, page, form, formset, label, can_publish, **extra):
    return TemplateResponse(
        request,
        "charte/admin/article_editor.html",
        {
            "page": page,
            "form": form,
            "formset": formset,
            "can_publish": can_publish,
            "frozen": page.is_frozen,
            "header_title": label,
            "page_title": label,
            "breadcrumbs_items": _breadcrumbs(page, label),
            "header_icon": "doc-full",
            "media": form.media + formset.media,
            **extra,
        },
    )


def section_edit(request, page_id, section_key):
    """Rename a section."""
    page = _editable_iteration(request, page_id)
    draft, revision_id = article_editor.latest_draft(page)
    section = article_editor.find_section(draft.body.raw_data, section_key)
    if section is None:
        raise Http404
    label = _("Section « %(title)s »") % {"title": section["value"].get("title") or ""}
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                article_editor.rename_section(
                    page,
                    section_key,
                    title=form.cleaned_data["title"],
                    base_revision_id=form.cleaned_data["revision"],
                    user=request.user,
                )
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                return _back_to_page(
                    request,
                    page,
                    _("The section « %(title)s » was saved as a draft of the page.")
                    % {"title": form.cleaned_data["title"]},
                )
    else:
        form = SectionForm(
            initial={"title": section["value"].get("title"), "revision": revision_id or ""}
        )
    return TemplateResponse(
        request,
        "charte/admin/section_editor.html",
        {
            "page": page,
            "form": form,
            "header_title": label,
            "page_title": label,
            "breadcrumbs_items": _breadcrumbs(page, label),
            "header_icon": "folder-open-inverse",
        },
    )
