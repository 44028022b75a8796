"""Wagtail admin of the texts: the lifecycle actions (their admin URLs, the buttons of the page
header and listing, their log labels) and the tree's safety rules (frozen texts are not deleted,
moved or copied).

This module holds the hooks; the screens they lead to are in ``charte.texts.admin_views``.
``charte.wagtail_hooks`` imports it so that Wagtail finds the hooks.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page
from wagtail_localize.models import Translation

from charte.core import rules
from charte.core.formatting import format_datetime
from charte.texts import admin_views, drafts, services
from charte.texts.pages import CharterIterationPage, CharterPage, IterationState


@hooks.register("register_admin_urls")
def register_lifecycle_urls():
    return [
        path(
            "charte/iteration/<int:page_id>/open/",
            admin_views.open_consultation,
            name="charte_iteration_open",
        ),
        path(
            "charte/iteration/<int:page_id>/close/",
            admin_views.close_consultation,
            name="charte_iteration_close",
        ),
        path(
            "charte/iteration/<int:page_id>/adopt/",
            admin_views.adopt,
            name="charte_iteration_adopt",
        ),
        path(
            "charte/charter/<int:page_id>/next-iteration/",
            admin_views.start_next_iteration,
            name="charte_start_next_iteration",
        ),
        path(
            "charte/<int:page_id>/import/",
            admin_views.import_draft,
            name="charte_import_draft",
        ),
        path(
            "charte/integrate/",
            admin_views.integration_index,
            name="charte_integration_index",
        ),
        path(
            "charte/iteration/<int:page_id>/integrate/",
            admin_views.integrate,
            name="charte_iteration_integrate",
        ),
        path(
            "charte/iteration/<int:page_id>/article/<str:article_key>/",
            admin_views.article_edit,
            name="charte_article_edit",
        ),
        path(
            "charte/iteration/<int:page_id>/section/<str:section_key>/add-article/",
            admin_views.article_add,
            name="charte_article_add",
        ),
        path(
            "charte/iteration/<int:page_id>/section/<str:section_key>/",
            admin_views.section_edit,
            name="charte_section_edit",
        ),
        path(
            "charte/iteration/<int:page_id>/add-section/",
            admin_views.section_add,
            name="charte_section_add",
        ),
    ]


class IntegrationMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_manage_a_charter(request.user)


@hooks.register("register_admin_menu_item")
def register_integration_menu_item():
    return IntegrationMenuItem(
        _("Amendments to integrate"),
        reverse("charte_integration_index"),
        name="amendments-to-integrate",
        icon_name="doc-full-inverse",
        order=265,
    )


@hooks.register("register_log_actions")
def register_lifecycle_log_actions(actions):
    actions.register_action(
        services.ACTION_OPEN, _("Open for consultation"), _("Opened for consultation")
    )
    actions.register_action(
        services.ACTION_CLOSE, _("Close consultation"), _("Consultation closed")
    )
    actions.register_action(
        services.ACTION_START_NEXT, _("Start next iteration"), _("Started as the next iteration")
    )
    actions.register_action(services.ACTION_ADOPT, _("Record adoption"), _("Adoption recorded"))
    actions.register_action(drafts.ACTION_IMPORT, _("Import a draft"), _("Draft imported"))


class LifecycleMenuItem(PageMenuItem):
    def is_shown(self, user):
        return user.has_perm(rules.MANAGE_ITERATION, self.page)


class OpenMenuItem(LifecycleMenuItem):
    label = _("Open for consultation")
    icon_name = "lock"
    url_name = "charte_iteration_open"


class CloseMenuItem(LifecycleMenuItem):
    label = _("Close the consultation")
    icon_name = "lock-open"
    url_name = "charte_iteration_close"


class AdoptMenuItem(LifecycleMenuItem):
    label = _("Record the council's adoption")
    icon_name = "tick-inverse"
    url_name = "charte_iteration_adopt"


class IntegrateMenuItem(LifecycleMenuItem):
    label = _("Amendments to integrate")
    icon_name = "doc-full-inverse"
    url_name = "charte_iteration_integrate"


class StartNextMenuItem(LifecycleMenuItem):
    label = _("Start the next iteration")
    icon_name = "copy"
    url_name = "charte_start_next_iteration"


def lifecycle_buttons(page, priority):
    specific = page.specific_deferred
    if isinstance(specific, CharterPage):
        yield StartNextMenuItem(page=page, priority=priority)
        return
    if not isinstance(specific, CharterIterationPage):
        return
    source = specific.source
    state = source.current_state()
    if source.frozen_at is None:
        yield OpenMenuItem(page=source, priority=priority)
        if (source.number or 0) > 1:
            yield IntegrateMenuItem(page=source, priority=priority)
    elif source.state == IterationState.CONSULTATION and state == IterationState.CONSULTATION:
        yield CloseMenuItem(page=source, priority=priority)
    if state in (IterationState.DRAFT, IterationState.CLOSED) and source.is_latest():
        yield AdoptMenuItem(page=source, priority=priority + 1)


@hooks.register("register_page_header_buttons")
def page_header_lifecycle_buttons(page, user, view_name, next_url=None):
    yield from lifecycle_buttons(page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def page_listing_lifecycle_buttons(page, user, next_url=None):
    yield from lifecycle_buttons(page, priority=5)


class ImportMenuItem(LifecycleMenuItem):
    label = _("Import a draft")
    icon_name = "upload"
    url_name = "charte_import_draft"


def import_buttons(page, priority):
    """« Import a draft »: on a charter without any iteration (its first one), and on a draft
    iteration (replaces its text)."""
    specific = page.specific_deferred
    if isinstance(specific, CharterPage):
        if not CharterIterationPage.objects.child_of(page).exists():
            yield ImportMenuItem(page=page, priority=priority)
    elif isinstance(specific, CharterIterationPage) and specific.source.frozen_at is None:
        yield ImportMenuItem(page=specific.source, priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_import_buttons(page, user, view_name, next_url=None):
    yield from import_buttons(page, priority=13)


@hooks.register("register_page_listing_more_buttons")
def page_listing_import_buttons(page, user, next_url=None):
    yield from import_buttons(page, priority=6)


def _frozen_iterations_under(page):
    return CharterIterationPage.objects.descendant_of(page, inclusive=True).filter(
        frozen_at__isnull=False
    )


def _refuse_deletion(request, page):
    messages.error(
        request,
        _(
            "« %(title)s » holds a text that was opened for consultation; it cannot be "
            "deleted, so that every contribution stays reachable. Unpublish it instead."
        )
        % {"title": page.get_admin_display_title()},
    )
    return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))


@hooks.register("before_delete_page")
def refuse_deleting_frozen_text(request, page):
    """What citizens wrote hangs on frozen paragraphs: those pages are unpublished, not deleted."""
    if _frozen_iterations_under(page).exists():
        return _refuse_deletion(request, page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_frozen_text(request, action_type, objects, action):
    if action_type != "delete":
        return None
    for page in objects:
        if isinstance(page, Page) and _frozen_iterations_under(page).exists():
            return _refuse_deletion(request, page)
    return None


@hooks.register("before_move_page")
def refuse_moving_frozen_text(request, page, destination):
    """Paragraphs keep their address: iterations stay under their charter, and a charter whose
    text has been opened stays where it is."""
    specific = page.specific_deferred
    if isinstance(specific, CharterIterationPage) and page.get_parent().pk != destination.pk:
        messages.error(request, _("An iteration belongs to its charter and cannot be moved."))
        return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    moves_away = page.get_parent().pk != destination.pk
    if isinstance(specific, CharterPage) and moves_away and specific.has_frozen_text():
        messages.error(
            request,
            _(
                "A text of this charter has been opened for consultation: the charter "
                "stays where it is, so that every paragraph keeps its address."
            ),
        )
        return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    return None


@hooks.register("before_copy_page")
def refuse_copying_iterations(request, page):
    if isinstance(page.specific_deferred, CharterIterationPage):
        messages.error(
            request,
            _("Iterations are not copied: use « Start the next iteration » on the charter."),
        )
        return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    return None


class _TrialOnly(Exception):
    """Undoes a trial save of a translation (see :func:`explain_frozen_translation`)."""


@hooks.register("before_edit_page", order=-10)
def explain_frozen_translation(request, page):
    """Publishing a translation of a version open for consultation from wagtail-localize's
    editor, with a wording already translated now changed, is refused by the page itself;
    wagtail-localize would only say « new validation errors were found ». Try the save first,
    undone at once, and tell the editor why it is refused, in their language."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    iteration = page.specific_deferred
    if not isinstance(iteration, CharterIterationPage) or iteration.source.pk == iteration.pk:
        return None
    if iteration.source.frozen_at is None:
        return None
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale=page.locale, enabled=True
    ).first()
    if translation is None:
        return None
    try:
        with transaction.atomic():
            translation.save_target(user=request.user, publish=False)
            raise _TrialOnly
    except _TrialOnly:
        return None
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def _waiting_for_its_opening(page):
    """The source version of ``page`` (a version, in any language) when it is scheduled to open
    later and not public yet: it is published at its opening, in every language, not before."""
    iteration = page.specific_deferred
    if not isinstance(iteration, CharterIterationPage):
        return None
    source = CharterIterationPage.objects.get(pk=iteration.source.pk)
    if source.live or not source.is_consultation_upcoming():
        return None
    return source


