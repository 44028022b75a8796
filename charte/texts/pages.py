"""Editorial pages: a charter (one participatory process) and its iterations (versions)."""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail_localize.fields import SynchronizedField, TranslatableField

from charte.core import switches, tree
from charte.core.httpcache import public_cacheable, tag_content
from charte.core.locales import default_locale
from charte.core.routing import ChildRouting, view
from charte.core.rules import can_review
from charte.texts import phases
from charte.texts.blocks import CharterBodyBlock
from charte.texts.follows import CharterFollow
from charte.texts.forms import IterationPageForm, TitleSlugPageForm
from charte.texts.frozen import render_text
from charte.texts.outline import body_outline, fingerprint, outline_paragraphs
from charte.texts.panels import ArticleOutlinePanel, LifecyclePanel, PhasesPanel
from charte.texts.paragraphs import Paragraph
from charte.texts.reading import (
    READERS,
    attach_comment_counts,
    attach_provenance,
    find_paragraph,
    reading_outline,
)

INTRO_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


_OPENING = contextvars.ContextVar("charte_opening_publication", default=False)


@contextlib.contextmanager
def opening_publication():
    """The opening of a version publishes it: the one moment a version scheduled to open later
    may go live (see ``CharterIterationPage._early_publication_error``)."""
    token = _OPENING.set(True)
    try:
        yield
    finally:
        _OPENING.reset(token)


class FrozenTextPermissionTester(PagePermissionTester):
    """What the admin offers on a charter or a version: a text opened for consultation is never
    deleted, an iteration is never moved nor copied, and a charter whose text was opened stays
    where it is. The admin's hooks refuse these actions; this hides them from the listing's and
    the header's menus and from the bulk actions."""

    @cached_property
    def holds_frozen_text(self) -> bool:
        return (
            CharterIterationPage.objects.descendant_of(self.page, inclusive=True)
            .filter(frozen_at__isnull=False)
            .exists()
        )

    def can_delete(self, ignore_bulk=False):
        return not self.holds_frozen_text and super().can_delete(ignore_bulk)

    def can_move(self):
        if isinstance(self.page, CharterIterationPage):
            return False
        return not self.holds_frozen_text and super().can_move()

    def can_copy(self):
        return not isinstance(self.page, CharterIterationPage) and super().can_copy()


class PhaseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Phase"), max_length=120)
    start = blocks.DateBlock(label=_("Starts"))
    end = blocks.DateBlock(label=_("Ends"), required=False)
    description = blocks.TextBlock(label=_("Description"), required=False, rows=2)
    kind = blocks.ChoiceBlock(
        label=_("What this phase is"),
        choices=[
            ("consultation", _("The consultation on the versions")),
            ("adoption", _("The council's adoption")),
            ("other", _("Another phase (its dates say where it stands)")),
        ],
        required=False,
        help_text=_(
            "The consultation and adoption phases show where the charter stands from its "
            "versions, whatever their dates. Left empty, it is read from the title."
        ),
    )

    class Meta:
        icon = "date"
        label = _("Phase")
        label_format = "{title}"


