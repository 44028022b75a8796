"""Admin screens for the lifecycle actions (each confirms, calls a service, reports back) and
for editing a long text article by article."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
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
    pending_integration,
)
from charte.amendments.views import amendment_diff
from charte.core.exceptions import Refused
from charte.core.formatting import format_datetime
from charte.texts import article_editor, services
from charte.texts.forms import (
    AdoptionForm,
    ArticleForm,
    NewSectionForm,
    OpenConsultationForm,
    ParagraphFormSet,
    SectionForm,
)
from charte.texts.outline import body_outline, outline_paragraphs
from charte.texts.pages import CharterIterationPage, CharterPage


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
            return _done(
                request,
                page,
                _("« %(title)s » is open for consultation until %(date)s; its text is frozen.")
                % {"title": page.title, "date": format_datetime(page.closes_at)},
            )
    return _render(request, page, "open", form)


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


def integrate(request, page_id):
    """The accepted amendments of the previous iteration that the editor integrates by hand:
    once the draft's text carries them, the editor says into which paragraph each went."""
    page = _page_for(request, CharterIterationPage, page_id)
    draft = page.get_latest_revision_as_object()
    paragraphs = [
        (p.key, f"{_('Article %(number)s') % {'number': p.article_number}} – {p.text[:90]}")
        for p in outline_paragraphs(body_outline(draft.body))
    ]
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
    return TemplateResponse(
        request,
        "charte/admin/integrate.html",
        {
            "page": page,
            "pending": [
                (amendment, amendment_diff(amendment), errors.get(amendment.pk))
                for amendment in pending_integration(page)
            ],
            "paragraphs": paragraphs,
            "page_title": _("Amendments to integrate"),
            "page_subtitle": page.get_admin_display_title(),
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
    return _render(request, page, "adopt", form, waiting=list(waiting))


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
