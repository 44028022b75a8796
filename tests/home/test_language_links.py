"""The language switcher of every page: the same page in the other language when it is
published there, else its nearest ancestor published there, else that language's home; read in
one query whatever the depth of the page, and kept until the page tree changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from charte.models import CharterPage, Paragraph
from charte.templatetags.charte_tags import language_links
from charte.texts import services
from tests.charte.texts.test_public_pages import translate

pytestmark = pytest.mark.django_db

ENGLISH_LINK = re.compile(r'<a href="([^"]*)" lang="en" hreflang="en">English</a>')
FRENCH_LINK = re.compile(r'<a href="([^"]*)" lang="fr" hreflang="fr">Français</a>')


def english_link(client, url):
    return ENGLISH_LINK.search(client.get(url).content.decode()).group(1)


def test_with_no_english_page_the_link_leads_to_the_english_home(client, iteration, english):
    assert english_link(client, iteration.url) == "/en/"


def test_an_untranslated_version_links_to_its_english_charter(client, iteration, editor, english):
    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)  # makes the English charter and home too
    english_charter = CharterPage.objects.get(
        translation_key=iteration.get_parent().translation_key, locale=english
    )
    assert english_charter.live
    # A second version, published in French only.
    second = iteration.get_parent().add_child(
        instance=type(iteration)(title="Version 2", slug="version-2", label="Projet", body=[])
    )
    second.save_revision().publish()
    assert english_link(client, second.url) == english_charter.url
    # The first version, translated: its English page, and a paragraph's address kept.
    assert english_link(client, iteration.url) == translated.url
    key = Paragraph.objects.filter(iteration=iteration).order_by("position").first().key
    assert english_link(client, f"{iteration.url}p/{key}/") == f"{translated.url}p/{key}/"
    # And back: the English page links to the French one.
    html = client.get(translated.url).content.decode()
    assert FRENCH_LINK.search(html).group(1) == iteration.url


def test_an_unpublished_english_page_is_never_linked(client, iteration, editor, english):
    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)
    Page.objects.filter(pk=translated.pk).update(live=False)
    english_charter = CharterPage.objects.get(
        translation_key=iteration.get_parent().translation_key, locale=english
    )
    assert english_link(client, iteration.url) == english_charter.url


def test_the_switcher_costs_one_query_then_none(rf, iteration, editor, english):
    """Whether the page is translated or only an ancestor is: one query, then none until the
    page tree changes (charte.core.tree)."""
    services.iteration_open(iteration=iteration, by=editor)
    translate(iteration, english)
    second = iteration.get_parent().add_child(
        instance=type(iteration)(title="Version 2", slug="version-2", label="Projet", body=[])
    )
    second.save_revision().publish()
    for page in (iteration, second):
        request = rf.get(page.url)
        Site.find_for_request(request)  # the site of a served request is already known
        page.get_url(request)  # Wagtail's site roots, kept
        with CaptureQueriesContext(connection) as captured:
            links = language_links({"request": request, "page": page})
        assert len(captured) == 1, [q["sql"] for q in captured.captured_queries]
        assert links[1]["url"].startswith("/en/")
        with CaptureQueriesContext(connection) as captured:
            assert language_links({"request": request, "page": page}) == links
        assert len(captured) == 0, [q["sql"] for q in captured.captured_queries]
