"""Debates: a question put to residents, arguments for and against, supports, positions.

A DebatePage is a Wagtail page (under a charter, for the listening phase of that process, or
under the debates index when it stands alone); what citizens write about it are rows of this
module, attached to the debate page in the site's default language (its translations show the
same arguments).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from charte.core import switches
from charte.core.locales import default_locale
from charte.core.routing import ChildRouting, view
from charte.core.targets import DiscussionTarget, address_in
from charte.discussions.models import ModerationAction, ReportReason
from charte.texts.pages import INTRO_FEATURES

ARGUMENT_TITLE_MAX = 120
ARGUMENT_TEXT_MAX = 1000


class DebatesIndexPage(ChildRouting, Page):
    """The debates that stand alone, outside any charter."""

    child_page_type = "charte.DebatePage"

    introduction = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["charte.DebatePage"]
    template = "charte/debates_index_page.html"

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("debates index")
        verbose_name_plural = _("debates indexes")

    @classmethod
    def can_create_at(cls, parent):
        """One index of the debates that stand alone (translated by wagtail-localize)."""
        return super().can_create_at(parent) and not cls.objects.exists()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from charte.debates.queries import children_debates

        context["debates"] = children_debates(self)
        context["now"] = timezone.now()
        return context


class DebatePageForm(WagtailAdminPageForm):
    """The articles a debate concerns or changed are chosen among those of its charter's
    frozen versions (each article by its first paragraph)."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        parent = parent_page or (self.instance.get_parent() if self.instance.pk else None)
        choices = article_choices(parent.specific if parent else None)
        for name in ("articles", "influenced"):
            if name in self.fields:
                field = self.fields[name]
                field.queryset = choices
                field.label_from_instance = article_label
                field.widget = forms.CheckboxSelectMultiple()
                field.widget.choices = field.choices


def article_choices(parent):
    """The first paragraph of each article of the frozen versions of ``parent`` (a charter
    page, in any language); nothing for a debate that stands alone."""
    from charte.texts.pages import CharterPage
    from charte.texts.paragraphs import Paragraph

    if not isinstance(parent, CharterPage):
        return Paragraph.objects.none()
    source = parent.get_translation_or_none(default_locale()) or parent
    return (
        Paragraph.objects.filter(iteration__in=Page.objects.child_of(source).values("pk"), number=1)
        .select_related("iteration")
        .order_by("iteration__number", "position")
    )


def article_label(row) -> str:
    return (
        f"{row.iteration.title} – "
        + _("Article %(number)s") % {"number": row.article_number}
        + f" – {row.article_title}"
    )


