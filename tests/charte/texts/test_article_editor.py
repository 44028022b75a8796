"""A long text is edited article by article: the page editor shows its outline, each article
opens its own form, and saving it records a new draft of the page with every identity kept."""

import json

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from charte.core import roles
from charte.models import CharterIterationPage
from charte.texts import services
from tests import factories
from tests.admin_forms import draftail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _six_paragraphs_are_long(settings):
    """The test text (six paragraphs) counts as long; the real threshold is 100."""
    settings.CHARTE_EDIT_BY_ARTICLE_ABOVE = 3


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def in_english_admin(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def article_url(page, key):
    return reverse("charte_article_edit", args=[page.pk, key])


def first_article(page):
    return page.get_latest_revision_as_object().body.raw_data[0]["value"]["articles"][0]


def article_data(page, paragraphs, *, title=None, revision=None, initial=None, **extra):
    """The article form as posted: ``paragraphs`` are (key, html, order, delete) tuples."""
    article = first_article(page)
    data = {
        "title": title if title is not None else article["value"]["title"],
        "revision": revision or page.get_latest_revision().pk,
        "paragraphs-TOTAL_FORMS": str(len(paragraphs)),
        "paragraphs-INITIAL_FORMS": str(
            initial if initial is not None else len(article["value"]["paragraphs"])
        ),
        "paragraphs-MIN_NUM_FORMS": "0",
        "paragraphs-MAX_NUM_FORMS": "1000",
        "save": "",
    }
    for index, (key, html, order, delete) in enumerate(paragraphs):
        data[f"paragraphs-{index}-key"] = key
        data[f"paragraphs-{index}-text"] = draftail(html) if html else ""
        data[f"paragraphs-{index}-ORDER"] = str(order)
        if delete:
            data[f"paragraphs-{index}-DELETE"] = "on"
    data.update(extra)
    return data


def shown(text):
    """How a wording appears in a rich-text widget's value (Draftail's JSON, in an attribute)."""
    return json.dumps(text)[1:-1]


def current(page):
    """(key, text) of the first article's paragraphs in the page's latest revision."""
    latest = CharterIterationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    outline = factories.body_texts(latest)
    keys = [p["id"] for p in first_article(latest)["value"]["paragraphs"]]
    return [pair for pair in outline if pair[0] in keys]


def test_a_long_text_opens_as_its_outline_a_short_one_in_wagtails_editor(
    editor_client, iteration, settings
):
    response = editor_client.get(edit_url(iteration))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-contentpath="body"' not in html  # Wagtail's body editor is not built
    article = first_article(iteration)
    assert article_url(iteration, article["id"]) in html
    assert "Article 1 – Article de test 1" in html
    assert "(5 " in html  # its paragraph count
    assert reverse("charte_section_add", args=[iteration.pk]) in html
    # Up to the threshold, the text keeps Wagtail's body editor.
    settings.CHARTE_EDIT_BY_ARTICLE_ABOVE = 100
    html = editor_client.get(edit_url(iteration)).content.decode()
    assert 'data-contentpath="body"' in html
    assert "charte-article-outline" not in html


def test_saving_the_page_of_a_long_text_keeps_its_body(editor_client, iteration):
    before = factories.body_texts(iteration)
    data = {
        "title": "Version 1 révisée",
        "slug": iteration.slug,
        "label": iteration.label,
        "summary": "",
        "opens_at": "",
        "closes_at": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    response = editor_client.post(edit_url(iteration), data)
    assert response.status_code == 302
    latest = CharterIterationPage.objects.get(pk=iteration.pk).get_latest_revision_as_object()
    assert latest.title == "Version 1 révisée"
    assert factories.body_texts(latest) == before


def test_the_article_form_shows_its_paragraphs(editor_client, iteration):
    article = first_article(iteration)
    response = editor_client.get(article_url(iteration, article["id"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Article de test 1" in html
    for paragraph in article["value"]["paragraphs"]:
        assert f'value="{paragraph["id"]}"' in html
    assert shown("Alinéa 5 : la commune") in html
    assert 'name="publish"' in html  # the editor may publish
    assert edit_url(iteration) in html  # breadcrumbs back to the page


def test_saving_an_article_keeps_keys_adds_removes_and_reorders(editor_client, iteration):
    keys = [p["id"] for p in first_article(iteration)["value"]["paragraphs"]]
    revisions = iteration.revisions.count()
    data = article_data(
        iteration,
        [
            (keys[0], "<p>Alinéa 1 <b>réécrit</b>.</p>", 2, False),
            (keys[1], "<p>Alinéa 2.</p>", 1, False),
            (keys[2], "<p>Alinéa 3.</p>", 3, True),
            (keys[3], "<p>Alinéa 4.</p>", 4, False),
            (keys[4], "<p>Alinéa 5.</p>", 5, False),
            ("", "<p>Un alinéa nouveau.</p>", 6, False),
            ("", "", "", False),
        ],
        title="Article premier",
    )
    response = editor_client.post(article_url(iteration, first_article(iteration)["id"]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == edit_url(iteration)
    saved = current(iteration)
    assert [key for key, _text in saved[:4]] == [keys[1], keys[0], keys[3], keys[4]]
    assert [text for _key, text in saved] == [
        "Alinéa 2.",
        "Alinéa 1 réécrit.",
        "Alinéa 4.",
        "Alinéa 5.",
        "Un alinéa nouveau.",
    ]
    assert saved[4][0] not in keys  # a new paragraph, a new identity
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    assert page.revisions.count() == revisions + 1
    latest = page.get_latest_revision_as_object()
    assert first_article(latest)["value"]["title"] == "Article premier"
    assert "<b>réécrit</b>" in first_article(latest)["value"]["paragraphs"][1]["value"]
    # Saved as a draft: the published page still has the previous text.
    assert page.has_unpublished_changes
    assert factories.body_texts(page) == factories.body_texts(iteration)
    # The other articles are untouched.
    assert factories.body_texts(latest)[5:] == factories.body_texts(iteration)[5:]


def test_save_and_publish(editor_client, iteration):
    keys = [p["id"] for p in first_article(iteration)["value"]["paragraphs"]]
    rows = [(key, f"<p>Texte {i}.</p>", i, False) for i, key in enumerate(keys, start=1)]
    data = article_data(iteration, rows, publish="")
    del data["save"]
    response = editor_client.post(article_url(iteration, first_article(iteration)["id"]), data)
    assert response.status_code == 302
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    assert not page.has_unpublished_changes
    assert factories.body_texts(page)[0] == (keys[0], "Texte 1.")


def test_a_key_from_another_article_does_not_move_that_paragraph(editor_client, iteration):
    keys = [p["id"] for p in first_article(iteration)["value"]["paragraphs"]]
    elsewhere = factories.body_texts(iteration)[5][0]
    rows = [(key, f"<p>Texte {i}.</p>", i, False) for i, key in enumerate(keys, start=1)]
    rows.append((elsewhere, "<p>Copié.</p>", 9, False))
    data = article_data(iteration, rows, initial=len(keys))
    editor_client.post(article_url(iteration, first_article(iteration)["id"]), data)
    saved = current(iteration)
    assert saved[-1][1] == "Copié." and saved[-1][0] != elsewhere
    latest = CharterIterationPage.objects.get(pk=iteration.pk).get_latest_revision_as_object()
    assert [key for key, _text in factories.body_texts(latest)].count(elsewhere) == 1


def test_a_frozen_text_refuses_the_change_and_keeps_what_was_typed(
    editor_client, iteration, editor
):
    services.iteration_open(iteration=iteration, by=editor)
    iteration = CharterIterationPage.objects.get(pk=iteration.pk)
    keys = [p["id"] for p in first_article(iteration)["value"]["paragraphs"]]
    revisions = iteration.revisions.count()
    rows = [(key, f"<p>Alinéa {i}.</p>", i, False) for i, key in enumerate(keys, start=1)]
    rows[0] = (keys[0], "<p>Une autre rédaction, après l’ouverture.</p>", 1, False)
    response = editor_client.post(
        article_url(iteration, first_article(iteration)["id"]), article_data(iteration, rows)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "figé depuis" in html and "nouvelle itération" in html
    assert shown("Une autre rédaction, après l’ouverture.") in html
    page = CharterIterationPage.objects.get(pk=iteration.pk)
    assert page.revisions.count() == revisions
    assert factories.body_texts(page.get_latest_revision_as_object()) == factories.body_texts(
        iteration
    )


def test_a_stale_form_is_refused_and_keeps_what_was_typed(editor_client, iteration, editor):
    in_english_admin(editor)
    keys = [p["id"] for p in first_article(iteration)["value"]["paragraphs"]]
    opened_at = iteration.get_latest_revision().pk
    iteration.get_latest_revision_as_object().save_revision(user=editor)  # someone else saves
    rows = [(key, f"<p>Alinéa {i}.</p>", i, False) for i, key in enumerate(keys, start=1)]
    rows[0] = (keys[0], "<p>Ma version, tapée entre-temps.</p>", 1, False)
    data = article_data(iteration, rows, revision=opened_at)
    response = editor_client.post(article_url(iteration, first_article(iteration)["id"]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone saved this text since you opened this form" in html
    assert shown("Ma version, tapée entre-temps.") in html
    assert current(iteration)[0][1].startswith("Alinéa 1 : la commune")


def test_a_moderator_cannot_open_the_article_editor(client, iteration):
    moderator = factories.UserFactory(username="moderator", role=roles.MODERATORS)
    client.force_login(moderator)
    key = first_article(iteration)["id"]
    refused = client.get(article_url(iteration, key))  # Wagtail's admin: back home, with a message
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    rows = [
        (p["id"], "<p>X.</p>", 1, False) for p in first_article(iteration)["value"]["paragraphs"]
    ]
    refused = client.post(article_url(iteration, key), article_data(iteration, rows))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert factories.body_texts(
        CharterIterationPage.objects.get(pk=iteration.pk).get_latest_revision_as_object()
    ) == factories.body_texts(iteration)


def test_add_an_article_to_a_section_and_a_new_section(editor_client, iteration):
    body = iteration.body.raw_data
    section_key = body[0]["id"]
    data = article_data(iteration, [("", "<p>Premier alinéa.</p>", 1, False)], initial=0)
    data["title"] = "Article ajouté"
    response = editor_client.post(
        reverse("charte_article_add", args=[iteration.pk, section_key]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = CharterIterationPage.objects.get(pk=iteration.pk).get_latest_revision_as_object()
    added = latest.body.raw_data[0]["value"]["articles"][-1]
    assert added["value"]["title"] == "Article ajouté"
    data = article_data(latest, [("", "<p>Alinéa du titre.</p>", 1, False)], initial=0)
    data.update(title="Article du titre", section_title="Titre nouveau")
    response = editor_client.post(reverse("charte_section_add", args=[iteration.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    latest = CharterIterationPage.objects.get(pk=iteration.pk).get_latest_revision_as_object()
    assert latest.body.raw_data[-1]["value"]["title"] == "Titre nouveau"
    assert factories.body_texts(latest)[-1][1] == "Alinéa du titre."


def test_rename_a_section_and_delete_an_article(editor_client, iteration):
    section_key = iteration.body.raw_data[0]["id"]
    response = editor_client.post(
        reverse("charte_section_edit", args=[iteration.pk, section_key]),
        {"title": "Titre premier", "revision": iteration.get_latest_revision().pk},
    )
    assert response.status_code == 302
    latest = CharterIterationPage.objects.get(pk=iteration.pk).get_latest_revision_as_object()
    assert latest.body.raw_data[0]["value"]["title"] == "Titre premier"
    second = latest.body.raw_data[0]["value"]["articles"][1]["id"]
    data = {"revision": latest.get_latest_revision().pk, "delete-article": ""}
    response = editor_client.post(article_url(iteration, second), data)
    assert response.status_code == 302
    latest = CharterIterationPage.objects.get(pk=iteration.pk).get_latest_revision_as_object()
    assert [a["id"] for a in latest.body.raw_data[0]["value"]["articles"]] == [
        first_article(iteration)["id"]
    ]


def test_the_article_editor_in_english(editor_client, iteration, editor):
    in_english_admin(editor)
    html = editor_client.get(edit_url(iteration)).content.decode()
    assert "This text has 6 paragraphs: it is edited article by article." in html
    key = first_article(iteration)["id"]
    html = editor_client.get(article_url(iteration, key)).content.decode()
    assert "Save and publish" in html and "Back to the page" in html
