"""The synthesis as a reverse proxy and a browser see it: a closed consultation's figures
computed once and kept, tagged and confirmed with 304, and changed at once by a late
moderation decision or an answer; an open consultation's page is never kept past its close."""

import re

import pytest
from django.utils import timezone

from charte.amendments.services import amendment_answer_correct
from charte.discussions.models import Comment
from charte.texts import services
from tests.charte.publications.test_synthesis import consulted  # noqa: F401 – a fixture

pytestmark = pytest.mark.django_db


def key_figure(html, label):
    """The number shown for ``label`` among the key figures."""
    match = re.search(rf"<dt>{label}</dt><dd>(\d+)</dd>", html)
    assert match, label
    return int(match.group(1))


def count_figures(monkeypatch):
    import charte.publications.synthesis

    calls = []
    original = charte.publications.synthesis.figures

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(charte.publications.synthesis, "figures", counted)
    return calls


def test_a_closed_synthesis_is_computed_once_then_kept_and_confirmed_with_304(
    client,
    consulted,  # noqa: F811
    monkeypatch,
):
    page, _rows, _amendment = consulted
    calls = count_figures(monkeypatch)
    address = f"{page.url}synthesis/"
    response = client.get(address)
    etag = response.headers["ETag"]
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    assert key_figure(response.content.decode(), "Commentaires") == 2
    assert len(calls) == 1

    second = client.get(address)
    assert len(calls) == 1  # the kept figures
    assert second.content == response.content and second.headers["ETag"] == etag
    again = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert len(calls) == 1


def test_a_late_moderation_decision_changes_the_tag_and_the_figures(
    client,
    consulted,  # noqa: F811
):
    page, rows, _amendment = consulted
    address = f"{page.url}synthesis/"
    response = client.get(address)
    etag = response.headers["ETag"]
    assert key_figure(response.content.decode(), "Commentaires") == 2

    # After the close, a moderator hides a comment that was visible.
    visible = Comment.objects.get(comment__contains="HYPERLINK")
    visible.hidden_at = timezone.now()
    visible.save()
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.headers["ETag"] != etag
    html = response.content.decode()
    assert key_figure(html, "Commentaires") == 1
    assert key_figure(html, "Contributions") == 2

    # And restores it.
    visible.hidden_at = None
    visible.save()
    assert key_figure(client.get(address).content.decode(), "Commentaires") == 2


def test_a_changed_answer_changes_the_tag_and_the_figures(client, consulted, editor):  # noqa: F811
    page, _rows, amendment = consulted
    address = f"{page.url}synthesis/"
    response = client.get(address)
    etag = response.headers["ETag"]
    assert "Finalement non." not in response.content.decode()
    amendment_answer_correct(
        amendment=amendment,
        status="rejected",
        response="Finalement non.",
        reason="Le budget ne le permet pas.",
        by=editor,
    )
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.headers["ETag"] != etag
    assert "Finalement non." in response.content.decode()


def test_an_open_consultations_synthesis_is_not_kept_past_its_close(client, opened, editor):
    address = f"{opened.url}synthesis/"
    response = client.get(address)
    etag = response.headers["ETag"]
    assert "publié à la clôture de la consultation" in response.content.decode()
    assert client.get(address, HTTP_IF_NONE_MATCH=etag).status_code == 304

    services.iteration_close(iteration=opened, by=editor)
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.headers["ETag"] != etag
    assert '<dl class="key-figures">' in response.content.decode()


def test_signed_in_readers_get_a_private_synthesis_and_never_304(
    client,
    consulted,  # noqa: F811
    editor,
):
    page, _rows, _amendment = consulted
    address = f"{page.url}synthesis/"
    etag = client.get(address).headers["ETag"]
    client.force_login(editor)
    response = client.get(address, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "ETag" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]
