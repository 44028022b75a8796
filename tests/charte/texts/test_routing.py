"""Wagtail's routing, one query per level of the address: a child page is read with its own
row (its type's table), not read, then read again as its type. What routing decides stays
Wagtail's: a draft or an unknown address is not found, a private page asks its password, a
page of a type not joined is still served as its type, and English addresses route too."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from charte.core.locales import default_locale
from charte.models import CharterIterationPage, CharterPage
from charte.texts import services
from home.models import ContentPage
from tests import factories
from tests.charte.texts.test_public_pages import translate

pytestmark = pytest.mark.django_db


BY_ID = re.compile(r'WHERE "\w+"\."page_ptr_id" = \d+ LIMIT')


def specific_reads(captured):
    """The statements that read a page again as its type, by its id (what Wagtail's
    ``.specific`` does)."""
    return [q["sql"] for q in captured.captured_queries if BY_ID.search(q["sql"])]


def test_a_versions_address_reads_each_page_once(client, opened):
    client.get(opened.url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(opened.url)
    assert response.status_code == 200
    by_slug = [
        q["sql"] for q in captured.captured_queries if '"wagtailcore_page"."slug" = ' in q["sql"]
    ]
    # The charter, then the version: each read as its type at once.
    assert len(by_slug) == 2
    assert by_slug[0].startswith('SELECT "wagtailcore_page"."id"')
    assert 'FROM "charte_charterpage"' in by_slug[0]
    assert 'FROM "charte_charteriterationpage"' in by_slug[1]
    # No page is read again as its type: the home page, the site's root, is kept with the
    # site (charte.core.tree).
    assert specific_reads(captured) == []


def test_the_routed_version_knows_its_charter_without_a_query(rf, opened):
    site = Site.objects.get(is_default_site=True)
    request = rf.get(opened.url)
    home = site.root_page.specific
    path = [part for part in opened.url.split("/") if part]
    with CaptureQueriesContext(connection) as captured:
        page, _args, _kwargs = home.route(request, path)
    assert isinstance(page, CharterIterationPage) and page.pk == opened.pk
    assert len(captured) == 2
    with CaptureQueriesContext(connection) as captured:
        parent = page.get_parent()
    assert isinstance(parent, CharterPage) and parent.pk == opened.get_parent().pk
    assert len(captured) == 0


def test_a_draft_or_an_unknown_address_is_not_found(client, charter, editor):
    draft = CharterIterationPage(title="Brouillon", slug="brouillon", label="Projet", live=False)
    charter.add_child(instance=draft)
    assert client.get(f"{charter.url}brouillon/").status_code == 404
    assert client.get(f"{charter.url}nulle-part/").status_code == 404
    assert client.get("/nulle-part/").status_code == 404


def test_a_private_page_still_asks_its_password(client, iteration):
    PageViewRestriction.objects.create(
        page=iteration, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(iteration.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="password"' in html
    assert "Alinéa 1" not in html


def test_a_page_of_another_type_is_served_as_its_type(client, charter):
    """A content page placed under a charter (whose children are versions): read as Wagtail
    does, and served by its own template."""
    page = ContentPage(title="Mentions", slug="mentions", body=[])
    charter.add_child(instance=page)
    page.save_revision().publish()
    response = client.get(f"{charter.url}mentions/")
    assert response.status_code == 200
    assert response.context["page"].__class__ is ContentPage


def test_content_pages_nest_and_route(client):
    home = factories.home_page()
    parent = home.add_child(instance=ContentPage(title="Aide", slug="aide", body=[]))
    parent.save_revision().publish()
    child = parent.add_child(instance=ContentPage(title="Lire", slug="lire", body=[]))
    child.save_revision().publish()
    response = client.get("/aide/lire/")
    assert response.status_code == 200
    assert response.context["page"].pk == child.pk


def test_the_english_address_routes_to_the_english_version(client, iteration, editor, english):
    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)
    response = client.get(translated.url)
    assert response.status_code == 200
    assert response.context["page"].pk == translated.pk
    assert response.context["page"].source.pk == iteration.pk


def test_a_request_reads_each_locale_once(client, iteration, editor, english):
    """Wagtail's routing reads the address's locale, and the page the default one (its
    source, the switcher…) once, whatever the number of times it asks."""
    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)
    for page in (iteration, translated):
        client.get(page.url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page.url).status_code == 200
        locale_reads = [
            q for q in captured.captured_queries if 'FROM "wagtailcore_locale"' in q["sql"]
        ]
        assert len(locale_reads) <= 2, (page.url, locale_reads)


def test_outside_a_request_the_default_locale_is_read_each_time(db):
    """A task or a command is not a request: nothing is kept from one call to the next."""
    with CaptureQueriesContext(connection) as captured:
        default_locale()
        default_locale()
    assert len(captured) == 2
    assert Page.objects.filter(locale=default_locale()).exists()
