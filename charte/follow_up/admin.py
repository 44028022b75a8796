"""The follow-up in Wagtail's admin: commitments, their updates and indicators, the
consultations' questionnaires.

The communication team (Wagtail's permissions on commitments, updates, indicators and
questionnaires) finds them in « Suivi des engagements »: the commitments' listing (filters by
charter, status, service, article, published; search), each commitment's form with its
timeline of updates and the button « Publier un point d’étape », the indicators with their
values, the questionnaires of the consultations. Others see no menu entry, and a 403 on these
addresses. The screens save through :mod:`charte.follow_up.services`
(:mod:`charte.follow_up.admin_views`).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
)
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from charte.amendments.models import Service
from charte.core.formatting import format_date
from charte.core.locales import default_locale
from charte.core.rules import can_manage_follow_up
from charte.core.targets import target_type
from charte.discussions.models import ThreadFollow
from charte.follow_up import admin_views, services
from charte.follow_up.forms import (
    CommitmentForm,
    CommitmentUpdateForm,
    IndicatorForm,
    QuestionnaireCreateForm,
    QuestionnaireForm,
)
from charte.follow_up.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Indicator,
    Questionnaire,
    QuestionnaireParticipation,
)
from charte.texts.pages import CharterIterationPage, CharterPage, IterationState


@hooks.register("register_log_actions")
def register_follow_up_log_actions(actions):
    actions.register_action(services.ACTION_UPDATE, _("Publish an update"), _("Update published"))


def followers_count(commitment) -> int:
    return ThreadFollow.objects.filter(
        content_type=target_type(Commitment), object_id=commitment.pk
    ).count()


def update_add_url(commitment) -> str:
    return f"{reverse('follow_up_updates:add')}?commitment={commitment.pk}"


class TeamOnlyViewSet(ModelViewSet):
    """Every address of the viewset answers the communication team only (403 for others)."""

    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self):
        return [
            path(str(pattern.pattern), admin_views.team_only(pattern.callback), name=pattern.name)
            for pattern in super().get_urlpatterns()
        ]


# -- Commitments ------------------------------------------------------------------------------


def _charters(request):
    return CharterPage.objects.filter(locale=default_locale()).order_by("path")


class CommitmentFilterSet(WagtailFilterSet):
    charter = django_filters.ModelChoiceFilter(label=_("Charter"), queryset=_charters)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CommitmentStatus.choices)
    service = django_filters.ModelChoiceFilter(
        label=_("Service"), queryset=lambda request: Service.objects.all()
    )
    article_number = django_filters.NumberFilter(label=_("Article"))
    is_published = django_filters.BooleanFilter(label=_("Published"))

    class Meta:
        model = Commitment
        fields = ["charter", "status", "service", "article_number", "is_published"]


def _article_cell(commitment):
    return gettext("Art. %(number)s") % {"number": commitment.article_number}


def _progress_cell(commitment):
    return f"{commitment.progress} %"


def _due_cell(commitment):
    return format_date(commitment.due_on) if commitment.due_on else ""


def _late_cell(commitment):
    return gettext("Late") if commitment.is_late() else ""


def _update_cell(commitment):
    label = gettext("Publish an update")
    return format_html('<a href="{}">{}</a>', update_add_url(commitment), label)


class UpdatesPanel(Panel):
    """The commitment's timeline of updates, each to correct or delete, and the button to
    publish the next one."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/follow_up/updates_panel.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            commitment = self.instance
            context["commitment"] = commitment
            context["updates"] = list(
                commitment.updates.select_related("author").prefetch_related("images", "documents")
            )
            context["add_url"] = update_add_url(commitment)
            context["followers"] = followers_count(commitment)
            context["public_url"] = commitment.get_url() if commitment.is_published else ""
            return context


class CommitmentViewSet(TeamOnlyViewSet):
    model = Commitment
    icon = "tasks"
    menu_label = _("Commitments")
    menu_order = 100
    index_view_class = admin_views.CommitmentIndexView
    add_view_class = admin_views.CommitmentCreateView
    edit_view_class = admin_views.CommitmentEditView
    delete_view_class = admin_views.CommitmentDeleteView
    filterset_class = CommitmentFilterSet
    search_fields = ["title", "title_en", "description"]
    list_per_page = 50
    list_display = [
        Column("number", label=_("No."), sort_key="number"),
        Column("charter", label=_("Charter")),
        Column(
            "article_number",
            label=_("Article"),
            accessor=_article_cell,
            sort_key="article_number",
        ),
        TitleColumn("title", label=_("Title"), url_name="follow_up_commitments:edit"),
        Column("get_status_display", label=_("Status"), sort_key="status"),
        Column("progress", label=_("Progress"), accessor=_progress_cell, sort_key="progress"),
        Column("due_on", label=_("Due date"), accessor=_due_cell, sort_key="due_on"),
        Column("late", label=_("Late"), accessor=_late_cell),
        Column("update", label=_("Next update"), accessor=_update_cell),
    ]
    edit_handler = ObjectList(
        [
            UpdatesPanel(heading=_("Timeline of updates")),
            MultiFieldPanel(
                [FieldPanel("charter", widget=forms.Select), FieldPanel("article_number")],
                heading=_("What it carries out"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("title"),
                    FieldPanel("title_en"),
                    FieldPanel("description"),
                    FieldPanel("description_en"),
                ],
                heading=_("What the authority commits to"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("service"),
                    FieldRowPanel([FieldPanel("starts_on"), FieldPanel("due_on")]),
                ],
                heading=_("Who and when"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldPanel("status_reason"),
                    FieldPanel("status_reason_en"),
                    FieldPanel("progress"),
                    FieldPanel("is_published"),
                ],
                heading=_("Where it stands"),
            ),
        ],
        base_form_class=CommitmentForm,
    )


