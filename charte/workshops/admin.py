"""Workshops and paper registers in the Wagtail admin.

The communication team (Wagtail's add, change, delete and view permissions on workshops)
manages them in « Ateliers et registres »: a listing with what was entered for each, filters,
the form with its panels (the version and the debate among the charter's own, the
facilitators among the accounts that may enter, the written report, the photos with their
text alternative). A workshop that contributions point at is never deleted.

A facilitator sees « Saisir des contributions » only: the workshops they facilitate, each
leading to its entry screen (:mod:`charte.workshops.admin_views`).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from charte.core.formatting import format_datetime
from charte.core.rules import ENTER_WORKSHOP_CONTRIBUTION, can_facilitate, users_with_perm
from charte.debates.models import DebatePage
from charte.texts.pages import CharterIterationPage, CharterPage
from charte.workshops import admin_views
from charte.workshops.models import Workshop, WorkshopKind
from charte.workshops.services import contribution_counts

WHEN = [("upcoming", _("Upcoming")), ("past", _("Past"))]


class WorkshopFilterSet(WagtailFilterSet):
    charter = django_filters.ModelChoiceFilter(
        label=_("Charter"), queryset=lambda request: CharterPage.objects.all()
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=WorkshopKind.choices)
    when = django_filters.ChoiceFilter(label=_("When"), choices=WHEN, method="filter_when")

    class Meta:
        model = Workshop
        fields = ["charter", "kind", "when"]

    def filter_when(self, queryset, name, value):
        if value == "upcoming":
            return queryset.filter(starts_at__gte=timezone.now())
        if value == "past":
            return queryset.filter(starts_at__lt=timezone.now())
        return queryset


class WorkshopForm(WagtailAdminModelForm):
    """The version and the debate must be the charter's own; each photo needs its caption (its
    text alternative); the facilitators are accounts that may enter contributions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "iteration" in self.fields:
            self.fields["iteration"].queryset = (
                CharterIterationPage.objects.in_source_locale().defer("body").order_by("path")
            )
        if "debate" in self.fields:
            self.fields["debate"].queryset = DebatePage.objects.order_by("path")
        if "facilitators" in self.fields:
            field = self.fields["facilitators"]
            field.queryset = users_with_perm(ENTER_WORKSHOP_CONTRIBUTION).order_by("username")
            field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
            field.label_from_instance = lambda user: (
                f"{user.get_full_name() or user.username} ({user.email})"
                if user.email
                else user.get_full_name() or user.username
            )
        images = self.formsets.get("images")
        if images is not None:
            for form in [*images.forms, images.empty_form]:
                if "caption" in form.fields:
                    form.fields["caption"].required = True
                    form.fields["caption"].error_messages["required"] = _(
                        "Describe the photo: its caption is its text alternative."
                    )

    def clean(self):
        data = super().clean()
        charter = data.get("charter")
        if charter is not None:
            iteration = data.get("iteration")
            if iteration is not None and iteration.get_parent().pk != charter.pk:
                self.add_error("iteration", _("Choose a version of this workshop’s charter."))
            debate = data.get("debate")
            if debate is not None and debate.get_parent().pk != charter.pk:
                self.add_error("debate", _("Choose a debate of this workshop’s charter."))
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at < starts_at:
            self.add_error("ends_at", _("The end comes after the start."))
        return data


def _date_cell(workshop):
    return format_datetime(workshop.starts_at)


def _enter_cell(workshop):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("workshops:enter", args=[workshop.pk]),
        gettext("Enter contributions"),
    )


class WorkshopIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("charter")

    def get_table(self, object_list):
        # Each row learns what was entered for it: two queries for the whole page.
        object_list = list(object_list)
        counts = contribution_counts(object_list)
        for workshop in object_list:
            workshop.comments_count = counts[workshop.pk]["comments"]
            workshop.amendments_count = counts[workshop.pk]["amendments"]
        return super().get_table(object_list)


class WorkshopDeleteView(generic.DeleteView):
    """Deleting a workshop its contributions point at is refused, with the reason (the
    database would refuse it anyway)."""

    def dispatch(self, request, *args, **kwargs):
        workshop = self.object
        allowed = self.permission_policy.user_has_permission(request.user, "delete")
        counts = contribution_counts([workshop])[workshop.pk]
        if allowed and (workshop.comments.exists() or workshop.amendments.exists()):
            messages.error(
                request,
                gettext(
                    "« %(title)s » cannot be deleted: contributions entered for it are signed "
                    "by it (%(comments)s comments, %(amendments)s amendments). They stay, and "
                    "so does the workshop."
                )
                % {
                    "title": workshop.title,
                    "comments": counts["comments"],
                    "amendments": counts["amendments"],
                },
            )
            return redirect(reverse("workshops:edit", args=[workshop.pk]))
        return super().dispatch(request, *args, **kwargs)


class WorkshopViewSet(ModelViewSet):
    model = Workshop
    icon = "group"
    menu_label = _("Workshops and registers")
    menu_order = 268
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = WorkshopIndexView
    delete_view_class = WorkshopDeleteView
    filterset_class = WorkshopFilterSet
    search_fields = ["title", "place", "facilitated_by"]
    list_per_page = 50
    list_display = [
        TitleColumn("title", label=_("Title"), url_name="workshops:edit"),
        Column("charter", label=_("Charter")),
        Column("get_kind_display", label=_("Kind"), sort_key="kind"),
        Column("starts_at", label=_("Date"), accessor=_date_cell, sort_key="starts_at"),
        Column("place_label", label=_("Place")),
        Column("participants", label=_("Participants"), sort_key="participants"),
        Column("comments_count", label=_("Comments")),
        Column("amendments_count", label=_("Amendments")),
        Column("enter", label=_("Entry"), accessor=_enter_cell),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("charter"),
                    FieldPanel("iteration"),
                    FieldPanel("debate"),
                    FieldPanel("kind"),
                    FieldPanel("title"),
                ],
                heading=_("What it is"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                    FieldPanel("online"),
                    FieldPanel("place"),
                ],
                heading=_("When and where"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("audience"),
                    FieldPanel("participants"),
                    FieldPanel("facilitated_by"),
                    FieldPanel("facilitators"),
                ],
                heading=_("Who"),
            ),
            MultiFieldPanel(
                [FieldPanel("report"), FieldPanel("report_document")],
                heading=_("What came out of it"),
            ),
            InlinePanel("images", heading=_("Photos"), label=_("Photo")),
        ],
        base_form_class=WorkshopForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("enter/", admin_views.entry_index, name="entry_index"),
            path("<int:pk>/enter/", admin_views.entry_view, name="enter"),
        ]


workshop_viewset = WorkshopViewSet("workshops")


@hooks.register("register_admin_viewset")
def register_workshops():
    return workshop_viewset


class EntryMenuItem(MenuItem):
    def is_shown(self, request):
        return can_facilitate(request.user)


@hooks.register("register_admin_menu_item")
def register_entry_menu_item():
    return EntryMenuItem(
        _("Enter contributions"),
        reverse("workshops:entry_index"),
        icon_name="clipboard-list",
        order=269,
    )
