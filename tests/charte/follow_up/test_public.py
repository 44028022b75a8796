"""The public follow-up: the page of a charter's commitments and each commitment's page."""

import pytest

pytestmark = pytest.mark.django_db


def test_smoke(client, commitment, adopted):
    charter = adopted.get_parent().specific
    html = client.get(charter.url).content.decode()
    print(html.split("adopted-title", 1)[1][:2000])
    html = client.get(adopted.url).content.decode()
    print(html.split("article-1", 1)[1][:1500])
