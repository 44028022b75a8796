"""The communication team's inbox of amendments in the Wagtail admin.

A ModelViewSet without "add", "copy" or "delete" (amendments come from citizens and stay): the
listing puts unanswered amendments first, filters them, exports them (CSV, XLSX, JSON), and the
edit view is the answer form, shown beside the difference, the rationale and the tallies. The
answer goes through :func:`charte.amendments.services.amendment_answer`.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from charte.accounts.models import AuthorType
from charte.amendments.models import ANSWERS, Amendment, AmendmentKind, AmendmentStatus
from charte.amendments.services import (
    ACTION_ANSWER,
    ACTION_CORRECT,
    ACTION_EXPORT,
    amendment_answer,
    amendment_answer_correct,
    log_export,
    with_tallies,
)
from charte.core.exceptions import Refused
from charte.core.formatting import neutralise_formula
from charte.core.rules import ANSWER_AMENDMENT, GrantedPermissionPolicy
from charte.texts.pages import CharterIterationPage, CharterPage


class AmendmentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AmendmentStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AmendmentKind.choices)
    charter = django_filters.ModelChoiceFilter(
        label=_("Charter"), queryset=CharterPage.objects.all()
    )
    iteration = django_filters.ModelChoiceFilter(
        label=_("Version"),
        queryset=lambda request: CharterIterationPage.objects.in_source_locale().order_by("path"),
    )
    author_type = django_filters.ChoiceFilter(
        label=_("Author type"), field_name="author__author_type", choices=AuthorType.choices
    )

    class Meta:
        model = Amendment
        fields = ["status", "kind", "charter", "iteration", "author_type"]


class AmendmentIndexView(generic.IndexView):
    FORMAT_JSON = "json"
    FORMATS = (*generic.IndexView.FORMATS, FORMAT_JSON)
    custom_field_preprocess = {
        field: {"csv": neutralise_formula}
        for field in ("text", "rationale", "response", "author_name", "paragraph")
    }

    def get_base_queryset(self):
        unanswered_first = Case(
            When(status=AmendmentStatus.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            with_tallies(super().get_base_queryset())
            .select_related("author", "paragraph", "iteration", "charter", "answered_by")
            .annotate(unanswered_first=unanswered_first)
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.GET.get("ordering"):
            queryset = queryset.order_by("unanswered_first", "-created_at")
        return queryset

    def as_spreadsheet(self, queryset, spreadsheet_format):
        log_export(
            model=self.model,
            by=self.request.user,
            export_format=spreadsheet_format,
            count=queryset.count(),
        )
        if spreadsheet_format != self.FORMAT_JSON:
            return super().as_spreadsheet(queryset, spreadsheet_format)
        rows = []
        for item in queryset:
            row = {}
            for field, value in self.to_row_dict(item).items():
                if isinstance(value, datetime.datetime | datetime.date):
                    value = value.isoformat()
                elif value is not None and not isinstance(value, int | float | bool):
                    value = str(value)
                row[field] = value
            rows.append(row)
        response = JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.json"'
        return response

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.show_export_buttons:
            buttons.append(
                Button(
                    _("Download JSON"),
                    url=self.get_export_url(self.FORMAT_JSON),
                    icon_name="download",
                    priority=110,
                )
            )
        return buttons


class AmendmentSummaryPanel(Panel):
    """The amendment as citizens see it, beside the answer form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/amendment_summary.html"

        def get_context_data(self, parent_context=None):
            from charte.amendments.views import amendment_diff

            context = super().get_context_data(parent_context)
            amendment = with_tallies(
                Amendment.objects.filter(pk=self.instance.pk).select_related(
                    "author", "paragraph", "iteration"
                )
            ).first()
            context["amendment"] = amendment
            context["diff"] = amendment_diff(amendment) if amendment else ""
            return context


