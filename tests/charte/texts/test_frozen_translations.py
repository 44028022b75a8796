"""The text of a version opened for consultation is frozen in every language: a wording
already translated stays what people read and commented; what is still in French may be
translated later."""

import copy

import pytest
from django.core.exceptions import ValidationError

from charte.texts import services
from charte.texts.pages import CharterIterationPage
from tests.charte.texts.test_public_pages import translate


def reworded(page, change):
    body = copy.deepcopy(list(page.body.raw_data))
    change(body)
    page.body = list(body)
    return page


def first_paragraph(body):
    return body[0]["value"]["articles"][0]["value"]["paragraphs"][0]


def test_a_translated_paragraph_of_an_opened_version_cannot_be_reworded(
    client, iteration, editor, english
):
    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)

    def rewrite(body):
        first_paragraph(body)["value"] = "In English: something else entirely."

    with pytest.raises(ValidationError) as refused:
        reworded(translated, rewrite).save_revision().publish()
    assert "body" in refused.value.message_dict
    assert "une rédaction déjà traduite ne peut plus changer" in " ".join(
        refused.value.message_dict["body"]
    )
    shown = client.get(CharterIterationPage.objects.get(pk=translated.pk).url).content.decode()
    assert "something else entirely" not in shown and "In English: Alinéa 1" in shown

    def retitle(body):
        body[0]["value"]["articles"][0]["value"]["title"] = "Another title"

    translated = CharterIterationPage.objects.get(pk=translated.pk)
    with pytest.raises(ValidationError):
        reworded(translated, retitle).save_revision().publish()


def test_what_is_still_in_french_may_be_translated_after_opening(
    client, iteration, editor, english
):
    translated = iteration.copy_for_translation(english, copy_parents=True)
    translated.slug = "version-1"
    translated.save_revision().publish()
    services.iteration_open(iteration=iteration, by=editor)

    def late(body):
        first_paragraph(body)["value"] = "In English: a late translation."

    page = reworded(CharterIterationPage.objects.get(pk=translated.pk), late)
    page.save_revision().publish()
    assert "a late translation" in client.get(page.url).content.decode()


def test_a_translation_changes_freely_before_the_version_opens(iteration, editor, english):
    translated = translate(iteration, english)

    def rewrite(body):
        first_paragraph(body)["value"] = "In English: reworded before opening."

    reworded(translated, rewrite).save_revision().publish()
    page = CharterIterationPage.objects.get(pk=translated.pk)
    assert first_paragraph(page.body.raw_data)["value"] == "In English: reworded before opening."


def test_a_translation_never_published_is_not_held_to_its_first_copy(
    client, iteration, editor, english
):
    """The next version's English draft carries the previous translations; when the French
    rewords a paragraph before opening, the English draft, published only after the opening,
    shows the new wording (in French until translated) instead of being refused."""
    translated = iteration.copy_for_translation(english, copy_parents=True)
    translated.slug = "version-1"

    def carried(body):
        first_paragraph(body)["value"] = "In English: the previous wording."

    reworded(translated, carried).save()
    page = CharterIterationPage.objects.get(pk=iteration.pk)

    def rewrite(body):
        first_paragraph(body)["value"] = "Une rédaction nouvelle avant l’ouverture."

    reworded(page, rewrite).save_revision().publish()
    services.iteration_open(iteration=page, by=editor)

    draft = reworded(CharterIterationPage.objects.get(pk=translated.pk), rewrite)
    draft.save_revision().publish()
    shown = client.get(CharterIterationPage.objects.get(pk=translated.pk).url).content.decode()
    assert "Une rédaction nouvelle avant l’ouverture." in shown
    assert "the previous wording" not in shown
