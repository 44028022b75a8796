"""What the page tree says (the site of an address, the versions of a charter, the translations
of a page) is kept until the tree changes: readers after the first ask the database nothing of
it, and whatever changes the tree — a version published, unpublished, made private, opened,
a translation published, a site added — shows at the next view."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from charte.core import tree
from charte.models import CharterIterationPage
from charte.texts import services
from home.models import ContentPage
from tests.charte.texts.test_public_pages import translate
from tests.home.test_language_links import english_link

pytestmark = pytest.mark.django_db


def switcher(client, page) -> str:
    html = client.get(page.url).content.decode()
    if 'class="iteration-switcher"' not in html:
        return ""
    start = html.index('class="iteration-switcher"')
    return html[start : html.index("</nav>", start)]


def add_version(iteration, title="Version 2", slug="version-2"):
    page = iteration.get_parent().add_child(
        instance=type(iteration)(title=title, slug=slug, label="Projet", body=[])
    )
    page.save_revision().publish()
    return CharterIterationPage.objects.get(pk=page.pk)


def test_a_second_reader_asks_nothing_of_the_tree(client, opened):
    add_version(opened)
    client.get(opened.url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(opened.url)
    assert response.status_code == 200
    asked = [q["sql"] for q in captured]
    assert not [sql for sql in asked if "wagtailcore_site" in sql]
    # Neither the versions of the charter nor the translations of the page are read again.
    assert not [sql for sql in asked if "translation_key" in sql and " IN " in sql]
    assert not [sql for sql in asked if '"charter_key"' in sql]


def test_a_version_published_or_unpublished_shows_in_the_switcher_at_once(client, opened):
    assert switcher(client, opened) == ""  # one version: no switcher
    second = add_version(opened)
    assert "Version 2" in switcher(client, opened)
    second.unpublish()
    assert switcher(client, opened) == ""


def test_a_version_made_private_leaves_the_public_switcher(client, opened):
    second = add_version(opened)
    assert "Version 2" in switcher(client, opened)
    assert 'name="password"' not in client.get(second.url).content.decode()
    restriction = PageViewRestriction.objects.create(
        page=second, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert switcher(client, opened) == ""
    # Its own address asks for the password at once (Wagtail's check, from kept restrictions).
    assert 'name="password"' in client.get(second.url).content.decode()
    restriction.delete()
    assert "Version 2" in switcher(client, opened)


def test_a_renamed_version_shows_its_new_title(client, opened, editor):
    second = add_version(opened)
    assert "Version 2" in switcher(client, opened)
    second.title = "Deuxième lecture"
    second.save_revision(user=editor).publish(user=editor)
    shown = switcher(client, opened)
    assert "Deuxième lecture" in shown
    assert "Version 2" not in shown


def test_a_translation_published_becomes_the_language_link(client, opened, english):
    assert english_link(client, opened.url) == "/en/"
    translated = translate(opened, english)
    assert english_link(client, opened.url) == translated.url


def test_opening_a_version_draws_a_new_stamp(opened, editor, django_capture_on_commit_callbacks):
    """The lifecycle writes a version's state without saving the page (no signal): the
    service says the tree changed, at once and again once committed."""
    services.iteration_close(iteration=opened, by=editor)
    draft = services.iteration_start_next(charter=opened.get_parent().specific, by=editor)
    draft.save_revision(user=editor).publish(user=editor)
    answers = []
    tree.kept("probe", 1, compute=lambda: answers.append(1) or len(answers))
    assert tree.kept("probe", 1, compute=lambda: answers.append(1) or len(answers)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_open(
            iteration=CharterIterationPage.objects.get(pk=draft.pk),
            by=editor,
            closes_at=timezone.now() + datetime.timedelta(days=10),
        )
    assert tree.kept("probe", 1, compute=lambda: answers.append(1) or len(answers)) == 2


def test_a_site_added_for_an_address_answers_it(client, opened, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "quartiers.example.org"]
    home = client.get("/", HTTP_HOST="quartiers.example.org")
    assert home.status_code == 200  # the default site answers every address
    assert opened.get_parent().title in home.content.decode()

    other_root = Page.objects.get(depth=1).add_child(
        instance=ContentPage(title="Les quartiers", slug="quartiers", body=[])
    )
    other_root.save_revision().publish()
    Site.objects.create(hostname="quartiers.example.org", port=80, root_page=other_root)
    answered = client.get("/", HTTP_HOST="quartiers.example.org").content.decode()
    assert "<h1>Les quartiers</h1>" in answered
    assert opened.get_parent().title not in answered
    assert client.get("/", HTTP_HOST="testserver").status_code == 200


def test_without_a_cache_every_answer_is_computed(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    answers = []
    for _ in range(2):
        tree.kept("probe", 2, compute=lambda: answers.append(1) or len(answers))
    assert answers == [1, 1]
