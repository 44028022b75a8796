from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from charte.models import CharterIterationPage, CharterPage, IterationState
from charte.texts.pages import attach_sources


class HomePage(Page):
    """The site's front page: consultations open now, then every other charter."""

    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["charte.CharterPage", "charte.DebatesIndexPage"]
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
