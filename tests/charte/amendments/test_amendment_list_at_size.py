"""The list of amendments at the size of a busy consultation: 300 amendments cost the same
few queries as five, whatever the sort or the filter, and each page shows the right ones."""

import re

import pytest

from charte.amendments.services import amendment_support
from charte.models import Paragraph
from tests.charte.amendments.test_amendment_pages import propose
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(opened):
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    authors = [make_citizen(f"a{n}", f"Auteur {n}") for n in range(6)]
    amendments = []
    for n in range(300):
        amendments.append(propose(rows[n % len(rows)], authors[n % 6], kind="delete"))
    # Number 42 is the most supported, 7 the next.
    for supporter in authors[1:5]:
        amendment_support(amendment=amendments[41], by=supporter, value="agree")
    amendment_support(amendment=amendments[6], by=authors[1], value="mixed")
    amendment_support(amendment=amendments[6], by=authors[2], value="disagree")
    return opened


def numbers(html):
    return [int(n) for n in re.findall(r"Amendement n° (\d+)</a>", html)]


def test_300_amendments_in_constant_queries(client, busy, django_assert_max_num_queries):
    listing = f"{busy.url}amendments/"
    client.get(listing)
    for query in ("", "?sort=newest&page=3", "?sort=discussed", "?article=1&status=submitted"):
        # The same budget as for five amendments (test_amendment_pages).
        with django_assert_max_num_queries(18):
            response = client.get(listing + query)
        assert response.status_code == 200


def test_the_pages_of_300_amendments_show_the_right_ones(client, busy):
    listing = f"{busy.url}amendments/"
    html = client.get(listing).content.decode()
    assert "300 amendements" in html
    assert numbers(html)[:2] == [42, 7]
    assert len(numbers(html)) == 20
    assert "4 d’accord · 0 réservés · 0 pas d’accord" in html
    assert "0 d’accord · 1 réservés · 1 pas d’accord" in html
    third = client.get(listing + "?sort=newest&page=3").content.decode()
    assert numbers(third) == list(range(260, 240, -1))
    assert "Page 3 sur 15" in third
    mine = client.get(listing + "?status=accepted").content.decode()
    assert "0 amendement" in mine