# -- Updates ----------------------------------------------------------------------------------


class UpdateIntroPanel(Panel):
    """Which commitment, where it stands, and who will be e-mailed."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/follow_up/update_intro.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            update = self.instance
            commitment = update.commitment
            context["commitment"] = commitment
            context["followers"] = followers_count(commitment)
            context["is_new"] = not update.pk
            context["already_told"] = bool(update.notified_at)
            return context


class UpdateViewSet(TeamOnlyViewSet):
    model = CommitmentUpdate
    icon = "tasks"
    add_to_admin_menu = False
    add_view_class = admin_views.UpdateCreateView
    edit_view_class = admin_views.UpdateEditView
    delete_view_class = admin_views.UpdateDeleteView
    list_display = [
        TitleColumn("published_on", label=_("Date"), url_name="follow_up_updates:edit"),
        Column("commitment", label=_("Commitment")),
    ]
    edit_handler = ObjectList(
        [
            UpdateIntroPanel(heading=_("The commitment")),
            MultiFieldPanel(
                [FieldPanel("published_on"), FieldPanel("text"), FieldPanel("text_en")],
                heading=_("What happened"),
            ),
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("status_reason"), FieldPanel("progress")],
                heading=_("Where it stands now"),
            ),
            InlinePanel("images", heading=_("Photos"), label=_("Photo")),
            InlinePanel("documents", heading=_("Documents"), label=_("Document")),
        ],
        base_form_class=CommitmentUpdateForm,
    )


# -- Indicators -------------------------------------------------------------------------------


class IndicatorFilterSet(WagtailFilterSet):
    charter = django_filters.ModelChoiceFilter(
        label=_("Charter"),
        queryset=lambda request: (
            CharterPage.objects.filter(indicators__isnull=False).distinct().order_by("path")
        ),
    )

    class Meta:
        model = Indicator
        fields = ["charter"]


def _target_cell(indicator):
    unit = indicator.unit
    return f"{indicator.target:g} {unit}".strip()


def _published_cell(indicator):
    return gettext("Yes") if indicator.is_published else gettext("No")


class IndicatorViewSet(TeamOnlyViewSet):
    model = Indicator
    icon = "table"
    menu_label = _("Indicators")
    menu_order = 200
    index_view_class = admin_views.IndicatorIndexView
    filterset_class = IndicatorFilterSet
    list_per_page = 50
    search_fields = ["title", "title_en"]
    list_display = [
        TitleColumn("title", label=_("Title"), url_name="follow_up_indicators:edit"),
        Column("charter", label=_("Charter")),
        Column("commitment", label=_("Commitment")),
        Column("target", label=_("Target"), accessor=_target_cell),
        Column("is_published", label=_("Published"), accessor=_published_cell),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("charter", widget=forms.Select), FieldPanel("commitment")],
                heading=_("What it measures"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("title"),
                    FieldPanel("title_en"),
                    FieldRowPanel([FieldPanel("unit"), FieldPanel("unit_en")]),
                    FieldRowPanel([FieldPanel("target"), FieldPanel("target_on")]),
                    FieldPanel("is_published"),
                ],
                heading=_("The indicator"),
            ),
            InlinePanel("values", heading=_("Values over time"), label=_("Value")),
        ],
        base_form_class=IndicatorForm,
    )


# -- Questionnaires ---------------------------------------------------------------------------


class QuestionnaireStatsPanel(Panel):
    """Where the questionnaire stands: sent or not, how many answered (the results are in the
    synthesis)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/follow_up/questionnaire_stats.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            questionnaire = self.instance
            context["questionnaire"] = questionnaire
            context["responses"] = questionnaire.responses.count()
            context["invited"] = QuestionnaireParticipation.objects.filter(
                questionnaire=questionnaire, invited_at__isnull=False
            ).count()
            context["deadline"] = questionnaire.answer_deadline()
            return context


