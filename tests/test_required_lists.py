"""A required list (``<select required>``) starts with an empty choice, as HTML requires (its
placeholder), and forms still show the choice a person most likely makes as selected."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from charte.discussions.services import comment_post
from charte.models import Paragraph
from charte.texts import services
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


class Selects(HTMLParser):
    """Every select of a page: its attributes and its options (value, selected)."""

    def __init__(self):
        super().__init__()
        self.selects = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.selects.append({"attrs": attrs, "options": []})
        elif tag == "option" and self.selects:
            self.selects[-1]["options"].append((attrs.get("value"), "selected" in attrs))


def required_selects(html):
    parser = Selects()
    parser.feed(html)
    return {s["attrs"]["name"]: s["options"] for s in parser.selects if "required" in s["attrs"]}


def assert_placeholders(selects):
    assert selects
    for name, options in selects.items():
        assert options[0][0] == "", name


@pytest.mark.parametrize(("prefix", "language"), [("", "fr"), ("/en", "en")])
def test_sign_up_lists_start_empty_and_propose_the_likely_choice(client, prefix, language):
    selects = required_selects(client.get(f"{prefix}/accounts/signup/").content.decode())
    assert set(selects) == {"author_type", "preferred_language"}
    assert_placeholders(selects)
    assert [value for value, selected in selects["author_type"] if selected] == ["resident"]
    assert [value for value, selected in selects["preferred_language"] if selected] == [language]


def test_the_profile_list_starts_empty_and_shows_the_persons_choice(client):
    user = make_citizen()
    user.author_type = "association"
    user.save()
    client.force_login(user)
    selects = required_selects(client.get(reverse("account_profile")).content.decode())
    assert_placeholders(selects)
    assert [value for value, selected in selects["author_type"] if selected] == ["association"]


def test_the_report_list_starts_empty(client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).order_by("position").first()
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="Un avis")
    client.force_login(make_citizen("sam", "Sam"))
    page = f"{iteration.url}p/{paragraph.key}/?report={comment.pk}"
    selects = required_selects(client.get(page).content.decode())
    assert_placeholders(selects)
    assert "reason" in selects