class DebatePage(RoutablePageMixin, Page):
    """A question put to residents, with its context, its window, and once closed the team's
    conclusion (« ce que nous retenons »)."""

    question = models.CharField(
        _("question"),
        max_length=300,
        help_text=_("For example « Quelle place pour les jeunes dans les conseils de quartier ? »"),
    )
    context = RichTextField(_("context"), features=INTRO_FEATURES, blank=True)
    opens_at = models.DateTimeField(_("debate opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("debate closes"), null=True, blank=True)
    articles = ParentalManyToManyField(
        "charte.Paragraph",
        blank=True,
        related_name="debates",
        verbose_name=_("articles concerned"),
        help_text=_("The articles of the charter this question is about (optional)."),
    )
    conclusion = RichTextField(
        _("what we take from it"),
        features=INTRO_FEATURES,
        blank=True,
        help_text=_("Published once the debate has closed. Link the versions it shaped."),
    )
    influenced = ParentalManyToManyField(
        "charte.Paragraph",
        blank=True,
        related_name="influencing_debates",
        verbose_name=_("articles it changed"),
    )
    # What is open inside the window (charte.core.switches).
    arguments_open = models.BooleanField(_("arguments open"), default=True)
    arguments_close_at = models.DateTimeField(
        _("arguments close early on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close with the debate's window."),
    )
    arguments_limit = models.PositiveSmallIntegerField(
        _("arguments per person"),
        null=True,
        blank=True,
        help_text=_("The most arguments one person may write in this debate; empty: no limit."),
    )
    argument_supports_open = models.BooleanField(_("supports of arguments open"), default=True)
    argument_supports_close_at = models.DateTimeField(
        _("supports of arguments close early on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close with the debate's window."),
    )

    switched_actions = (switches.ARGUMENTS, switches.ARGUMENT_SUPPORTS)

    parent_page_types = ["charte.CharterPage", "charte.DebatesIndexPage"]
    subpage_types = []
    template = "charte/debate_page.html"
    base_form_class = DebatePageForm

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("context"),
        MultiFieldPanel(
            [FieldPanel("opens_at"), FieldPanel("closes_at")],
            heading=_("Opening window (Europe/Paris time)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("arguments_open"),
                FieldPanel("arguments_close_at"),
                FieldPanel("arguments_limit"),
                FieldPanel("argument_supports_open"),
                FieldPanel("argument_supports_close_at"),
            ],
            heading=_("What is open"),
            help_text=_(
                "Inside the debate's window, each action may be closed, or close earlier than "
                "the window (Europe/Paris time)."
            ),
        ),
        FieldPanel("articles"),
        MultiFieldPanel(
            [FieldPanel("conclusion"), FieldPanel("influenced")],
            heading=_("Conclusion"),
        ),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("question"),
        TranslatableField("context"),
        TranslatableField("conclusion"),
        SynchronizedField("opens_at", overridable=False),
        SynchronizedField("closes_at", overridable=False),
        *(
            SynchronizedField(name, overridable=False)
            for name in (
                "arguments_open",
                "arguments_close_at",
                "arguments_limit",
                "argument_supports_open",
                "argument_supports_close_at",
            )
        ),
    ]

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")

    @cached_property
    def source(self) -> DebatePage:
        """The debate in the default language: its arguments and window belong to it."""
        default = default_locale()
        if self.locale_id == default.pk:
            return self
        return (
            DebatePage.objects.filter(translation_key=self.translation_key, locale=default).first()
            or self
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = switches.window_errors(self, self.switched_actions, self.closes_at)
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = ValidationError(_("The debate must close after it opens."))
        if errors:
            raise ValidationError(errors)

    # -- the window --------------------------------------------------------------------------

    def state(self, now=None) -> str:
        """« upcoming », « open », « closed » or « unscheduled » (no window yet)."""
        now = now or timezone.now()
        source = self.source
        if source.opens_at is None or source.closes_at is None:
            return "unscheduled"
        if now < source.opens_at:
            return "upcoming"
        if now < source.closes_at:
            return "open"
        return "closed"

    def is_open(self, now=None) -> bool:
        return (
            self.state(now) == "open"
            and self.live
            and self.source.live
            and not self.view_restricted
        )

    @cached_property
    def view_restricted(self) -> bool:
        """Whether a view restriction applies to this debate (read once per loaded page: each
        entry point asks about several actions)."""
        return self.get_view_restrictions().exists()

    def contribution_closed_reason(self, now=None) -> str | None:
        """Why nobody can contribute to this debate now (None when it is open)."""
        from charte.core.formatting import format_datetime

        now = now or timezone.now()
        source = self.source
        state = self.state(now)
        if state == "unscheduled":
            return gettext("This debate is not open yet.")
        if state == "upcoming":
            return gettext("The debate opens on %(date)s.") % {
                "date": format_datetime(source.opens_at)
            }
        if state == "closed":
            return gettext("The debate closed on %(date)s: its arguments stay readable.") % {
                "date": format_datetime(source.closes_at)
            }
        if not self.is_open(now):
            return gettext("This debate is not open.")
        return None

    def action_closed_reason(self, action: str, now=None) -> str | None:
        """Why ``action`` (arguments, their supports) is refused in this debate now, whoever
        asks: the window first, then the action's own switch and date (None when open)."""
        now = now or timezone.now()
        return self.contribution_closed_reason(now) or switches.closed_reason(
            self.source, action, now
        )

    def open_actions_sentence(self, now=None) -> str:
        """What is open and until when, while the debate is open (empty otherwise)."""
        now = now or timezone.now()
        if self.state(now) != "open":
            return ""
        source = self.source
        return switches.sentence(source, self.switched_actions, now, source.closes_at)

    def search_process_fields(self, parent) -> dict:
        """The charter and « version » facets of what is read on this page (see search)."""
        from charte.texts.pages import CharterPage

        parent = parent.specific
        charter = parent if isinstance(parent, CharterPage) else self
        return {
            "charter_id": charter.pk,
            "charter_title": charter.title,
            "iteration_id": self.pk,
            "iteration_title": self.title,
        }

    def charter(self):
        """The charter this debate belongs to, or None when it stands alone."""
        from charte.texts.pages import CharterPage

        parent = self.get_parent().specific
        return parent if isinstance(parent, CharterPage) else None

    # -- routes (views in charte.debates.views) ------------------------------------------------

    def route_url(self, name, *args, request=None) -> str:
        """The address of the route ``name`` of this page, with ``args``."""
        return (self.get_url(request) or "") + self.reverse_subpage(name, args=args)

    @path("")
    def index_route(self, request):
        return view("charte.debates.views.debate_view")(self, request)

    @path("argue/", name="argue")
    def argue_route(self, request):
        return view("charte.debates.views.argue")(self, request)

    @path("position/", name="position")
    def position_route(self, request):
        return view("charte.debates.views.position")(self, request)

    @path("a/<int:pk>/", name="argument")
    def argument_route(self, request, pk):
        return view("charte.debates.views.argument_view")(self, request, pk)

    @path("a/<int:pk>/<str:action>/", name="argument_action")
    def argument_action_route(self, request, pk, action):
        return view("charte.debates.views.argument_action")(self, request, pk, action)

    @path("a/<int:pk>/c/<int:comment_id>/<str:action>/", name="argument_comment")
    def argument_comment_route(self, request, pk, comment_id, action):
        return view("charte.debates.views.argument_comment_action")(
            self, request, pk, comment_id, action
        )


class Side(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")


class PositionValue(models.TextChoices):
    AGREE = "agree", _("I agree")
    MIXED = "mixed", _("I am mixed")
    DISAGREE = "disagree", _("I disagree")


class ArgumentQuerySet(models.QuerySet):
    def visible(self):
        """What readers see as written: published, not hidden, not deleted by its author."""
        return self.filter(is_public=True, hidden_at__isnull=True, deleted_at__isnull=True)


class Argument(DiscussionTarget, models.Model):
    """A citizen's argument for or against the question of a debate."""

    debate = models.ForeignKey(
        DebatePage, on_delete=models.PROTECT, related_name="arguments", verbose_name=_("debate")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    title = models.CharField(_("title"), max_length=ARGUMENT_TITLE_MAX)
    text = models.TextField(_("text"), max_length=ARGUMENT_TEXT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="arguments",
        verbose_name=_("author"),
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    is_public = models.BooleanField(_("published"), default=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("reason shown in place of the argument"), max_length=300, blank=True
    )
    deleted_at = models.DateTimeField(_("deleted by its author at"), null=True, blank=True)

    objects = ArgumentQuerySet.as_manager()

    discussion_kind = "argument"
    discussion_related = ("debate",)
    discussion_hideable = True

    class Meta:
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")
        ordering = ["debate", "-created_at"]
        indexes = [models.Index(fields=["debate", "side", "created_at"])]

    def __str__(self):
        return _("Argument « %(title)s »") % {"title": self.title}

    @property
    def is_visible(self):
        return self.is_public and self.hidden_at is None and self.deleted_at is None

    @property
    def author_name(self):
        return self.author.display_name

    @property
    def author_type_label(self):
        """As the public sees it: « (declared, not confirmed) » until the team confirms an
        institutional type."""
        return self.author.author_type_label

    @property
    def status_label(self):
        if self.deleted_at:
            return _("Deleted by its author")
        if self.hidden_at:
            return _("Hidden")
        if not self.is_public:
            return _("Awaiting approval")
        return _("Shown")

    def get_url(self, debate_page=None):
        page = debate_page or self.debate
        return page.url + page.reverse_subpage("argument", args=[self.pk])

    # -- the discussion-target contract (charte.core.targets) ------------------------------

    def discussion_closed_reason(self, now=None):
        return self.debate.contribution_closed_reason(now) or (
            None if self.is_visible else gettext("This argument is no longer shown.")
        )

    def discussion_title(self):
        return pgettext("what is discussed", "the argument « %(title)s »") % {"title": self.title}

    def discussion_words(self):
        return {
            "empty": gettext("No comment on this argument yet."),
            "label": gettext("Your comment on this argument"),
        }

    def discussion_page(self):
        return self.debate

    def discussion_form_address(self, page, action, comment_id=None):
        if comment_id:
            return page.route_url("argument_comment", self.pk, comment_id, action)
        return page.route_url("argument_action", self.pk, action)

    def discussion_route(self):
        return "argument", self.pk

    def discussion_shown(self):
        return self.is_visible

    # -- what moderation tells its author (see notifications.notify_decision) ------------

    def moderation_address(self, language: str) -> str:
        return address_in(self, language)

    def moderation_text(self) -> str:
        return self.text

    def moderation_label(self) -> str:
        return str(self)

    @staticmethod
    def moderation_notices() -> dict:
        return {
            ModerationAction.APPROVE: (
                gettext("Your argument is published"),
                gettext("The moderators approved your argument: it is now public.\n\n%(link)s\n"),
            ),
            ModerationAction.HIDE: (
                gettext("Your argument has been hidden"),
                gettext(
                    "The moderators hid your argument. In its place, readers see this reason: "
                    "« %(reason)s ».\n\nThe debate: %(link)s\n\nYour text:\n%(text)s\n"
                ),
            ),
            ModerationAction.AUTO_HIDE: (
                gettext("Your argument is hidden until a moderator decides"),
                gettext(
                    "Several readers reported your argument, so it is hidden until a moderator "
                    "reads it and decides. You will be told of the decision.\n\n%(link)s\n"
                ),
            ),
            ModerationAction.RESTORE: (
                gettext("Your argument is visible again"),
                gettext("The moderators made your argument visible again.\n\n%(link)s\n"),
            ),
        }


class ArgumentSupport(models.Model):
    """One citizen supports one argument: a single row, which they may take back."""

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="argument_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support of an argument")
        verbose_name_plural = _("supports of arguments")
        constraints = [
            models.UniqueConstraint(fields=["argument", "user"], name="argument_support_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.argument_id}"


class DebatePosition(models.Model):
    """A citizen's position on the question itself (agree, mixed, disagree), changeable."""

    debate = models.ForeignKey(DebatePage, on_delete=models.CASCADE, related_name="positions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debate_positions"
    )
    value = models.CharField(_("position"), max_length=10, choices=PositionValue.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("position on a debate")
        verbose_name_plural = _("positions on debates")
        constraints = [
            models.UniqueConstraint(fields=["debate", "user"], name="debate_position_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.debate_id}: {self.value}"


class ArgumentReport(models.Model):
    """A reader reports an argument; enough distinct reports hide it until a moderator decides
    (as for comments)."""

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    details = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report of an argument")
        verbose_name_plural = _("reports of arguments")
        constraints = [
            models.UniqueConstraint(fields=["argument", "user"], name="argument_report_once"),
        ]

    def __str__(self):
        return f"{self.argument_id}: {self.reason}"
