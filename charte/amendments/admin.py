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
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
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
from charte.amendments.models import (
    ANSWERS,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AnswerState,
    Service,
)
from charte.amendments.queries import in_answer_state, paragraph_groups, similarity
from charte.amendments.services import (
    ACTION_ANSWER,
    ACTION_ASSIGN,
    ACTION_CORRECT,
    ACTION_DRAFT,
    ACTION_EXPORT,
    amendment_answer,
    amendment_answer_correct,
    amendment_answer_draft,
    amendment_answer_validate,
    amendment_assign,
    amendments_answer_group,
    assignable_people,
    log_export,
    with_tallies,
)
from charte.core.exceptions import Refused
from charte.core.formatting import neutralise_formula
from charte.core.origins import Origin
from charte.core.rules import (
    ANSWER_AMENDMENT,
    GrantedPermissionPolicy,
    can_answer,
    can_validate_answer,
)
from charte.texts.pages import CharterIterationPage, CharterPage
from charte.texts.paragraphs import Paragraph
from charte.workshops.models import Workshop


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
    answer_state = django_filters.ChoiceFilter(
        label=_("Answer"), choices=AnswerState.choices, method="filter_answer_state"
    )
    service = django_filters.ModelChoiceFilter(label=_("Service"), queryset=Service.objects.all())
    assignee = django_filters.ModelChoiceFilter(
        label=_("Assigned to"), queryset=lambda request: assignable_people()
    )
    origin = django_filters.ChoiceFilter(
        label=_("Origin"), choices=Origin.choices, method="filter_origin"
    )
    workshop = django_filters.ModelChoiceFilter(
        label=_("Workshop or register"),
        queryset=lambda request: Workshop.objects.select_related("charter"),
    )

    class Meta:
        model = Amendment
        fields = [
            "status",
            "answer_state",
            "service",
            "assignee",
            "kind",
            "charter",
            "iteration",
            "author_type",
            "origin",
            "workshop",
        ]

    def filter_origin(self, queryset, name, value):
        if value == Origin.ONLINE:
            return queryset.filter(workshop__isnull=True)
        return queryset.filter(workshop__kind=value)

    def filter_answer_state(self, queryset, name, value):
        return in_answer_state(queryset, value)


def origin_cell(amendment):
    """Online, or the workshop or register that proposed it."""
    return Origin(amendment.origin).label


def group_url(amendment) -> str:
    return reverse("amendments:group", args=[amendment.paragraph_id]) + f"?with={amendment.pk}"


def answer_cell(amendment):
    """The answer's state, and a draft's status, in the inbox."""
    if amendment.has_draft:
        return format_html("{} ({})", AnswerState.DRAFT.label, amendment.get_draft_status_display())
    return amendment.get_answer_state_display()


def assigned_cell(amendment):
    names = [str(amendment.service or "")]
    if amendment.assignee_id:
        names.append(amendment.assignee.get_full_name() or amendment.assignee.username)
    return " · ".join(name for name in names if name)


def group_cell(amendment):
    """« N on this paragraph » (the group's answer form) and the near-duplicates."""
    group = getattr(amendment, "group", None) or {"count": 1, "similar": []}
    parts = []
    if group["count"] > 1:
        parts.append(
            format_html(
                '<a href="{}">{}</a>',
                group_url(amendment),
                gettext("%(count)s on this paragraph") % {"count": group["count"]},
            )
        )
    if group["similar"]:
        parts.append(
            format_html(
                "{} {}",
                gettext("similar:"),
                format_html_join(
                    ", ",
                    '<a href="{}">{}</a>',
                    (
                        (
                            reverse("amendments:edit", args=[other.pk]),
                            gettext("no. %(number)s") % {"number": other.number},
                        )
                        for other in group["similar"]
                    ),
                ),
            )
        )
    return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts))


