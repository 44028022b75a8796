"""A draft is opened for a chosen date without being made public first: the public sees it from
its opening, not before; the dates are typed as the team writes them (Europe/Paris time)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from charte.models import CharterIterationPage, IterationState, Paragraph
from charte.texts import services
from charte.texts.forms import OpenConsultationForm
from tests import factories
from tests.admin_forms import iteration_edit_data
from tests.charte.texts.test_translation_editor import (
    english_parents,
    publish,
    submit,
    translate_strings,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC


@pytest.fixture
def unpublished_draft(charter, editor):
    """A first version written and saved, never published."""
    draft = CharterIterationPage(
        title="Version 1",
        slug="version-1",
        label="Projet soumis à la concertation",
        body=factories.body_with(6),
        owner=editor,
        live=False,
    )
    charter.add_child(instance=draft)
    draft.save_revision(user=editor)
    return CharterIterationPage.objects.get(pk=draft.pk)


def team(client, editor, language):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    client.force_login(editor)
    return client


def open_form(client, page, **data):
    return client.post(reverse("charte_iteration_open", args=[page.pk]), data)


def test_a_draft_opened_for_a_later_date_is_public_from_its_opening(
    client, unpublished_draft, editor
):
    """Opening on the night the clocks go forward: 03:00 in Paris is 01:00 UTC."""
    team(client, editor, "en")
    response = open_form(
        client, unpublished_draft, opens_at="28/03/2027 03:00", closes_at="15 avril 2027 18h"
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = CharterIterationPage.objects.get(pk=unpublished_draft.pk)
    assert page.opens_at == datetime.datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert page.closes_at == datetime.datetime(2027, 4, 15, 16, 0, tzinfo=UTC)
    assert page.state == IterationState.CONSULTATION
    assert Paragraph.objects.filter(iteration=page).count() == 6
    assert not page.live
    public_url = page.url
    client.logout()
    assert client.get(public_url).status_code == 404

    assert (
        services.open_scheduled_consultations(
            now=datetime.datetime(2027, 3, 28, 1, 59, tzinfo=PARIS)
        )
        == []
    )
    assert client.get(public_url).status_code == 404

    opened = services.open_scheduled_consultations(
        now=datetime.datetime(2027, 3, 28, 3, 0, tzinfo=PARIS)
    )
    assert [p.pk for p in opened] == [page.pk]
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert client.get(public_url).status_code == 200


def test_the_listing_says_when_a_scheduled_version_opens(client, unpublished_draft, editor):
    team(client, editor, "en")
    open_form(client, unpublished_draft, opens_at="2027-10-31T02:30", closes_at="2027-11-30 18:00")
    html = client.get(reverse("wagtailadmin_explore", args=[unpublished_draft.get_parent().pk]))
    # 02:30 on the night the clocks go back is the first (summer) one in the picker's order.
    assert "Scheduled: opens on" in html.content.decode()


def test_a_draft_opened_now_is_published_at_once(client, unpublished_draft, editor):
    team(client, editor, "fr")
    response = open_form(client, unpublished_draft, opens_at="", closes_at="15/01/2099 18:00")
    assert response.status_code == 302
    page = CharterIterationPage.objects.get(pk=unpublished_draft.pk)
    assert page.live and page.state == IterationState.CONSULTATION
    client.logout()
    assert client.get(page.url).status_code == 200


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("15 janvier 2027 18h", datetime.datetime(2027, 1, 15, 18, 0, tzinfo=PARIS)),
        ("1er juillet 2027 à 9h30", datetime.datetime(2027, 7, 1, 9, 30, tzinfo=PARIS)),
        ("15 January 2027 6:00", datetime.datetime(2027, 1, 15, 6, 0, tzinfo=PARIS)),
    ],
)
def test_dates_typed_by_hand(typed, expected):
    form = OpenConsultationForm({"closes_at": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["closes_at"] == expected


@pytest.mark.parametrize("typed", ["demain", "15 janvier 2027", "31/02/2027 18:00"])
def test_a_date_that_cannot_be_read_says_which_format_is_expected(
    client, unpublished_draft, editor, typed
):
    team(client, editor, "en")
    response = open_form(client, unpublished_draft, opens_at="", closes_at=typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a date and a time, for example « 15/01/2027 18:00 »" in html
    assert f'value="{typed}"' in html
    assert CharterIterationPage.objects.get(pk=unpublished_draft.pk).frozen_at is None


@pytest.mark.parametrize("action", ["charte_iteration_open", "charte_iteration_adopt"])
def test_the_forms_load_the_date_pickers(client, iteration, editor, action):
    team(client, editor, "fr")
    html = client.get(reverse(action, args=[iteration.pk])).content.decode()
    assert "wagtailadmin/js/date-time-chooser.js" in html
    assert "15 janvier 2027" in html  # the example in the help text


@pytest.mark.parametrize(
    "language, message",
    [
        # The date is written in the team's language (the French wording comes with the
        # catalogue).
        ("fr", "15 janvier 2099"),
        ("en", "opens for consultation on"),
    ],
)
def test_wagtail_publish_button_cannot_open_a_scheduled_version_early(
    client, unpublished_draft, editor, language, message
):
    """The « Publish » button of Wagtail's editor would put the version online before its
    date: it is refused with the date, and the team's changes stay saved as a draft."""
    team(client, editor, language)
    open_form(client, unpublished_draft, opens_at="15/01/2099 09:00", closes_at="15/02/2099 18:00")
    page = CharterIterationPage.objects.get(pk=unpublished_draft.pk)
    page = page.get_latest_revision_as_object()
    data = iteration_edit_data(page, summary="Résumé revu avant l’ouverture.")

    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)

    html = response.content.decode()
    assert message in html
    assert "2099" in html
    stored = CharterIterationPage.objects.get(pk=page.pk)
    assert not stored.live
    assert stored.get_latest_revision_as_object().summary == "Résumé revu avant l’ouverture."
    client.logout()
    assert client.get(stored.url).status_code == 404


