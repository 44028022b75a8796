"""Admin screens for the lifecycle actions: each confirms, calls a service, reports back."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
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
from charte.texts import services
from charte.texts.forms import AdoptionForm, OpenConsultationForm
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
