from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from charte.core.routing import ChildRouting
from charte.models import CharterIterationPage, CharterPage, IterationState
from charte.texts.pages import attach_sources
from home.blocks import ContentBlock


class HomePage(ChildRouting, Page):
    """The site's front page: consultations open now, then every other charter."""

    child_page_type = "charte.CharterPage"

    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["charte.CharterPage", "charte.DebatesIndexPage", "home.ContentPage"]
    template = "home/home_page.html"

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    class Meta:
        verbose_name = _("home page")

    @classmethod
    def can_create_at(cls, parent):
        """One home page per site (its translations are made by wagtail-localize)."""
        return super().can_create_at(parent) and not cls.objects.exists()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        open_keys = (
            CharterIterationPage.objects.in_source_locale()
            .consulting(now)
            .values("translation_key")
        )
        consultations = list(
            CharterIterationPage.objects.filter(
                translation_key__in=open_keys, locale_id=self.locale_id
            )
            .live()
            .public()
            .specific()
            .order_by("closes_at")
        )
        attach_sources(consultations)
        charters = list(
            CharterPage.objects.child_of(self).live().public().specific().order_by("title")
        )
        by_path = {charter.path: charter for charter in charters}
        for iteration in consultations:
            iteration.listed_charter = by_path.get(iteration.path[: -CharterPage.steplen])
        consulting = {iteration.path[: -CharterPage.steplen] for iteration in consultations}
        adopted = adopted_versions(self.locale_id)
        for charter in charters:
            charter.adopted = adopted.get(charter.path)
        context.update(
            debates=open_debates(self.locale_id, now),
            consultations=consultations,
            adopted=[charter for charter in charters if charter.adopted],
            other_charters=[
                charter
                for charter in charters
                if charter.path not in consulting and not charter.adopted
            ],
            now=now,
        )
        return context


def adopted_versions(locale_id) -> dict:
    """The adopted iteration of each charter, in the reading language, by its charter's tree
    path; each carries its ``decision`` (the Adoption record, which the source page holds)."""
    sources = {
        page.translation_key: page.adoption
        for page in CharterIterationPage.objects.in_source_locale()
        .filter(state=IterationState.ADOPTED)
        .select_related("adoption")
    }
    pages = (
        CharterIterationPage.objects.filter(translation_key__in=sources, locale_id=locale_id)
        .live()
        .public()
    )
    result = {}
    for page in pages:
        page.decision = sources[page.translation_key]
        result[page.path[: -CharterPage.steplen]] = page
    return result


def open_debates(locale_id, now) -> list:
    """The debates open now, closing soonest first, each in the reading language where it is
    translated, in French (marked as such) where not."""
    from charte.debates.queries import read_in
    from charte.models import DebatePage

    pages = (
        DebatePage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE, opens_at__lte=now, closes_at__gt=now
        )
        .live()
        .public()
        .order_by("closes_at")
    )
    return read_in(pages, locale_id)


class ContentPage(ChildRouting, Page):
    """An institutional page the team writes: legal notice, privacy notice, moderation rules,
    or any other page the site needs; translated with wagtail-localize like every page."""

    child_page_type = "home.ContentPage"

    body = StreamField(ContentBlock(), verbose_name=_("body"))

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]
    template = "home/content_page.html"

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("institutional page")
        verbose_name_plural = _("institutional pages")


@register_setting(icon="list-ul")
class InstitutionalPages(BaseSiteSetting):
    """The footer's menu, in the team's order, and the pages sign-up links beside its consent.
    Each page is shown in the reader's language (its translation), in French where it has none."""

    footer_links = StreamField(
        [("page", blocks.PageChooserBlock(label=_("page")))],
        blank=True,
        verbose_name=_("footer menu"),
        help_text=_(
            "The pages every page's footer links, in this order: the legal notice, the privacy "
            "notice, the moderation rules… The accessibility statement is always linked, with "
            "the state of conformance."
        ),
    )
    privacy_notice = models.ForeignKey(
        Page,
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the sign-up form."),
    )
    moderation_rules = models.ForeignKey(
        Page,
        verbose_name=_("moderation rules"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the sign-up form, beside the consent to them."),
    )

    panels = [
        FieldPanel("footer_links"),
        FieldPanel("privacy_notice"),
        FieldPanel("moderation_rules"),
    ]

    class Meta:
        verbose_name = _("footer and sign-up links")
        verbose_name_plural = _("footer and sign-up links")

    def footer_pages(self, language: str) -> list[Page]:
        """The footer's pages in ``language``, live and public (three queries)."""
        chosen = [block.value for block in self.footer_links if block.value is not None]
        return in_language(chosen, language)


def in_language(pages: list, language: str) -> list[Page]:
    """Each of ``pages`` in ``language`` where it is translated and live, as it is otherwise;
    the pages neither live nor public are left out."""
    if not pages:
        return []
    keys = [page.translation_key for page in pages]
    candidates = (
        Page.objects.filter(translation_key__in=keys, locale__language_code=language)
        .live()
        .public()
    )
    translated = {page.translation_key: page for page in candidates}
    public = set(
        Page.objects.filter(pk__in=[page.pk for page in pages])
        .live()
        .public()
        .values_list("pk", flat=True)
    )
    result = []
    for page in pages:
        shown = translated.get(page.translation_key) or (page if page.pk in public else None)
        if shown is not None and shown not in result:
            result.append(shown)
    return result


# The footer is on every page: its links are cached, forgotten when the menu or any page is
# saved, published, moved or deleted (at once in this process, within a minute in the others
# when each keeps its own memory cache).
FOOTER_SECONDS = 60


def _footer_key(site_pk, language: str) -> str:
    return f"charte:footer:{site_pk}:{language}"


def footer_links(request, language: str) -> list[tuple[str, str]]:
    """(title, address) of each page of the footer's menu, in ``language``."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    key = _footer_key(site.pk, language)
    links = cache.get(key)
    if links is None:
        pages = InstitutionalPages.for_site(site).footer_pages(language)
        links = [(page.title, page.get_url(request)) for page in pages]
        cache.set(key, links, FOOTER_SECONDS)
    return links


def signup_addresses() -> dict[str, str | None]:
    """The addresses of the moderation rules and the privacy notice of the default site, in the
    active language (None for a page not chosen or not published)."""
    from django.utils import translation

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {}
    setting = InstitutionalPages.for_site(site)
    addresses = {}
    for name in ("moderation_rules", "privacy_notice"):
        page = getattr(setting, name)
        shown = in_language([page], translation.get_language()) if page is not None else []
        addresses[name] = shown[0].get_url() if shown else None
    return addresses


def forget_footer(**kwargs) -> None:
    sites = Site.objects.values_list("pk", flat=True)
    cache.delete_many(
        [_footer_key(site, language) for site in sites for language, _ in settings.LANGUAGES]
    )


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(forget_footer, sender=InstitutionalPages, dispatch_uid="footer-menu")
    page_published.connect(forget_footer, dispatch_uid="footer-published")
    page_unpublished.connect(forget_footer, dispatch_uid="footer-unpublished")
    post_page_move.connect(forget_footer, dispatch_uid="footer-moved")
    post_delete.connect(forget_footer, sender=Page, dispatch_uid="footer-deleted")
