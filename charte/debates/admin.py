"""The team's view of debate arguments in the Wagtail admin: a listing to read, filter (debate,
side, status) and export (CSV, XLSX, JSON). Arguments come from citizens: nothing is added,
edited or deleted here; moderators decide in the moderation queue, and the debate's
conclusion is written in the page editor."""

from __future__ import annotations

import django_filters
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from charte.amendments.admin import AuditedExportIndexView
from charte.core.formatting import neutralise_formula
from charte.core.rules import MODERATE_CONTRIBUTION, GrantedPermissionPolicy
from charte.debates.models import Argument, DebatePage, Side

STATUSES = [
    ("visible", _("Shown")),
    ("pending", _("Awaiting approval")),
    ("hidden", _("Hidden")),
    ("deleted", _("Deleted by its author")),
]


class ArgumentFilterSet(WagtailFilterSet):
    debate = django_filters.ModelChoiceFilter(label=_("Debate"), queryset=DebatePage.objects.all())
    side = django_filters.ChoiceFilter(label=_("Side"), choices=Side.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUSES, method="filter_status"
    )

    class Meta:
        model = Argument
        fields = ["debate", "side", "status"]

    def filter_status(self, queryset, name, value):
        return {
            "visible": queryset.visible(),
            "pending": queryset.filter(is_public=False, deleted_at__isnull=True),
            "hidden": queryset.filter(hidden_at__isnull=False),
            "deleted": queryset.filter(deleted_at__isnull=False),
        }.get(value, queryset)


class ArgumentIndexView(AuditedExportIndexView):
    # Its exports (CSV, XLSX, JSON) go through AuditedExportIndexView.as_spreadsheet, which records
    # each one in the audit log (charte.amendments.services.log_export).
    custom_field_preprocess = {
        field: {"csv": neutralise_formula} for field in ("title", "text", "author_name")
    }

    def get_base_queryset(self):
        return (
            Argument.objects.select_related("author", "debate")
            .annotate(supports_total=Count("supports", distinct=True))
            .order_by("-created_at")
        )


class ArgumentViewSet(ModelViewSet):
    model = Argument
    icon = "comment"
    menu_label = _("Arguments")
    menu_order = 265
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ArgumentIndexView
    filterset_class = ArgumentFilterSet
    search_fields = ["title", "text"]
    list_per_page = 50
    list_display = [
        "title",
        Column("debate", label=_("Debate")),
        Column("get_side_display", label=_("Side"), sort_key="side"),
        Column("author_name", label=_("Author")),
        Column("supports_total", label=_("Supports"), sort_key="supports_total"),
        Column("status_label", label=_("Status")),
        DateColumn("created_at", label=_("Written at"), sort_key="created_at"),
    ]
    list_export = [
        "pk",
        "debate",
        "get_side_display",
        "title",
        "text",
        "author_name",
        "author_type_label",
        "language",
        "created_at",
        "supports_total",
        "status_label",
    ]
    export_headings = {
        "pk": _("Argument number"),
        "get_side_display": _("Side"),
        "author_name": _("Author"),
        "author_type_label": _("Author type"),
        "supports_total": _("Supports"),
        "status_label": _("Status"),
    }
    export_filename = "arguments"
    form_fields = ["title"]

    def get_urlpatterns(self):
        # Arguments come from citizens: read and exported here, never added, edited or deleted.
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "edit", "delete")
        ]


# Whoever may moderate reads the arguments here; nobody changes them here.
register_permission_policy(
    Argument, GrantedPermissionPolicy(Argument, permission=MODERATE_CONTRIBUTION, actions=("view",))
)
argument_viewset = ArgumentViewSet("arguments")


@hooks.register("register_admin_viewset")
def register_argument_listing():
    return argument_viewset