class AmendmentAnswerForm(WagtailAdminModelForm):
    correction_reason = forms.CharField(
        label=_("Correct the answer: reason for the correction"),
        help_text=_(
            "This amendment is already answered. Its answer is final: changing it is a "
            "correction, published with its date and this reason beside the initial answer."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
    )


class AmendmentAnswerView(generic.EditView):
    """Saving the form is answering: through the service, which records who and when and
    tells the author and the supporters. An answered amendment's form is the correction: it
    requires the reason, and the previous answer is kept."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # No answer is preselected: an editor who only writes the reasons must not accept
        # the amendment (and have its author and supporters told) without choosing to.
        status = form.fields["status"]
        status.choices = [(s.value, s.label) for s in ANSWERS]
        status.widget = forms.RadioSelect(choices=status.choices)
        status.required = True
        status.error_messages["required"] = _("Choose accepted, partially accepted or rejected.")
        if not self.object.is_answered and not form.is_bound:
            form.initial["status"] = None
        form.fields["response"].required = True
        if not self.object.is_answered:
            del form.fields["correction_reason"]
        return form

    def save_instance(self):
        data = self.form.cleaned_data
        if "correction_reason" in data:
            amendment_answer_correct(
                amendment=self.object,
                status=data["status"],
                response=data["response"],
                reason=data["correction_reason"],
                by=self.request.user,
            )
            return self.object
        return amendment_answer(
            amendment=self.object,
            status=data["status"],
            response=data["response"],
            by=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as refusal:
            field = "correction_reason" if refusal.field == "reason" else None
            form.add_error(field if field in form.fields else None, refusal.message)
            return self.form_invalid(form)

    def get_success_message(self, instance=None):
        if "correction_reason" in self.form.fields:
            return _(
                "The answer to amendment no. %(number)s is corrected; the initial answer stays "
                "public and its author and supporters are told."
            ) % {"number": (instance or self.object).number}
        return _("Amendment no. %(number)s is answered; its author and supporters are told.") % {
            "number": (instance or self.object).number
        }


class AmendmentViewSet(ModelViewSet):
    model = Amendment
    icon = "edit"
    menu_label = _("Amendments")
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = AmendmentIndexView
    edit_view_class = AmendmentAnswerView
    filterset_class = AmendmentFilterSet
    search_fields = ["text", "rationale", "response"]
    list_per_page = 30
    list_display = [
        "number",
        Column("iteration", label=_("Version"), sort_key="iteration__number"),
        Column("paragraph", label=_("Paragraph")),
        Column("get_kind_display", label=_("Kind"), sort_key="kind"),
        Column("get_status_display", label=_("Status"), sort_key="status"),
        Column("author_name", label=_("Author")),
        Column("supports_total", label=_("Supports"), sort_key="supports_total"),
        DateColumn("created_at", label=_("Proposed at"), sort_key="created_at"),
    ]
    list_export = [
        "number",
        "charter",
        "iteration",
        "paragraph",
        "get_kind_display",
        "text",
        "rationale",
        "author_name",
        "author_type_label",
        "created_at",
        "agree",
        "mixed",
        "disagree",
        "get_status_display",
        "response",
        "answered_at",
    ]
    export_headings = {
        "number": _("Amendment number"),
        "get_kind_display": _("Kind"),
        "author_name": _("Author"),
        "author_type_label": _("Author type"),
        "agree": _("Agree"),
        "mixed": _("With reservations"),
        "disagree": _("Disagree"),
        "get_status_display": _("Status"),
    }
    export_filename = "amendements"
    edit_handler = ObjectList(
        [
            AmendmentSummaryPanel(heading=_("The amendment")),
            FieldPanel("status", heading=_("Answer")),
            FieldPanel("response", heading=_("Reasons, published with the answer")),
            FieldPanel("correction_reason"),
        ],
        base_form_class=AmendmentAnswerForm,
    )

    def get_urlpatterns(self):
        # Amendments come from citizens and are never deleted: no "add" nor "delete" here.
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "delete")
        ]


# Whoever may answer amendments reads and answers them here; nobody adds, copies or deletes.
register_permission_policy(
    Amendment,
    GrantedPermissionPolicy(Amendment, permission=ANSWER_AMENDMENT, actions=("change", "view")),
)
amendment_viewset = AmendmentViewSet("amendments")


@hooks.register("register_log_actions")
def register_team_log_actions(actions):
    actions.register_action(ACTION_ANSWER, _("Answer an amendment"), _("Amendment answered"))
    actions.register_action(
        ACTION_CORRECT, _("Correct an answer"), _("Answer to the amendment corrected")
    )
    actions.register_action(ACTION_EXPORT, _("Export a listing"), _("Listing exported"))


@hooks.register("register_admin_viewset")
def register_amendment_inbox():
    return amendment_viewset
