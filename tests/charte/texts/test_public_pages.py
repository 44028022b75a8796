"""What the public sees: every iteration and every paragraph at a permanent address, in French
and in English, rendered in a number of queries that does not grow with the text."""

import copy
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charte.models import CharterIterationPage
from charte.texts import services
from tests import factories

pytestmark = pytest.mark.django_db


def anchors(html):
    return re.findall(r'id="p-([0-9a-f-]{36})"', html)


def test_iteration_page_numbers_articles_and_anchors_every_paragraph(client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    response = client.get(iteration.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert anchors(html) == [key for key, _ in factories.body_texts(iteration)]
    assert "Article 1" in html and "Article 2" in html
    assert "Consultation open until" in html or "Consultation ouverte jusqu" in html


def test_every_paragraph_has_a_permanent_address(client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    key, text = factories.body_texts(iteration)[6 - 1]
    url = f"{iteration.url}p/{key}/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert text.replace("’", "&#x27;") in body or text in body
    assert f'href="{url}"' in client.get(iteration.url).content.decode()
    assert client.get(f"{iteration.url}p/not-a-key/").status_code == 404


def test_a_draft_has_no_paragraph_addresses_yet(client, iteration):
    key, _ = factories.body_texts(iteration)[0]
    assert client.get(f"{iteration.url}p/{key}/").status_code == 404


def test_paragraph_addresses_survive_the_next_iteration(client, charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    key, text = factories.body_texts(iteration)[0]
    v2 = services.iteration_start_next(charter=charter, by=editor)
    sections = copy.deepcopy(list(v2.body.raw_data))
    sections[0]["value"]["articles"][0]["value"]["paragraphs"].pop(0)  # deleted in v2
    v2.body = list(sections)
    v2.save_revision(user=editor).publish(user=editor)
    response = client.get(f"{iteration.url}p/{key}/")
    assert response.status_code == 200
    assert "Alinéa 1" in response.content.decode()


def test_unpublished_iteration_is_not_shown(client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    url = iteration.url
    iteration.unpublish()
    assert client.get(url).status_code == 404


def test_switcher_lists_the_versions(client, charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    v2 = services.iteration_start_next(charter=charter, by=editor)
    v2.save_revision(user=editor).publish(user=editor)
    html = client.get(v2.url).content.decode()
    assert f'href="{iteration.url}"' in html
    assert 'aria-current="page">Version 2<' in html


def test_charter_page_lists_iterations_with_their_state(client, charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    html = client.get(charter.url).content.decode()
    assert iteration.title in html
    assert "badge--consultation" in html


def test_home_page_shows_open_consultations_with_time_left(client, charter, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    html = client.get("/").content.decode()
    assert iteration.url in html
    assert re.search(r"(29|30) (days left|jours)", html)


def test_custom_404_page(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "skip-link" in response.content.decode()


def translate(page, locale):
    """An English translation whose body keeps the same block ids, with its own wording."""
    translated = page.copy_for_translation(locale, copy_parents=True)
    body = copy.deepcopy(list(translated.body.raw_data))
    for section in body:
        section["value"]["title"] = "Title " + section["value"]["title"]
        for article in section["value"]["articles"]:
            article["value"]["title"] = "Article " + article["value"]["title"]
            for paragraph in article["value"]["paragraphs"]:
                paragraph["value"] = "In English: " + paragraph["value"]
    translated.body = list(body)
    translated.slug = "version-1"
    translated.save_revision().publish()
    return CharterIterationPage.objects.get(pk=translated.pk)


def test_english_translation_shows_the_same_paragraph_keys(client, iteration, editor, english):
    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)
    assert translated.url.startswith("/en/")
    response = client.get(translated.url)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert anchors(html) == anchors(client.get(iteration.url).content.decode())
    assert "In English: Alinéa 1" in html
    key, _ = factories.body_texts(iteration)[0]
    paragraph = client.get(f"{translated.url}p/{key}/").content.decode()
    assert "In English: Alinéa 1" in paragraph
    # The English page takes its lifecycle from the French one.
    assert translated.current_state() == "consultation"


def test_untranslated_paragraphs_are_shown_in_french_marked_as_such(
    client, iteration, editor, english
):
    translated = iteration.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    services.iteration_open(iteration=iteration, by=editor)  # frozen after the copy
    # The French text gains nothing later, but a translation may lag: simulate a missing one.
    translated = CharterIterationPage.objects.get(pk=translated.pk)
    body = copy.deepcopy(list(translated.body.raw_data))
    body[0]["value"]["articles"][0]["value"]["paragraphs"].pop(0)
    translated.body = list(body)
    translated.save_revision().publish()
    html = client.get(translated.url).content.decode()
    assert len(anchors(html)) == 6
    assert re.search(r'<div class="charter-paragraph__text" lang="fr"><p>Alinéa 1 ', html)


def test_language_switcher_links_to_the_translation(client, iteration, editor, english):
    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)
    html = client.get(iteration.url).content.decode()
    assert f'href="{translated.url}" lang="en"' in html


@pytest.mark.parametrize("count", [20, 200])
def test_iteration_page_query_budget(client, charter, editor, count, django_assert_max_num_queries):
    iteration = factories.make_iteration(charter, factories.body_with(count), user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    client.get(iteration.url)  # warm per-process caches (site root paths, locales)
    # + comment counts, amendment counts; + 1 for the language switch, which looks for the
    # nearest ancestor translated into English (this version has no English).
    with django_assert_max_num_queries(17):
        response = client.get(iteration.url)
    assert len(anchors(response.content.decode())) == count


def test_query_count_does_not_grow_with_paragraphs(client, charter, editor):
    counts = []
    for number, size in enumerate((10, 300)):
        c = factories.make_charter(title=f"Charte {number}", slug=f"charte-{number}", user=editor)
        iteration = factories.make_iteration(c, factories.body_with(size), user=editor)
        services.iteration_open(iteration=iteration, by=editor)
        client.get(iteration.url)
        with CaptureQueriesContext(connection) as queries:
            client.get(iteration.url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_paragraph_page_links_to_its_previous_wording(client, charter, iteration, editor):
    import datetime

    from django.utils import timezone

    services.iteration_open(iteration=iteration, by=editor)
    services.iteration_close(iteration=iteration, by=editor)
    v2 = services.iteration_start_next(charter=charter, by=editor)
    body = copy.deepcopy(list(v2.body.raw_data))
    first = body[0]["value"]["articles"][0]["value"]["paragraphs"][0]
    first["value"] = "Rédaction issue de la concertation."
    v2.body = body
    v2.save_revision(user=editor).publish(user=editor)
    services.iteration_open(
        iteration=v2, by=editor, closes_at=timezone.now() + datetime.timedelta(days=9)
    )
    html = client.get(f"{v2.url}p/{first['id']}/").content.decode()
    assert "reformulé depuis «\u00a0Version 1\u00a0»" in html
    assert f'href="{iteration.url}p/{first["id"]}/"' in html
    second = body[0]["value"]["articles"][0]["value"]["paragraphs"][1]["id"]
    assert (
        "inchangé depuis «\u00a0Version 1\u00a0»"
        in client.get(f"{v2.url}p/{second}/").content.decode()
    )


def test_french_dates_say_premier(db):
    import datetime

    from django.utils import translation

    from charte.core.formatting import format_datetime

    value = datetime.datetime(
        2027, 1, 1, 18, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    with translation.override("fr"):
        assert format_datetime(value) == "1er janvier 2027 à 18 h 30"
    with translation.override("en"):
        assert format_datetime(value) == "1 January 2027 at 6:30 pm"


def test_english_page_query_budget(client, charter, editor, english, django_assert_max_num_queries):
    iteration = factories.make_iteration(charter, factories.body_with(200), user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    translated = translate(iteration, english)
    client.get(translated.url)
    # 21: one of them asks wagtail-localize which wordings are still untranslated.
    with django_assert_max_num_queries(21):
        response = client.get(translated.url)
    assert len(anchors(response.content.decode())) == 200
