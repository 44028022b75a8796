"""The public follow-up: the page of a charter's commitments and each commitment's page."""

import pytest

pytestmark = pytest.mark.django_db


def test_smoke(client, commitment, adopted):
    charter = adopted.get_parent().specific
    response = client.get(charter.route_url("follow_up"))
    assert response.status_code == 200, response.content.decode()[:3000]
    print(response.content.decode().split("<main", 1)[1])
    response = client.get(commitment.get_url())
    assert response.status_code == 200
    print(response.content.decode().split("<main", 1)[1])
