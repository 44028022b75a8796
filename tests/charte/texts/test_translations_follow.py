"""Translations follow the versions: starting the next version creates its English draft with
the translation of every unchanged wording; the team sees how much is translated; what is not
translated yet is shown in French, marked as such."""

import copy
import datetime
import re

import pytest
from django.utils import timezone, translation
from wagtail.models import Page
from wagtail.users.models import UserProfile

from charte.texts import services
from charte.texts.pages import CharterIterationPage
from tests.charte.texts.test_translation_editor import (
    english_parents,
    publish,
    submit,
    translate_strings,
)

# The untranslated wording, in French, marked as such (its block or its paragraph).
FRENCH_WORDING = re.compile(r'lang="fr">(?:<p>)?Une rédaction nouvelle de l’alinéa\.')

pytestmark = pytest.mark.django_db


def consulted(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)


@pytest.fixture
def translated_v1(client, iteration, english, editor, django_capture_on_commit_callbacks):
    """Version 1 translated in the translation editor and published, consulted, closed."""
    english_parents(iteration, english)
    client.force_login(editor)
    v1_translation = submit(client, iteration, english, django_capture_on_commit_callbacks)
    translate_strings(client, v1_translation, lambda text: "In English: " + text)
    with django_capture_on_commit_callbacks(execute=True):
        publish(client, iteration.get_translation(english))
    consulted(iteration, editor)
    return iteration


def english_draft(page, english):
    translated = page.get_translation(english)
    return translated.get_latest_revision_as_object()


def test_the_next_version_starts_in_english_too_with_its_translations(
    client, translated_v1, english, editor, django_capture_on_commit_callbacks
):
    charter = translated_v1.get_parent().specific
    with django_capture_on_commit_callbacks(execute=True):
        v2 = services.iteration_start_next(charter=charter, by=editor)

    en_v2 = v2.get_translation(english).specific
    assert not en_v2.live  # a draft, published by the team once translated
    draft = english_draft(v2, english)
    assert draft.title == "Version 2" and draft.label == "Amended version"
    texts = [p.text for p in _paragraphs(draft)]
    assert len(texts) == 6 and all(text.startswith("In English: Alinéa") for text in texts)
    assert all(not p.text.startswith("In English") for p in _paragraphs(v2))

    # The French admin says how much of the new version is translated, with the way there.
    with translation.override("fr"):
        html = client.get(f"/admin/pages/{v2.pk}/edit/").content.decode()
    assert "Anglais" in html and "6 / 6" in html
    assert f'href="/admin/pages/{en_v2.pk}/edit/"' in html


def test_a_reworded_paragraph_is_left_to_translate_and_shown_in_french(
    client, translated_v1, english, editor, django_capture_on_commit_callbacks
):
    charter = translated_v1.get_parent().specific
    with django_capture_on_commit_callbacks(execute=True):
        v2 = services.iteration_start_next(charter=charter, by=editor)
    v2 = CharterIterationPage.objects.get(pk=v2.pk)
    body = copy.deepcopy(list(v2.body.raw_data))
    first = body[0]["value"]["articles"][0]["value"]["paragraphs"][0]
    first["value"] = "Une rédaction nouvelle de l’alinéa."
    v2.body = body
    v2.closes_at = timezone.now() + datetime.timedelta(days=20)
    v2.save_revision(user=editor).publish(user=editor)
    source = v2.get_translation(english)
    # The team brings the English draft up to date and publishes it.
    from wagtail_localize.models import TranslationSource

    translation_source = TranslationSource.objects.get(object_id=v2.translation_key)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/localize/update/{translation_source.pk}/", {})
        publish(client, source)
    assert Page.objects.get(pk=source.pk).live
    services.iteration_open(iteration=v2, by=editor)

    with translation.override("fr"):
        html = client.get(f"/admin/pages/{v2.pk}/edit/").content.decode()
    assert "Anglais" in html and "5 / 6" in html
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    html = client.get(f"/admin/pages/{v2.pk}/edit/").content.decode()
    assert "English: 5 / 6 paragraphs translated" in html

    client.logout()
    en_v2 = CharterIterationPage.objects.get(pk=source.pk)
    public = client.get(en_v2.url).content.decode()
    assert FRENCH_WORDING.search(public)
    assert public.count('lang="fr"') == 1 + public.split("<main", 1)[0].count('lang="fr"')
    assert "In English: Alinéa 2" in public
    key = _paragraphs(v2)[0].key
    paragraph = client.get(f"{en_v2.url}p/{key}/").content.decode()
    assert FRENCH_WORDING.search(paragraph)


def _paragraphs(page):
    from charte.texts.outline import body_outline, outline_paragraphs

    return outline_paragraphs(body_outline(page.body))
