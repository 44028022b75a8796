"""Translating a charter with its versions through the admin (« include subtree ») leaves
every translated page reachable once the team publishes them."""

import pytest
from wagtail.models import Page

from charte.texts import services
from charte.texts.pages import CharterIterationPage
from tests import factories
from tests.charte.texts.test_translation_editor import publish

pytestmark = pytest.mark.django_db


def test_a_charter_translated_with_its_versions_keeps_them_reachable(
    client, charter, editor, english, django_capture_on_commit_callbacks
):
    v1 = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=v1, by=editor)
    services.iteration_close(iteration=v1, by=editor)
    v2 = services.iteration_start_next(charter=charter, by=editor)
    CharterIterationPage.objects.get(pk=v2.pk).save_revision(user=editor).publish(user=editor)
    home = factories.home_page()
    home.copy_for_translation(english).save_revision().publish()
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/localize/submit/page/{charter.pk}/",
            {"locales": [english.pk], "include_subtree": "on"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]

    en_charter = charter.get_translation(english)
    translated = [en_charter, *(page.get_translation(english) for page in (v1, v2))]
    for page in translated:
        with django_capture_on_commit_callbacks(execute=True):
            assert publish(client, page).status_code == 200
    assert Page.objects.get(pk=en_charter.pk).numchild == 2
    client.logout()
    for page in translated:
        page = Page.objects.get(pk=page.pk)
        assert page.live and page.url.startswith("/en/")
        assert client.get(page.url).status_code == 200, page.url
    en_home = home.get_translation(english)
    assert en_charter.url in client.get(en_home.url).content.decode()


def test_translations_published_together_leave_the_parent_counting_its_children(
    client, charter, editor, english, django_capture_on_commit_callbacks
):
    """wagtail-localize publishes each translation when the transaction commits, from the page
    as it was when translated: the parent, translated before its children, would be written
    back with no child, and its translated children would answer 404."""
    from django.db import transaction
    from wagtail_localize.models import Translation, TranslationSource

    v1 = factories.make_iteration(charter, user=editor)
    home = factories.home_page()
    home.copy_for_translation(english).save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for page in (charter, v1):
            source, _ = TranslationSource.get_or_create_from_instance(page)
            translation = Translation.objects.create(
                source=source, target_locale=english, enabled=True
            )
            translation.save_target(user=editor, publish=True)

    en_charter = Page.objects.get(pk=charter.get_translation(english).pk)
    assert en_charter.numchild == 1
    en_v1 = Page.objects.get(pk=v1.get_translation(english).pk)
    assert en_v1.live and client.get(en_v1.url).status_code == 200