class AuditedExportIndexView(generic.IndexView):
    """A listing of the team's whose exports (CSV, XLSX and JSON) are each recorded in the
    audit log."""

    FORMAT_JSON = "json"
    FORMATS = (*generic.IndexView.FORMATS, FORMAT_JSON)

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


class AmendmentIndexView(AuditedExportIndexView):
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
            .select_related(
                "author",
                "paragraph",
                "iteration",
                "charter",
                "answered_by",
                "service",
                "assignee",
                "workshop",
            )
            .annotate(unanswered_first=unanswered_first)
            # A row needs its version's title, not its text (a thousand paragraphs of JSON).
            .defer("iteration__body")
        )

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.GET.get("ordering"):
            queryset = queryset.order_by("unanswered_first", "-created_at")
        return queryset

    def get_table(self, object_list):
        # Each row of the page learns its paragraph's group and near-duplicates (one query).
        object_list = list(object_list)
        groups = paragraph_groups(object_list)
        for amendment in object_list:
            amendment.group = groups.get(amendment.pk)
        return super().get_table(object_list)


class AmendmentSummaryPanel(Panel):
    """The amendment as citizens see it, beside the answer form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/amendment_summary.html"

        def get_context_data(self, parent_context=None):
            from charte.amendments.views import amendment_diff

            context = super().get_context_data(parent_context)
            amendment = with_tallies(
                Amendment.objects.filter(pk=self.instance.pk).select_related(
                    "author", "paragraph", "iteration", "drafted_by", "validated_by", "workshop"
                )
            ).first()
            context["origin"] = Origin(amendment.origin).label if amendment else ""
            context["can_validate"] = can_validate_answer(self.request.user)
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

    def clean(self):
        data = super().clean()
        # Without an answer yet, the form may only assign the amendment; an answer needs both
        # its status and its reasons.
        if "correction_reason" not in self.fields and (data.get("status") or data.get("response")):
            if not data.get("status"):
                self.add_error("status", _("Choose accepted, partially accepted or rejected."))
            if not (data.get("response") or "").strip():
                self.add_error("response", _("Write the reasons for this answer: they are public."))
        return data


class AmendmentAnswerView(generic.EditView):
    """Saving the form is answering: through the service, which records who and when and
    tells the author and the supporters. Whoever may not validate answers saves a draft, which
    someone allowed publishes (the form then starts from the draft). An answered amendment's
    form is the correction: it requires the reason, and the previous answer is kept. The same
    form assigns the amendment to a service or a person."""

    outcome = None

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        current = self.current
        # No answer is preselected: an editor who only writes the reasons must not accept
        # the amendment (and have its author and supporters told) without choosing to.
        status = form.fields["status"]
        status.choices = [(s.value, s.label) for s in ANSWERS]
        status.widget = forms.RadioSelect(choices=status.choices)
        status.error_messages["required"] = _("Choose accepted, partially accepted or rejected.")
        form.fields["assignee"].queryset = assignable_people()
        form.fields["assignee"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )
        if current.is_answered:
            status.required = True
            form.fields["response"].required = True
        else:
            del form.fields["correction_reason"]
            status.required = False
            form.fields["response"].required = False
            validator = can_validate_answer(self.request.user)
            if not form.is_bound:
                # Who drafts rewrites the draft; who validates starts from an empty answer, so
                # that saving the form to assign the amendment never publishes the draft (the
                # summary above has the button that validates it as written).
                form.initial["status"] = None if validator else current.draft_status or None
                form.initial["response"] = "" if validator else current.draft_response
            if not validator:
                status.help_text = _(
                    "Your answer is saved as a draft: it is published, and its author told, "
                    "once someone allowed to validate answers validates it."
                )
        return form

    @property
    def current(self):
        """The amendment as stored (the form writes what was posted into ``self.object``)."""
        if not hasattr(self, "_current"):
            self._current = Amendment.objects.select_related("drafted_by").get(pk=self.object.pk)
        return self._current

    def save_instance(self):
        data = self.form.cleaned_data
        user = self.request.user
        current = self.current
        amendment_assign(
            amendment=current, service=data.get("service"), assignee=data.get("assignee"), by=user
        )
        if "correction_reason" in data:
            amendment_answer_correct(
                amendment=current,
                status=data["status"],
                response=data["response"],
                reason=data["correction_reason"],
                by=user,
            )
            self.outcome = "corrected"
        elif data.get("status"):
            answer = {"amendment": current, "status": data["status"], "response": data["response"]}
            if not can_validate_answer(user):
                amendment_answer_draft(**answer, by=user)
                self.outcome = "drafted"
            elif current.has_draft:
                amendment_answer_validate(**answer, by=user)
                self.outcome = "answered"
            else:
                amendment_answer(**answer, by=user)
                self.outcome = "answered"
        else:
            self.outcome = "assigned"
        return self.object

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as refusal:
            field = {"reason": "correction_reason"}.get(refusal.field, refusal.field)
            form.add_error(field if field in form.fields else None, refusal.message)
            return self.form_invalid(form)

    def get_success_message(self, instance=None):
        number = (instance or self.object).number
        messages_by_outcome = {
            "corrected": _(
                "The answer to amendment no. %(number)s is corrected; the initial answer stays "
                "public and its author and supporters are told."
            ),
            "drafted": _(
                "The draft answer to amendment no. %(number)s is saved: it awaits validation, "
                "and nobody is told before."
            ),
            "assigned": _("Amendment no. %(number)s is saved."),
        }
        message = messages_by_outcome.get(
            self.outcome,
            _("Amendment no. %(number)s is answered; its author and supporters are told."),
        )
        return message % {"number": number}


def _inbox_guard(request):
    if not can_answer(request.user):
        raise PermissionDenied


def validate_view(request, pk):
    """Publish an amendment's draft answer as written (POST), or say why not."""
    _inbox_guard(request)
    amendment = get_object_or_404(Amendment, pk=pk)
    edit_url = reverse("amendments:edit", args=[pk])
    if request.method != "POST":
        return redirect(edit_url)
    try:
        amendment_answer_validate(amendment=amendment, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(edit_url)
    messages.success(
        request,
        _(
            "The answer to amendment no. %(number)s is published; its author and supporters "
            "are told."
        )
        % {"number": amendment.number},
    )
    return redirect(reverse("amendments:index"))


GROUP_LIMIT = 300


def group_view(request, paragraph_id):
    """The amendments of one paragraph awaiting an answer, to answer several at once with one
    reasoned answer: check them (those similar to ``?with=`` are checked already), choose the
    answer, write its reasons. Works without JavaScript."""
    _inbox_guard(request)
    paragraph = get_object_or_404(Paragraph.objects.select_related("iteration"), pk=paragraph_id)
    amendments = list(
        Amendment.objects.filter(paragraph=paragraph, status=AmendmentStatus.SUBMITTED)
        .select_related("author", "drafted_by", "service", "assignee")
        .order_by("number")[:GROUP_LIMIT]
    )
    by_pk = {a.pk: a for a in amendments}
    validator = can_validate_answer(request.user)
    errors: dict[str, str] = {}
    values = {"status": "", "response": "", "publish": validator}
    if request.method == "POST":
        chosen_pks = set()
        for raw in request.POST.getlist("amendments"):
            if raw.isdigit() and int(raw) in by_pk:
                chosen_pks.add(int(raw))
        values = {
            "status": request.POST.get("status", ""),
            "response": request.POST.get("response", ""),
            "publish": validator and request.POST.get("publish") == "1",
        }
        try:
            answered = amendments_answer_group(
                amendments=[by_pk[pk] for pk in sorted(chosen_pks)],
                status=values["status"],
                response=values["response"],
                by=request.user,
                publish=values["publish"],
            )
        except Refused as refusal:
            problems = getattr(refusal, "problems", None) or [(refusal.field, refusal.message)]
            errors = {field or "amendments": message for field, message in problems}
        else:
            numbers = ", ".join(str(a.number) for a in answered)
            if values["publish"]:
                message = _(
                    "Amendments no. %(numbers)s are answered; their authors and supporters are "
                    "told."
                )
            else:
                message = _(
                    "The draft answer to amendments no. %(numbers)s is saved: it awaits validation."
                )
            messages.success(request, message % {"numbers": numbers})
            return redirect(reverse("amendments:index"))
    else:
        chosen_pks = set()
        anchor = (
            by_pk.get(int(request.GET["with"])) if request.GET.get("with", "").isdigit() else None
        )
        if anchor is not None:
            chosen_pks = {anchor.pk} | {
                a.pk for a in amendments if a is not anchor and similarity(anchor, a) >= 0.6
            }
    rows = [{"amendment": a, "checked": a.pk in chosen_pks} for a in amendments]
    return TemplateResponse(
        request,
        "charte/admin/amendment_group.html",
        {
            "paragraph": paragraph,
            "rows": rows,
            "errors": errors,
            "values": values,
            "validator": validator,
            "answers": [(s.value, s.label) for s in ANSWERS],
            "page_title": _("Answer several amendments at once"),
            "page_subtitle": str(paragraph),
            "header_icon": "edit",
        },
    )


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
        Column("answer_state", label=_("Answer"), accessor=answer_cell),
        Column("assigned", label=_("Assigned to"), accessor=assigned_cell),
        Column("group", label=_("Same paragraph"), accessor=group_cell),
        Column("author_name", label=_("Author")),
        Column("origin", label=_("Origin"), accessor=origin_cell),
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
        "get_origin_display",
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
        "get_origin_display": _("Origin"),
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
            FieldPanel("service", heading=_("Service concerned")),
            FieldPanel("assignee", heading=_("Assigned to")),
        ],
        base_form_class=AmendmentAnswerForm,
    )

    def get_urlpatterns(self):
        # Amendments come from citizens and are never deleted: no "add" nor "delete" here.
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "delete")
        ] + [
            path("group/<int:paragraph_id>/", group_view, name="group"),
            path("validate/<int:pk>/", validate_view, name="validate"),
        ]


