"""Short addresses printed on paper (« /t/12/3/ »): they lead to an article of a version, in
the reader's language, and never to what the public cannot read."""

import pytest
from wagtail.models import PageViewRestriction

from tests.charte.texts.test_public_pages import translate

pytestmark = pytest.mark.django_db


def test_a_short_address_leads_to_the_article_on_the_french_page(client, opened):
    response = client.get(f"/t/{opened.pk}/2/")
    assert response.status_code == 302
    assert response["Location"] == f"{opened.url}#article-2"
    # The anchor is the article's heading on the version's page.
    assert 'id="article-2"' in client.get(opened.url).content.decode()


def test_in_english_it_leads_to_the_english_page(client, opened, english):
    translated = translate(opened, english)
    response = client.get(f"/en/t/{opened.pk}/1/")
    assert response.status_code == 302
    assert response["Location"] == f"{translated.url}#article-1"
    assert translated.url.startswith("/en/")
    # The English page's own id leads to the same place.
    assert client.get(f"/en/t/{translated.pk}/1/")["Location"] == f"{translated.url}#article-1"
    # And the French address of the English id to the French page.
    assert client.get(f"/t/{translated.pk}/1/")["Location"] == f"{opened.url}#article-1"


def test_in_english_an_untranslated_version_opens_in_french(client, opened, english):
    response = client.get(f"/en/t/{opened.pk}/1/")
    assert response.status_code == 302
    assert response["Location"] == f"{opened.url}#article-1"


def test_a_draft_version_has_short_addresses_too(client, iteration):
    assert client.get(f"/t/{iteration.pk}/1/")["Location"] == f"{iteration.url}#article-1"


@pytest.mark.parametrize(
    "address",
    ["/t/{pk}/3/", "/t/{pk}/0/", "/t/999999/1/", "/en/t/999999/1/", "/t/{charter}/1/"],
)
def test_an_unknown_version_or_article_is_not_found(client, opened, address):
    # Six paragraphs, five per article: two articles.
    url = address.format(pk=opened.pk, charter=opened.get_parent().pk)
    response = client.get(url)
    assert response.status_code == 404
    assert "skip-link" in response.content.decode()


def test_an_address_that_is_not_a_number_is_not_found(client, opened):
    assert client.get(f"/t/{opened.pk}/deux/").status_code == 404
    assert client.get("/t/abc/1/").status_code == 404


def test_a_version_the_public_cannot_read_has_no_short_address(client, opened, editor):
    PageViewRestriction.objects.create(page=opened, restriction_type="login")
    assert client.get(f"/t/{opened.pk}/1/").status_code == 404
    PageViewRestriction.objects.all().delete()
    opened.unpublish()
    assert client.get(f"/t/{opened.pk}/1/").status_code == 404