class SentQuestionsPanel(Panel):
    """The questions as they were sent: no longer edited."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/follow_up/questions_sent.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["questions"] = list(self.instance.questions.all())
            return context


QUESTIONNAIRE_FIELDS = MultiFieldPanel(
    [
        FieldPanel("is_enabled"),
        FieldPanel("introduction"),
        FieldPanel("introduction_en"),
        FieldPanel("closes_at"),
    ],
    heading=_("The questionnaire"),
)


def _version_cell(questionnaire):
    return questionnaire.iteration.title


def _enabled_cell(questionnaire):
    return gettext("Yes") if questionnaire.is_enabled else gettext("No")


def _sent_cell(questionnaire):
    return format_date(questionnaire.sent_at) if questionnaire.sent_at else gettext("Not sent")


class QuestionnaireViewSet(TeamOnlyViewSet):
    model = Questionnaire
    icon = "help"
    menu_label = _("Questionnaires")
    menu_order = 300
    index_view_class = admin_views.QuestionnaireIndexView
    add_view_class = admin_views.QuestionnaireCreateView
    edit_view_class = admin_views.QuestionnaireEditView
    list_display = [
        TitleColumn(
            "iteration",
            label=_("Version"),
            accessor=_version_cell,
            url_name="follow_up_questionnaires:edit",
        ),
        Column("is_enabled", label=_("Sent when it closes"), accessor=_enabled_cell),
        Column("sent_at", label=_("Sent"), accessor=_sent_cell),
    ]
    edit_handler = ObjectList(
        [
            QuestionnaireStatsPanel(heading=_("Answers")),
            QUESTIONNAIRE_FIELDS,
            InlinePanel("questions", heading=_("Questions"), label=_("Question")),
        ],
        base_form_class=QuestionnaireForm,
    )

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(
            create_panel=ObjectList(
                [FieldPanel("iteration", widget=forms.Select)],
                base_form_class=QuestionnaireCreateForm,
            ).bind_to_model(Questionnaire),
            **kwargs,
        )

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            sent_panel=ObjectList(
                [
                    QuestionnaireStatsPanel(heading=_("Answers")),
                    QUESTIONNAIRE_FIELDS,
                    SentQuestionsPanel(heading=_("Questions")),
                ],
                base_form_class=QuestionnaireForm,
            ).bind_to_model(Questionnaire),
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "version/<int:iteration_pk>/",
                admin_views.questionnaire_for_version,
                name="for_version",
            ),
        ]


# -- The menu ---------------------------------------------------------------------------------


class FollowUpViewSetGroup(ViewSetGroup):
    menu_label = _("Follow-up of commitments")
    menu_icon = "tasks"
    menu_order = 270
    items = (
        CommitmentViewSet("follow_up_commitments", url_prefix="follow-up/commitments"),
        IndicatorViewSet("follow_up_indicators", url_prefix="follow-up/indicators"),
        QuestionnaireViewSet("follow_up_questionnaires", url_prefix="follow-up/questionnaires"),
    )


@hooks.register("register_admin_viewset")
def register_follow_up():
    return FollowUpViewSetGroup()


@hooks.register("register_admin_viewset")
def register_follow_up_updates():
    return UpdateViewSet("follow_up_updates", url_prefix="follow-up/updates")


# -- From the pages tree ----------------------------------------------------------------------


class FollowUpMenuItem(PageMenuItem):
    def is_shown(self, user):
        return can_manage_follow_up(user)


def _source_charter(page):
    default = default_locale()
    if page.locale_id == default.pk:
        return page
    return CharterPage.objects.filter(translation_key=page.translation_key, locale=default).first()


def follow_up_buttons(page, priority):
    """« Engagements de cette charte » on a charter and on its adopted version; « Questionnaire
    de cette concertation » on a version opened for consultation."""
    specific = page.specific_deferred
    charter = None
    if isinstance(specific, CharterPage):
        charter = _source_charter(page)
    elif isinstance(specific, CharterIterationPage):
        source = specific.source
        if source.state == IterationState.ADOPTED:
            charter = _source_charter(source.get_parent())
        if source.frozen_at is not None:
            yield FollowUpMenuItem(
                label=_("Questionnaire of this consultation"),
                url=reverse("follow_up_questionnaires:for_version", args=[source.pk]),
                icon_name="help",
                page=page,
                priority=priority + 1,
            )
    if charter is not None:
        yield FollowUpMenuItem(
            label=_("Commitments of this charter"),
            url=f"{reverse('follow_up_commitments:index')}?charter={charter.pk}",
            icon_name="tasks",
            page=page,
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def page_header_follow_up_buttons(page, user, view_name, next_url=None):
    yield from follow_up_buttons(page, priority=14)


@hooks.register("register_page_listing_more_buttons")
def page_listing_follow_up_buttons(page, user, next_url=None):
    yield from follow_up_buttons(page, priority=7)