class CharterPage(RoutablePageMixin, ChildRouting, Page):
    """One participatory process: its introduction, territory, timeline and contact."""

    child_page_type = "charte.CharterIterationPage"

    introduction = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    territory = models.CharField(_("territory"), max_length=255, blank=True)
    timeline = StreamField(
        [("phase", PhaseBlock())], blank=True, verbose_name=_("timeline of the phases")
    )
    contact_name = models.CharField(_("contact"), max_length=255, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_details = models.TextField(_("contact details"), blank=True)
    premoderation = models.BooleanField(
        _("moderate comments before publication"),
        default=False,
        help_text=_(
            "When ticked, a comment appears only once a moderator has approved it; otherwise "
            "it appears at once and moderators act afterwards."
        ),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["charte.CharterIterationPage", "charte.DebatePage"]
    base_form_class = TitleSlugPageForm
    template = "charte/charter_page.html"

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("territory"),
        InlinePanel(
            "territories",
            heading=_("Territories residents choose from"),
            label=_("Territory"),
            help_text=_(
                "The neighbourhoods or towns offered in the profile of every contributor; "
                "the synthesis counts participants by this list. « Other » is always offered."
            ),
        ),
        PhasesPanel(),
        FieldPanel("timeline"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_details"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("premoderation"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("introduction"),
        TranslatableField("territory"),
        TranslatableField("timeline"),
        TranslatableField("contact_name"),
        SynchronizedField("contact_email"),
        TranslatableField("contact_details"),
        SynchronizedField("premoderation", overridable=False),
    ]

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")

    def clean(self):
        super().clean()
        if self.pk and self.has_frozen_text():
            error = frozen_slug_error(self)
            if error:
                raise ValidationError({"slug": error})

    def permissions_for_user(self, user):
        return FrozenTextPermissionTester(user, self)

    def has_frozen_text(self):
        """Some iteration of this charter (in any language) has been opened."""
        keys = CharterIterationPage.objects.child_of(self).values("translation_key")
        return CharterIterationPage.objects.filter(
            translation_key__in=keys, frozen_at__isnull=False
        ).exists()

    def iterations(self):
        """Every published version, in this charter's language where it is translated and
        published, in the source language (marked ``in_source_language``) where not."""
        return versions_in_language(self)

    def source_iterations(self) -> list:
        """Every iteration in the source language, published or not: the lifecycle's truth."""
        default = default_locale()
        charter = self if self.locale_id == default.pk else self.get_translation_or_none(default)
        return list(
            CharterIterationPage.objects.child_of(charter or self)
            .filter(locale=default)
            .select_related("adoption")
            .order_by("number")
        )

    def phase_disagreements(self) -> list[str]:
        """What the timeline typed by the team says that the versions contradict."""
        return phases.disagreements(self.timeline, phases.standing(self.source_iterations()))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        iterations = list(self.iterations())
        attach_sources(iterations)
        context["iterations"] = iterations
        comparable = [it for it in iterations if it.is_frozen]
        context["comparable"] = comparable
        if len(comparable) > 1:  # by default, the first text with the latest
            context["compare_from"], context["compare_to"] = (
                comparable[0].number,
                comparable[-1].number,
            )
        context["adopted"] = next(
            (it for it in iterations if it.source.state == IterationState.ADOPTED), None
        )
        # Read only by the templates that show them (not the review space, say).
        where = SimpleLazyObject(lambda: phases.standing(self.source_iterations()))
        context["standing"] = where
        context["phases"] = SimpleLazyObject(lambda: phases.timeline(self.timeline, where))
        context["debates"] = READERS["charter_debates"](self)
        # Read only by the charter page itself.
        context["workshops"] = SimpleLazyObject(lambda: READERS["charter_workshops"](self))
        context["can_review"] = bool(comparable) and can_review(request.user)
        # Read only by the page that shows the « follow » button.
        context["following_charter"] = SimpleLazyObject(
            lambda: (
                request.user.is_authenticated
                and CharterFollow.objects.filter(
                    user=request.user, charter__translation_key=self.translation_key
                ).exists()
            )
        )
        context["now"] = timezone.now()
        context["today"] = timezone.localdate()
        return context

    def search_process_fields(self, parent) -> dict:
        """The charter and version facets of what is read on this page itself (a commitment
        of the adopted charter and its discussion, see search): its charter, no version."""
        return {
            "charter_id": self.pk,
            "charter_title": self.title,
            "iteration_id": None,
            "iteration_title": "",
        }

    # -- routes ----------------------------------------------------------------------------

    def route_url(self, name, *args, request=None) -> str:
        """The address of the route ``name`` of this page, with ``args``."""
        return (self.get_url(request) or "") + self.reverse_subpage(name, args=args)

    @path("")
    def index_route(self, request):
        return tag_content(request, self.render(request))

    @path("compare/", name="compare_chooser")
    def compare_chooser_route(self, request):
        return view("charte.history.views.compare_chooser")(self, request)

    @path("review/", name="review")
    def review_route(self, request):
        return view("charte.review.views.review_space")(self, request)

    @path("review/pack/", name="review_pack")
    def review_pack_route(self, request):
        return view("charte.review.views.review_pack_download")(self, request)

    @path("compare/<int:old>/<int:new>/", name="compare")
    def compare_route(self, request, old, new):
        return view("charte.history.views.comparison")(self, request, old, new)

    @path("workshops/", name="workshops")
    def workshops_route(self, request):
        return view("charte.workshops.views.workshop_list")(self, request)

    @path("workshops/<int:pk>/", name="workshop")
    def workshop_route(self, request, pk):
        return view("charte.workshops.views.workshop_detail")(self, request, pk)

    @path("follow-up/", name="follow_up")
    def follow_up_route(self, request):
        return view("charte.follow_up.views.follow_up_index")(self, request)

    @path("follow-up/data/<str:format>/", name="follow_up_data")
    def follow_up_data_route(self, request, format):
        return view("charte.publications.views.follow_up_data")(self, request, format)

    @path("follow-up/<int:number>/", name="commitment")
    def commitment_route(self, request, number):
        return view("charte.follow_up.views.commitment_view")(self, request, number)

    @path("follow-up/<int:number>/<str:action>/", name="commitment_action")
    def commitment_action_route(self, request, number, action):
        return view("charte.follow_up.views.commitment_action")(self, request, number, action)

    @path("follow-up/<int:number>/c/<int:comment_id>/<str:action>/", name="commitment_comment")
    def commitment_comment_route(self, request, number, comment_id, action):
        return view("charte.follow_up.views.commitment_comment_action")(
            self, request, number, comment_id, action
        )

    @path("bilan/<int:year>/", name="bilan")
    def bilan_route(self, request, year):
        return view("charte.publications.views.bilan")(self, request, year)

    @path("bilan/<int:year>/pdf/", name="bilan_pdf")
    def bilan_pdf_route(self, request, year):
        return view("charte.publications.views.bilan_pdf")(self, request, year)


class TerritoryKind(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    TOWN = "town", _("Town")


class Territory(Orderable):
    """A neighbourhood or town of a charter's list, which contributors pick in their profile
    and the synthesis counts by."""

    charter = ParentalKey(
        CharterPage, on_delete=models.CASCADE, related_name="territories", verbose_name=_("charter")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=TerritoryKind.choices, blank=True)

    panels = [FieldPanel("name"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self):
        return self.name


def territory_options() -> list:
    """The territory lists of the published charters, for the contributor's profile:
    ``[(charter title, [territory, …]), …]``, in the tree's order.

    A profile is site-wide while the lists are per charter: a resident is offered every
    charter's list, grouped by charter (a single charter's list shows ungrouped). The lists of
    the charters in the site's default language are the ones offered: a translation of a
    charter names the same places."""
    territories = (
        Territory.objects.filter(charter__live=True, charter__locale=default_locale())
        .select_related("charter")
        .order_by("charter__path", "sort_order", "pk")
    )
    groups = {}
    for territory in territories:
        groups.setdefault(territory.charter_id, (territory.charter.title, []))[1].append(territory)
    return list(groups.values())


class IterationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    CLOSED = "closed", _("Consultation closed")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class IterationQuerySet(PageQuerySet):
    def in_source_locale(self):
        return self.filter(locale=default_locale())

    def consulting(self, now=None):
        """Iterations whose consultation is open at ``now`` (server time)."""
        now = now or timezone.now()
        return self.filter(
            state=IterationState.CONSULTATION, opens_at__lte=now, closes_at__gt=now
        ).filter(models.Q(closed_at__isnull=True) | models.Q(closed_at__gt=now))


IterationManager = PageManager.from_queryset(IterationQuerySet)


class CharterIterationPage(RoutablePageMixin, Page):
    """One version of a charter's text.

    The page in the site's default language (French) is the source of truth for the lifecycle
    and owns the frozen Paragraph rows; its translations show the same paragraphs (same keys)
    in another language.
    """

    # The language code of a source page listed among the versions of another language's
    # charter, because its translation is missing or not published (see
    # :func:`versions_in_language`); empty otherwise.
    in_source_language = ""

    number = models.PositiveSmallIntegerField(_("number"), null=True, editable=False)
    label = models.CharField(
        _("label"),
        max_length=120,
        help_text=_("For example « Projet soumis à la concertation » or « Version amendée »."),
    )
    summary = models.TextField(_("summary of the changes"), blank=True)
    opens_at = models.DateTimeField(_("consultation opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("consultation closes"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=IterationState.choices,
        default=IterationState.DRAFT,
        editable=False,
    )
    frozen_at = models.DateTimeField(_("text frozen at"), null=True, editable=False)
    closed_at = models.DateTimeField(_("consultation closed at"), null=True, editable=False)
    body = StreamField(CharterBodyBlock(), verbose_name=_("text"))
    # What is open inside the window (charte.core.switches): not the text, so editable even
    # once the text is frozen.
    comments_open = models.BooleanField(_("comments open"), default=True)
    comments_close_at = models.DateTimeField(
        _("comments close early on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close with the consultation window."),
    )
    amendments_open = models.BooleanField(_("amendment proposals open"), default=True)
    amendments_close_at = models.DateTimeField(
        _("amendment proposals close early on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close with the consultation window."),
    )
    amendments_limit = models.PositiveSmallIntegerField(
        _("amendments per person"),
        null=True,
        blank=True,
        help_text=_("The most amendments one person may propose on this version; empty: no limit."),
    )
    supports_open = models.BooleanField(_("supports of amendments open"), default=True)
    supports_close_at = models.DateTimeField(
        _("supports of amendments close early on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to close with the consultation window."),
    )

    switched_actions = (switches.COMMENTS, switches.AMENDMENTS, switches.SUPPORTS)

    objects = IterationManager()

    parent_page_types = ["charte.CharterPage"]
    subpage_types = []
    template = "charte/charter_iteration_page.html"
    base_form_class = IterationPageForm

    # Lifecycle values belong to the page as a whole, not to a revision: publishing an old
    # revision, or copying the page, must never bring back an earlier state.
    lifecycle_fields = ["number", "state", "frozen_at", "closed_at"]
    exclude_fields_in_copy = ["state", "frozen_at", "closed_at"]

    content_panels = [
        LifecyclePanel(),
        TitleFieldPanel("title"),
        FieldPanel("label"),
        FieldPanel("summary"),
        FieldPanel("body"),
        ArticleOutlinePanel(),
    ]
    consultation_panels = [
        MultiFieldPanel(
            [FieldPanel("opens_at"), FieldPanel("closes_at")],
            heading=_("Consultation window (Europe/Paris time)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("comments_open"),
                FieldPanel("comments_close_at"),
                FieldPanel("amendments_open"),
                FieldPanel("amendments_close_at"),
                FieldPanel("amendments_limit"),
                FieldPanel("supports_open"),
                FieldPanel("supports_close_at"),
            ],
            heading=_("What is open"),
            help_text=_(
                "Inside the consultation window, each action may be closed, or close earlier "
                "than the window (Europe/Paris time). These settings are not the text: they "
                "can change while the version is in consultation."
            ),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Text")),
            ObjectList(consultation_panels, heading=_("Consultation")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings"), classname="settings"),
        ]
    )

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("label"),
        TranslatableField("summary"),
        TranslatableField("body"),
        SynchronizedField("opens_at", overridable=False),
        SynchronizedField("closes_at", overridable=False),
        *(
            SynchronizedField(name, overridable=False)
            for name in (
                "comments_open",
                "comments_close_at",
                "amendments_open",
                "amendments_close_at",
                "amendments_limit",
                "supports_open",
                "supports_close_at",
            )
        ),
    ]

    class Meta:
        verbose_name = _("charter iteration")
        verbose_name_plural = _("charter iterations")

    def __str__(self):
        return self.title

    def permissions_for_user(self, user):
        return FrozenTextPermissionTester(user, self)

    # -- tree rules -------------------------------------------------------------------------

    @classmethod
    def can_create_at(cls, parent):
        """Only the first iteration is added by hand; the next ones come from
        « Start the next iteration », which keeps paragraph identities."""
        if not super().can_create_at(parent):
            return False
        return not CharterIterationPage.objects.child_of(parent).exists()

    # -- lifecycle ---------------------------------------------------------------------------

    @cached_property
    def source(self) -> CharterIterationPage:
        """The page in the default language: it holds the lifecycle and the Paragraph rows."""
        default = default_locale()
        if self.locale_id == default.pk:
            return self
        source = (
            CharterIterationPage.objects.filter(
                translation_key=self.translation_key, locale=default
            )
            .select_related("locale")
            .first()
        )
        return source or self

    @property
    def is_frozen(self):
        return self.source.frozen_at is not None

    def consultation_ends_at(self):
        source = self.source
        ends = [d for d in (source.closes_at, source.closed_at) if d is not None]
        return min(ends) if ends else None

    def current_state(self, now=None) -> str:
        """The state the public sees: a consultation whose window has ended is closed."""
        source = self.source
        if source.state == IterationState.CONSULTATION:
            ends_at = self.consultation_ends_at()
            if ends_at is not None and ends_at <= (now or timezone.now()):
                return IterationState.CLOSED
        return source.state

    def current_state_label(self, now=None):
        return IterationState(self.current_state(now)).label

    def lifecycle_status(self, now=None) -> str:
        """Where the version stands, as the team reads it in the admin's listing and header:
        « Scheduled: opens on … », « In consultation until … », « Superseded »…"""
        from charte.core.formatting import format_datetime

        now = now or timezone.now()
        state = self.current_state(now)
        if self.is_consultation_upcoming(now):
            return gettext("Scheduled: opens on %(date)s") % {
                "date": format_datetime(self.source.opens_at)
            }
        if state == IterationState.CONSULTATION:
            return gettext("Consultation open until %(date)s") % {
                "date": format_datetime(self.consultation_ends_at())
            }
        return str(IterationState(state).label)

    @property
    def status_string(self):
        """Wagtail's status tag in the page listing says the lifecycle state, not « Live »
        for every version; unpublished changes are still told."""
        status = self.lifecycle_status()
        if self.live and self.has_unpublished_changes:
            return gettext("%(state)s + unpublished changes") % {"state": status}
        return status

    def is_consultation_open(self, now=None) -> bool:
        """Contributions are accepted: in consultation, inside the window, published, public."""
        now = now or timezone.now()
        source = self.source
        return (
            self.current_state(now) == IterationState.CONSULTATION
            and source.opens_at is not None
            and source.opens_at <= now
            and self.live
            and source.live
            and not self.view_restricted
        )

    @cached_property
    def view_restricted(self) -> bool:
        """Whether a view restriction applies to this page (read once per loaded page: each
        entry point asks about several actions)."""
        return bool(self.get_view_restrictions())

    def get_view_restrictions(self) -> list:
        """The restrictions on this page and its ancestors (a list), read once per loaded page
        and kept until the page tree changes (:mod:`charte.core.tree`): Wagtail's check when it
        serves the page and the contribution rules share them."""
        if not hasattr(self, "_view_restrictions"):
            self._view_restrictions = tree.kept(
                "restrictions",
                self.pk,
                self.path,
                compute=lambda: list(super(CharterIterationPage, self).get_view_restrictions()),
            )
        return self._view_restrictions

    def is_consultation_upcoming(self, now=None) -> bool:
        now = now or timezone.now()
        source = self.source
        return (
            source.state == IterationState.CONSULTATION
            and source.opens_at is not None
            and source.opens_at > now
        )

    def charter(self):
        """The charter this version belongs to."""
        return self.get_parent().specific

    def search_process_fields(self, charter) -> dict:
        """The charter and version facets of what is read on this page (see search)."""
        return {
            "charter_id": charter.pk,
            "charter_title": charter.title,
            "iteration_id": self.pk,
            "iteration_title": f"{self.title} – {self.label}",
        }

    def contribution_closed_reason(self, now=None) -> str | None:
        """Why the paragraphs of this version cannot be commented or amended now, whoever asks
        (None when they can)."""
        from charte.core.formatting import format_datetime

        now = now or timezone.now()
        source = self.source
        state = self.current_state(now)
        if state == IterationState.ADOPTED:
            return gettext("This version has been adopted: its text is final.")
        if state == IterationState.SUPERSEDED:
            return gettext("This version has been superseded by the adopted one.")
        if state == IterationState.CLOSED:
            return gettext(
                "The consultation closed on %(date)s: the discussion stays readable."
            ) % {"date": format_datetime(self.consultation_ends_at())}
        if state == IterationState.DRAFT:
            return gettext("This version is not open for consultation.")
        if self.is_consultation_upcoming(now):
            return gettext("Comments open on %(date)s.") % {
                "date": format_datetime(source.opens_at)
            }
        if not self.is_consultation_open(now):
            return gettext("This version is not open for consultation.")
        return None

    def action_closed_reason(self, action: str, now=None) -> str | None:
        """Why ``action`` (comments, amendments, supports) is refused on this version now,
        whoever asks: the window first, then the action's own switch and date (None when
        open). The one rule every entry point calls."""
        now = now or timezone.now()
        return self.contribution_closed_reason(now) or switches.closed_reason(
            self.source, action, now
        )

    def open_actions_sentence(self, now=None) -> str:
        """What is open and until when, while the consultation runs (empty otherwise)."""
        now = now or timezone.now()
        if self.current_state(now) != IterationState.CONSULTATION or (
            self.is_consultation_upcoming(now)
        ):
            return ""
        return switches.sentence(
            self.source, self.switched_actions, now, self.consultation_ends_at()
        )

    def is_latest(self) -> bool:
        """No later iteration of the same charter exists (in any state)."""
        return not (
            CharterIterationPage.objects.sibling_of(self)
            .filter(locale_id=self.locale_id, number__gt=self.number)
            .exists()
        )

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in self.lifecycle_fields:
            setattr(obj, name, getattr(self, name))
        return obj

    # -- the frozen text ---------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = []
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors.append(
                ValidationError(
                    _("The consultation must close after it opens."), code="window_order"
                )
            )
        if self.pk and self.frozen_at and self.source.pk == self.pk:
            errors.extend(self._frozen_errors())

        translation_error = self._frozen_translation_error()
        if translation_error is not None:
            raise ValidationError({"body": translation_error})
        if self.pk and self.is_frozen:
            slug_error = frozen_slug_error(self)
            if slug_error:
                errors.append(slug_error)
        switch_errors = switches.window_errors(self, self.switched_actions, self.closes_at)
        if switch_errors:
            raise ValidationError(
                {NON_FIELD_ERRORS: errors, **switch_errors} if errors else switch_errors
            )
        if errors:
            raise ValidationError(errors)

    def _frozen_text_error(self):
        """The refusal to give when the body no longer matches the frozen Paragraph rows."""
        from charte.core.formatting import format_datetime

        rows = list(self.paragraphs.order_by("position"))
        if fingerprint(outline_paragraphs(body_outline(self.body))) == fingerprint(rows):
            return None
        return ValidationError(
            _(
                "The text of this iteration is frozen since %(date)s, when it was opened for "
                "consultation: its sections, articles and paragraphs can no longer change. "
                "Start a new iteration to change the text."
            )
            % {"date": format_datetime(self.frozen_at)},
            code="frozen",
        )

    def _frozen_translation_error(self):
        """A translation of a version opened for consultation keeps the wording it had: a
        paragraph (or a section or article title) already translated when the text was frozen,
        or since, can no longer change, so that every language shows the text people
        commented. What is still in French may be translated at any time (a translation may
        lag behind); a new wording means a new version, as in French."""
        from charte.core.formatting import format_datetime

        if self.pk is None or self.source.pk == self.pk:
            return None
        source = self.source
        if source.frozen_at is None:
            return None
        stored = CharterIterationPage.objects.filter(pk=self.pk).first()
        if stored is None or stored.first_published_at is None:
            # Never published: nobody read its wordings, which may translate an older text
            # (the copy made when the version started); its first publication is free.
            return None
        french = _wordings(source.body)
        before = {
            key: text
            for key, text in _wordings(stored.body).items()
            if key in french and text != french[key]
        }
        now = _wordings(self.body)
        if all(now.get(key) == text for key, text in before.items()):
            return None
        return ValidationError(
            _(
                "This version has been open for consultation since %(date)s: a wording already "
                "translated can no longer change. Paragraphs still in French may be "
                "translated; to change the text, start a new version."
            )
            % {"date": format_datetime(source.frozen_at)},
            code="frozen_translation",
        )

    def _frozen_errors(self):
        """Once opened, the text cannot change, and neither can a window that has ended."""
        from charte.core.formatting import format_datetime

        errors = []
        error = self._frozen_text_error()
        if error is not None:
            errors.append(error)
        stored = CharterIterationPage.objects.filter(pk=self.pk).values(
            "opens_at", "closes_at", "state", "closed_at"
        )[0]
        if same_minute(self.opens_at, stored["opens_at"]) and same_minute(
            self.closes_at, stored["closes_at"]
        ):
            return errors
        now = timezone.now()
        ends = [d for d in (stored["closes_at"], stored["closed_at"]) if d is not None]
        if stored["state"] != IterationState.CONSULTATION or (ends and min(ends) <= now):
            errors.append(
                ValidationError(
                    _(
                        "This iteration is no longer in consultation: its window can no longer "
                        "be changed."
                    ),
                    code="window_ended",
                )
            )
        elif self.opens_at is None or self.closes_at is None:
            errors.append(
                ValidationError(
                    _("An iteration opened for consultation keeps both dates of its window."),
                    code="window_required",
                )
            )
        elif not same_minute(self.opens_at, stored["opens_at"]) and stored["opens_at"] <= now:
            errors.append(
                ValidationError(
                    _(
                        "The consultation opened on %(date)s: its opening date can no "
                        "longer be changed."
                    )
                    % {"date": format_datetime(stored["opens_at"])},
                    code="window_started",
                )
            )
        return errors

    def _early_publication_error(self):
        """A version scheduled to open later (and never made public) is published at its
        opening, in every language, and not before by any path: Wagtail's bulk « Publish »,
        wagtail-localize's editor, the shell. Its opening publishes it within
        :func:`opening_publication`."""
        from charte.core.formatting import format_datetime

        if not self.live or self.pk is None or _OPENING.get():
            return None
        source = self if self.locale_id == default_locale().pk else self.source
        if not source.is_consultation_upcoming():
            return None
        stored = dict(
            CharterIterationPage.objects.filter(pk__in={self.pk, source.pk}).values_list(
                "pk", "live"
            )
        )
        if stored.get(self.pk, True) or stored.get(source.pk, True):
            return None
        return ValidationError(
            _(
                "« %(title)s » opens for consultation on %(date)s: it will be published then, "
                "in every language, not before."
            )
            % {"title": source.title, "date": format_datetime(source.opens_at)},
            code="before_opening",
        )

    def save(self, *args, **kwargs):
        # Last line of defence for every other path (shell, API, revision publishing): a frozen
        # text is never written with a different wording.
        if self.pk and self.frozen_at and self.source.pk == self.pk:
            error = self._frozen_text_error()
            if error is not None:
                raise ValidationError([error])
        early = self._early_publication_error()
        if early is not None:
            raise ValidationError([early])
        translation_error = self._frozen_translation_error()
        if translation_error is not None:
            raise ValidationError({"body": translation_error})
        if self.number is None and self.path:
            parent = self.get_parent()
            last = CharterIterationPage.objects.child_of(parent).aggregate(models.Max("number"))[
                "number__max"
            ]
            self.number = (last or 0) + 1
        return super().save(*args, **kwargs)

    # -- reading ---------------------------------------------------------------------------

    def siblings_for_switcher(self, charter=None):
        """Every published version (this one included), in this page's language where it is
        translated and published, in the source language where not."""
        return versions_in_language(
            charter or self.get_parent(),
            fields=(
                "id",
                "title",
                "number",
                "url_path",
                "label",
                "locale_id",
                "path",
                "depth",
                "frozen_at",
                "translation_key",
            ),
        )

    def previous_version(self, siblings):
        """The latest published iteration before this one whose text is frozen (what the
        link « what changed » compares with), among ``siblings``."""
        earlier = [it for it in siblings if it.number is not None and it.number < self.number]
        if not earlier:
            return None
        attach_sources(earlier)
        frozen = [it for it in earlier if it.source.frozen_at is not None]
        return frozen[-1] if frozen else None

    # -- routes ----------------------------------------------------------------------------

    def route_url(self, name, *args, request=None) -> str:
        """The address of the route ``name`` of this page, with ``args``."""
        return (self.get_url(request) or "") + self.reverse_subpage(name, args=args)

    @path("")
    def index_route(self, request):
        # Anonymous readers get a public page tagged by its content: the reverse proxy keeps
        # it for PUBLIC_CACHE_SECONDS, then revalidates it (304 while nothing changed).
        return tag_content(request, self.render(request))

    @path("download/<str:format>/", name="download")
    def download_route(self, request, format):
        """The text with its trail, as PDF or OpenDocument (once frozen)."""
        return view("charte.publications.views.text_download")(self, request, format)

    @path("synthesis/", name="synthesis")
    def synthesis_route(self, request):
        return view("charte.publications.views.synthesis_page")(self, request)

    @path("synthesis/pdf/", name="synthesis_pdf")
    def synthesis_pdf_route(self, request):
        return view("charte.publications.views.synthesis_pdf")(self, request)

    @path("questionnaire/", name="questionnaire")
    def questionnaire_route(self, request):
        return view("charte.publications.views.questionnaire")(self, request)

    @path("kit/", name="workshop_kit")
    def workshop_kit_route(self, request):
        """The workshop kit (PDF) of a version in consultation."""
        return view("charte.publications.views.workshop_kit")(self, request)

    @path("contributions/<str:format>/", name="contributions")
    def contributions_route(self, request, format):
        return view("charte.publications.views.contributions")(self, request, format)

    @path("p/<str:key>/", name="paragraph")
    def paragraph_route(self, request, key):
        return tag_content(request, self.render_paragraph(request, key))

    def _row_or_404(self, key):
        row = Paragraph.objects.filter(iteration=self.source, key=key).first()
        if row is None:
            raise Http404
        row.iteration = self.source  # the page already read: its state is not read again
        return row

    @path("p/<str:key>/comment/", name="paragraph_comment")
    def paragraph_comment_route(self, request, key):
        """Post a comment or a reply; a refusal shows the page again with the text typed."""
        post_comment = view("charte.discussions.views.post_comment")

        if request.method != "POST":
            return redirect(self.route_url("paragraph", key))
        return post_comment(
            request,
            self._row_or_404(key),
            render=lambda **state: self.render_paragraph(request, key, **state),
            done=lambda anchor: self.after_post(request, key, anchor),
        )

    @path("p/<str:key>/history/", name="paragraph_history")
    def paragraph_history_route(self, request, key):
        return view("charte.history.views.history")(self, request, key)

    @path("p/<str:key>/follow/", name="paragraph_follow")
    def paragraph_follow_route(self, request, key):
        """Follow or stop following a paragraph's discussion (POST, signed-in readers)."""
        return view("charte.discussions.views.follow")(
            request,
            self._row_or_404(key),
            done=lambda anchor: self.after_post(request, key, anchor),
        )

    @path("p/<str:key>/c/<int:comment_id>/<str:action>/", name="comment_action")
    def comment_action_route(self, request, key, comment_id, action):
        """React to, report, or delete one's own comment (POST only)."""
        COMMENT_ACTIONS = view("charte.discussions.views.COMMENT_ACTIONS")
        comment_action = view("charte.discussions.views.comment_action")
        find_comment = view("charte.discussions.views.find_comment")

        if request.method != "POST" or action not in COMMENT_ACTIONS:
            return redirect(self.route_url("paragraph", key))
        row = self._row_or_404(key)
        comment = find_comment(row, comment_id)
        if comment is None:
            raise Http404
        return comment_action(
            request,
            row,
            comment,
            action,
            render=lambda **state: self.render_paragraph(request, key, **state),
            done=lambda anchor: self.after_post(request, key, anchor),
        )

    # Amendments (the views are in charte.amendments.views).

    @path("amendments/", name="amendments")
    def amendments_route(self, request):
        return tag_content(request, view("charte.amendments.views.amendment_list")(self, request))

    @path("amendments/<int:number>/", name="amendment")
    def amendment_route(self, request, number):
        return view("charte.amendments.views.amendment_detail")(self, request, number)

    @path("amendments/<int:number>/<str:action>/", name="amendment_action")
    def amendment_action_route(self, request, number, action):
        return view("charte.amendments.views.amendment_action")(self, request, number, action)

    @path("amendments/<int:number>/c/<int:comment_id>/<str:action>/", name="amendment_comment")
    def amendment_comment_route(self, request, number, comment_id, action):
        return view("charte.amendments.views.amendment_comment_action")(
            self, request, number, comment_id, action
        )

    @path("p/<str:key>/amend/", name="paragraph_amend")
    def paragraph_amend_route(self, request, key):
        return view("charte.amendments.views.amendment_propose_view")(self, request, key)

    def after_post(self, request, key, anchor):
        """Where a form of the discussion leads: back to the paragraph's page at ``anchor``
        (post/redirect/get), or, inside the panel of the iteration page, the panel itself."""
        if wants_panel(request):
            return self.render_paragraph(request, key, focus=anchor)
        return redirect(self.route_url("paragraph", key) + f"#{anchor}")

    def render_paragraph(
        self, request, key, typed="", parent_id=0, refusal=None, report=None, focus=""
    ):
        """The paragraph's page with its discussion; only the discussion when the iteration
        page asks for it as a panel (its script sends the PANEL_HEADER)."""
        discussion_context = view("charte.discussions.views.discussion_context")

        sections = reading_outline(self, article_of=key)
        found = find_paragraph(sections, key)
        if found is None or found[2].row is None:
            raise Http404
        section, article, paragraph = found
        attach_provenance([section], self.source)
        panel = wants_panel(request)
        discussion = discussion_context(
            request,
            paragraph.row,
            thread_url=paragraph.url,
            page=self,
            typed=typed,
            parent_id=parent_id,
            refusal=refusal,
            report=report,
            focus=focus,
        )
        response = self.render(
            request,
            template="charte/discussion_panel.html" if panel else "charte/paragraph_page.html",
            sections=sections,
            context_overrides={
                **discussion,
                "panel": panel,
                "heading": "h4" if panel else "h2",
                "previous": self.previous_wording(paragraph.row),
                "section": section,
                "article": article,
                "paragraph": paragraph,
                "amendments": [] if panel else READERS["paragraph_amendments"](paragraph.row),
                "amendments_closed": self.action_closed_reason(switches.AMENDMENTS),
            },
        )
        if panel:
            comments = discussion["comments"]
            visible = sum(1 for c in comments if not c.hidden_at and not c.deleted_at)
            response.context_data["comment_label"] = ngettext(
                "%(counter)s comment", "%(counter)s comments", visible
            ) % {"counter": visible}
            if not public_cacheable(request):
                # A signed-in reader's panel is fetched again after they post: never kept.
                # An anonymous reader's is public for a second, like the page it opens in.
                add_never_cache_headers(response)
        patch_vary_headers(response, [PANEL_HEADER])
        return response

    def previous_wording(self, row):
        """The same paragraph in the previous iteration, read in this page's language."""
        if row.derived_from_id is None:
            return None
        previous = row.derived_from
        iteration = previous.iteration
        page = iteration.get_translation_or_none(self.locale)
        if page is None or not page.live:
            page = iteration  # not (yet) translated: read it in the source language
        if not page.live:
            return None
        if page.locale_id != self.locale_id:
            page.in_source_language = page.locale.language_code
        return {
            "iteration": page,
            "url": page.route_url("paragraph", previous.key),
            "changed": previous.text != row.text,
            "lang": page.in_source_language or None,
        }

    def get_context(self, request, *args, sections=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        source = self.source
        charter = self.get_parent().specific
        if sections is None and source.frozen_at is not None:
            # The frozen text is rendered once and kept; only its margins are read now.
            context["frozen_text"] = render_text(
                self,
                adopted=source.state == IterationState.ADOPTED,
                follow_up_url=lambda: charter.route_url("follow_up", request=request),
                preview=getattr(request, "is_preview", False),
            )
            sections = []
        elif sections is None:
            sections = reading_outline(self)
            attach_comment_counts(sections)
            attach_provenance(sections, source)
        siblings = self.siblings_for_switcher(charter)
        context.update(
            sections=sections,
            source=source,
            siblings=siblings,
            previous_version=self.previous_version(siblings) if source.frozen_at else None,
            charter=charter,
            adoption=source.adoption if source.state == IterationState.ADOPTED else None,
            now=timezone.now(),
        )
        return context


PANEL_HEADER = "X-Discussion-Panel"


def wants_panel(request) -> bool:
    return request.headers.get(PANEL_HEADER) == "1"


def versions_in_language(charter, fields=None) -> list[CharterIterationPage]:
    """The published, public versions of ``charter``, oldest first, read in its language: a
    version whose translation is missing or not published is its source page instead, marked
    ``in_source_language`` with its language code (so that no link leads to a missing
    translation). One query, whatever the language; with ``fields`` (the few a list of links
    needs), kept until the page tree changes (:mod:`charte.core.tree`)."""
    if fields:
        return tree.kept(
            "versions",
            charter.pk,
            charter.locale_id,
            tuple(fields),
            compute=lambda: _versions_in_language(charter, fields),
        )
    return _versions_in_language(charter)


def _versions_in_language(charter, fields=None) -> list[CharterIterationPage]:
    source_language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    pages = CharterIterationPage.objects.live().public().order_by("number")
    if fields:
        pages = pages.only(*fields)
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, charter.depth * Page.steplen)
    ).values("translation_key")[:1]
    pages = (
        pages.filter(depth=charter.depth + 1)
        .annotate(charter_key=Subquery(parent))
        .filter(
            models.Q(path__startswith=charter.path)
            | models.Q(charter_key=charter.translation_key, locale__language_code=source_language)
        )
    )
    by_key: dict = {}
    for page in pages:
        translated = page.locale_id == charter.locale_id
        if translated or page.translation_key not in by_key:
            page.in_source_language = "" if translated else source_language
            by_key[page.translation_key] = page
    return sorted(by_key.values(), key=lambda page: (page.number is None, page.number or 0))


def attach_sources(iterations):
    """Fetch the source pages of translated iterations in one query."""
    default = default_locale()
    missing = [it for it in iterations if it.locale_id != default.pk]
    if not missing:
        return
    sources = {
        page.translation_key: page
        for page in CharterIterationPage.objects.filter(
            translation_key__in=[it.translation_key for it in missing], locale=default
        )
    }
    for iteration in missing:
        iteration.__dict__["source"] = sources.get(iteration.translation_key, iteration)


def _wordings(body) -> dict[tuple[str, str], str]:
    """Every wording of a body by its block id: section and article titles, paragraphs."""
    wordings = {}
    for section in body_outline(body):
        wordings[("section", section.key)] = section.title
        for article in section.articles:
            wordings[("article", article.key)] = article.title
            for paragraph in article.paragraphs:
                wordings[("paragraph", paragraph.key)] = paragraph.text
    return wordings


def same_minute(a, b):
    """Windows are set to the minute (the admin widget drops seconds, revisions drop
    microseconds): two instants within the same minute are the same setting."""
    if a is None or b is None:
        return a is b
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def frozen_slug_error(page):
    """Paragraphs' permanent addresses contain the slugs of their charter and iteration: once a
    text has been opened, those slugs stay as they are."""
    stored = Page.objects.filter(pk=page.pk).values_list("slug", flat=True).first()
    if stored is None or stored == page.slug:
        return None
    return ValidationError(
        _(
            "The address « %(slug)s » cannot change any more: a text of this charter has been "
            "opened for consultation, and every paragraph keeps its permanent address."
        )
        % {"slug": stored},
        code="frozen_slug",
    )
