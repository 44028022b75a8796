"""Through wagtail-localize's own screens: a translation starts as a draft, published by
someone who may publish the page (a translator's group alone puts nothing online), and the
translation editor cannot reword a version once it is open for consultation."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation

from charte.texts import services
from charte.texts.pages import CharterIterationPage
from tests import factories

pytestmark = pytest.mark.django_db


def english_parents(iteration, english):
    charter = iteration.get_parent().specific
    translated = charter.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()


def submit(client, page, english, capture):
    with capture(execute=True):  # wagtail-localize publishes once the transaction commits
        response = client.post(f"/admin/localize/submit/page/{page.pk}/", {"locales": [english.pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=english)


def translate_strings(client, translation, wording, *, again=False):
    """Type every string in the translation editor (its API, as the editor's page does)."""
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        response = client.put(
            f"/admin/localize/translate/{translation.pk}/strings/{segment.pk}/edit/",
            data=encode_multipart(BOUNDARY, {"value": wording(segment.string.data)}),
            content_type=MULTIPART_CONTENT,
        )
        assert response.status_code == (200 if again else 201), response.content[:500]


def publish(client, page):
    return client.post(f"/admin/pages/{page.pk}/edit/", {"action": "publish"}, follow=True)


def translator_signed_in(client):
    group = Group.objects.create(name="Traducteurs")
    for app_label, codename in (
        ("wagtailadmin", "access_admin"),
        ("wagtail_localize", "submit_translation"),
    ):
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    translator = factories.UserFactory(username="traductrice")
    translator.groups.add(group)
    factories.TOTP.activate(translator, factories.TOTP_SECRET)
    client.force_login(translator)
    return translator


def english_url(page):
    """Where the English page is (or would be) read: the translated slug, once published."""
    translated = Page.objects.get(translation_key=page.translation_key, locale__language_code="en")
    return translated.get_url() if translated.live else "/en" + page.url.removeprefix("/fr")


def test_a_translators_group_puts_nothing_online(
    client, iteration, english, editor, django_capture_on_commit_callbacks
):
    english_parents(iteration, english)
    translator_signed_in(client)
    submit(client, iteration, english, django_capture_on_commit_callbacks)
    translated = iteration.get_translation(english).specific
    assert not translated.live
    publish(client, translated)
    assert not Page.objects.get(pk=translated.pk).live
    client.logout()
    assert client.get(english_url(iteration)).status_code == 404


def test_a_translators_sync_updates_drafts_and_publishes_nothing(
    client, iteration, english, editor, django_capture_on_commit_callbacks
):
    english_parents(iteration, english)
    client.force_login(editor)
    translation = submit(client, iteration, english, django_capture_on_commit_callbacks)
    translate_strings(client, translation, lambda text: "In English: " + text)
    with django_capture_on_commit_callbacks(execute=True):
        publish(client, iteration.get_translation(english))
    assert "In English: Alinéa 1" in client.get(english_url(iteration)).content.decode()

    iteration.title = "Version 1 révisée"
    iteration.save_revision().publish()
    translator_signed_in(client)
    sync = f"/admin/localize/update/{translation.source.pk}/"
    response = client.get(sync)
    assert response.status_code == 200
    form = response.content.decode()
    assert 'name="publish_translations"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync, {"publish_translations": "on"})
    assert response.status_code == 302
    client.logout()
    shown = client.get(english_url(iteration)).content.decode()
    assert "In English: Alinéa 1" in shown
    assert "révisée" not in shown


def test_the_team_publishes_a_translation_that_is_then_frozen_with_its_version(
    client, iteration, english, editor, django_capture_on_commit_callbacks
):
    english_parents(iteration, english)
    client.force_login(editor)
    translation = submit(client, iteration, english, django_capture_on_commit_callbacks)
    translated = iteration.get_translation(english)
    assert not translated.live
    sync_form = client.get(f"/admin/localize/update/{translation.source.pk}/").content.decode()
    assert 'name="publish_translations"' in sync_form  # the team may publish

    translate_strings(client, translation, lambda text: "In English: " + text)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish(client, translated).status_code == 200
    assert "In English: Alinéa 1" in client.get(english_url(iteration)).content.decode()

    services.iteration_open(iteration=iteration, by=editor)
    translate_strings(client, translation, lambda text: "Reworded: " + text, again=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, translated)
    page = response.content.decode()
    assert response.status_code == 200
    assert "une rédaction déjà traduite ne peut plus changer" in page
    shown = client.get(english_url(iteration)).content.decode()
    assert "In English: Alinéa 1" in shown
    assert "Reworded" not in shown
    assert CharterIterationPage.objects.get(pk=translated.pk).live
