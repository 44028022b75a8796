"""The answer form asks for a choice (nothing preselected) and the inbox says each amendment's
version, filterable."""

import re

import pytest
from wagtail.users.models import UserProfile

from charte.models import Amendment
from tests import factories
from tests.charte.amendments.test_amendment_inbox import INBOX, amendments  # noqa: F401

pytestmark = pytest.mark.django_db


def signed_in(client, user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def test_no_answer_is_preselected_and_the_choice_is_radios(client, editor, amendments):  # noqa: F811
    _answered, waiting = amendments
    form = signed_in(client, editor, "fr").get(f"{INBOX}edit/{waiting.pk}/").content.decode()
    assert 'type="radio" name="status" value="accepted"' in form
    assert "checked" not in form.split('name="status"', 1)[1].split("</fieldset>", 1)[0]
    assert "<select" not in form.split('name="status"', 1)[0].rsplit("<div", 3)[-1]


@pytest.mark.parametrize(
    "language, error",
    [
        ("fr", "Choisissez accepté, accepté en partie ou rejeté."),
        ("en", "Choose accepted, partially accepted or rejected."),
    ],
)
def test_reasons_without_a_choice_are_refused_and_kept(client, editor, amendments, language, error):  # noqa: F811
    _answered, waiting = amendments
    signed_in(client, editor, language)
    response = client.post(
        f"{INBOX}edit/{waiting.pk}/", {"response": "Nous reprenons l’idée, autrement."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert "Nous reprenons l’idée, autrement." in html
    assert Amendment.objects.get(pk=waiting.pk).status == "submitted"


def test_the_inbox_shows_and_filters_by_version(client, editor, amendments, opened):  # noqa: F811
    signed_in(client, editor, "en")
    html = client.get(INBOX).content.decode()
    assert "<th" in html and ">Version<" in html.replace("\n", "").replace(" ", "")
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", html)
    assert cells.count(opened.title) == 2
    one = client.get(f"{INBOX}?iteration={opened.pk}").content.decode()
    assert f"/admin/amendments/edit/{amendments[1].pk}/" in one
    other_charter = factories.make_charter("Autre charte", "autre-charte", user=editor)
    elsewhere = factories.make_iteration(other_charter, user=editor)
    other = client.get(f"{INBOX}?iteration={elsewhere.pk}").content.decode()
    assert f"/admin/amendments/edit/{amendments[1].pk}/" not in other