class ServiceViewSet(ModelViewSet):
    """The authority's services, to which amendments are assigned; managed by the team."""

    model = Service
    icon = "group"
    menu_label = _("Services")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["name"]
    list_display = ["name"]
    search_fields = ["name"]


# Whoever may answer amendments reads and answers them here; nobody adds, copies or deletes.
register_permission_policy(
    Amendment,
    GrantedPermissionPolicy(Amendment, permission=ANSWER_AMENDMENT, actions=("change", "view")),
)
register_permission_policy(
    Service,
    GrantedPermissionPolicy(
        Service, permission=ANSWER_AMENDMENT, actions=("add", "change", "delete", "view")
    ),
)
amendment_viewset = AmendmentViewSet("amendments")
service_viewset = ServiceViewSet("amendment_services")


@hooks.register("register_log_actions")
def register_team_log_actions(actions):
    actions.register_action(ACTION_ANSWER, _("Answer an amendment"), _("Amendment answered"))
    actions.register_action(
        ACTION_CORRECT, _("Correct an answer"), _("Answer to the amendment corrected")
    )
    actions.register_action(ACTION_EXPORT, _("Export a listing"), _("Listing exported"))
    actions.register_action(
        ACTION_DRAFT, _("Draft an answer"), _("Draft answer to the amendment saved")
    )
    actions.register_action(ACTION_ASSIGN, _("Assign an amendment"), _("Amendment assigned"))


@hooks.register("register_admin_viewset")
def register_amendment_inbox():
    return amendment_viewset


@hooks.register("register_admin_viewset")
def register_services():
    return service_viewset