def scheduled(client, draft, editor, language):
    team(client, editor, language)
    response = open_form(client, draft, opens_at="15/01/2099 09:00", closes_at="15/02/2099 18:00")
    assert response.status_code == 302
    return CharterIterationPage.objects.get(pk=draft.pk)


@pytest.mark.parametrize(
    "language, message, include_descendants, selected",
    [
        ("fr", "ouvre à la concertation le 15 janvier 2099", "", "version"),
        ("en", "opens for consultation on 15 January 2099", "on", "charter"),
    ],
)
def test_the_listings_bulk_publish_waits_for_the_opening(
    client, unpublished_draft, editor, language, message, include_descendants, selected
):
    """From the page listing, the version itself or its charter « with the pages below »: the
    version stays unpublished, the team is told why, in its language."""
    page = scheduled(client, unpublished_draft, editor, language)
    target = page if selected == "version" else page.get_parent()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = client.post(
        f"{url}?id={target.pk}", {"include_descendants": include_descendants}, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CharterIterationPage.objects.get(pk=page.pk).live
    client.logout()
    assert client.get(page.url).status_code == 404


def test_no_other_path_publishes_it_before_its_opening(client, unpublished_draft, editor):
    """The shell, a script, Wagtail's scheduled publishing: the page itself refuses."""
    page = scheduled(client, unpublished_draft, editor, "en")
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        page.get_latest_revision().publish(user=editor)
    assert refusal.value.messages == [
        "« Version 1 » opens for consultation on 15 January 2099 at 9 am: it will be "
        "published then, in every language, not before."
    ]
    assert not CharterIterationPage.objects.get(pk=page.pk).live


def test_its_translation_waits_too_and_opens_with_it(
    client, unpublished_draft, editor, english, django_capture_on_commit_callbacks
):
    """Translated in wagtail-localize's editor before the opening: « Publish » there is refused
    with the date, what was typed is kept, and the opening publishes the English version with
    it, with the wordings translated meanwhile."""
    english_parents(unpublished_draft, english)
    page = scheduled(client, unpublished_draft, editor, "en")
    translation = submit(client, page, english, django_capture_on_commit_callbacks)
    translate_strings(client, translation, lambda text: f"In English: {text}")
    translated = page.get_translation(english).specific

    response = publish(client, translated)

    assert "its translation will be published then" in response.content.decode()
    assert not CharterIterationPage.objects.get(pk=translated.pk).live

    with django_capture_on_commit_callbacks(execute=True):
        opened = services.open_scheduled_consultations(
            now=datetime.datetime(2099, 1, 15, 9, 0, tzinfo=PARIS)
        )
    assert [p.pk for p in opened] == [page.pk]
    translated = CharterIterationPage.objects.get(pk=translated.pk)
    assert translated.live
    client.logout()
    html = client.get(translated.url).content.decode()
    first = Paragraph.objects.filter(iteration=page).order_by("position").first()
    assert f"In English: {first.text}" in html