def _refuse_publishing_before_the_opening(request, page, source, redirect_to):
    if page.locale_id == source.locale_id:
        message = _(
            "« %(title)s » opens for consultation on %(date)s: it will be published then, "
            "not before. Your changes are saved as a draft."
        )
    else:
        message = _(
            "« %(title)s » opens for consultation on %(date)s: its translation will be "
            "published then, with the original text, not before. What you "
            "translated is kept."
        )
    messages.error(
        request,
        message
        % {"title": page.get_admin_display_title(), "date": format_datetime(source.opens_at)},
    )
    return redirect(redirect_to)


@hooks.register("before_publish_page")
def refuse_publishing_before_the_opening(request, page):
    """A version scheduled to open later is published at its opening, not by Wagtail's own
    « Publish » button: the public would read it (and could not yet take part) before its date.
    The changes just made stay saved as a draft."""
    source = _waiting_for_its_opening(page)
    if source is None:
        return None
    return _refuse_publishing_before_the_opening(
        request, page, source, reverse("wagtailadmin_pages:edit", args=[page.pk])
    )


@hooks.register("before_edit_page", order=-20)
def refuse_publishing_a_translation_before_the_opening(request, page):
    """wagtail-localize's editor publishes a translation by itself (without Wagtail's
    ``before_publish_page``); its strings are saved as they are typed, so nothing is lost."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    source = _waiting_for_its_opening(page)
    if source is None or source.pk == page.pk:
        return None
    return _refuse_publishing_before_the_opening(
        request, page, source, reverse("wagtailadmin_pages:edit", args=[page.pk])
    )


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_before_the_opening(request, action_type, objects, action):
    """The listing's bulk « Publish » (with or without the pages below) waits for the opening
    as well; nothing is published when one version of the selection must wait."""
    if action_type != "publish":
        return None
    pages = [page for page in objects if isinstance(page, Page)]
    if action.cleaned_form.cleaned_data.get("include_descendants"):
        for page in list(pages):
            pages.extend(
                CharterIterationPage.objects.descendant_of(page).not_live().defer_streamfields()
            )
    for page in pages:
        source = _waiting_for_its_opening(page)
        if source is not None:
            return _refuse_publishing_before_the_opening(
                request,
                page,
                source,
                get_valid_next_url_from_request(request)
                or reverse("wagtailadmin_explore", args=[page.get_parent().pk]),
            )
    return None
