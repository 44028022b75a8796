"""The comment library's weak defaults are not reachable, and nothing calls a third party."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from charte.discussions.services import comment_post
from charte.models import Comment, Paragraph
from charte.texts import services
from tests import factories
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/comments/post/", "/comments/api/feedback/", "/comments/sent/", "/comments/confirm/x/"],
)
def test_the_librarys_generic_endpoints_do_not_exist(client, path):
    """No generic « post a comment on any object » endpoint, no pickle-signed confirmation."""
    charter = factories.make_charter()
    response = client.post(
        path,
        {
            "content_type": "wagtailcore.page",
            "object_pk": str(charter.pk),
            "name": "Le Maire",
            "email": "maire@example.org",
            "comment": "Message officiel",
        },
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_only_frozen_paragraphs_are_commented(client, iteration, editor):
    """A draft has no paragraph rows, and only Paragraph is ever a comment target."""
    client.force_login(make_citizen())
    assert (
        client.post(
            url(iteration, type("P", (), {"key": "x"})(), "comment/"),
            {"comment": "Sur un brouillon"},
        ).status_code
        == 404
    )
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).first()
    comment_post(paragraph=paragraph, by=make_citizen("b", "B"), text="Sur un alinéa")
    types = set(Comment.objects.values_list("content_type", flat=True))
    assert types == {ContentType.objects.get_for_model(Paragraph).pk}


def test_no_third_party_address_in_pages_or_admin(client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).first()
    author = make_citizen()
    comment_post(paragraph=paragraph, by=author, text="Un avis")
    pages = [client.get(url(iteration, paragraph)).content.decode()]
    client.force_login(editor)
    pages.append(client.get("/admin/").content.decode())
    for html in pages:
        assert "gravatar" not in html.lower()
        # Resources a browser would load (links people may follow are not requests).
        sources = re.findall(r'src="(https?://[^"]+)"', html)
        sources += re.findall(r'<link[^>]+href="(https?://[^"]+)"', html)
        assert not [s for s in sources if "testserver" not in s and "localhost" not in s], sources
