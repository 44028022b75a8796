"""The account forms (allauth's sign-up, sign-in and password pages, the profile) follow the
GOV.UK pattern: a summary of every error at the top, each linked to its field; each field's
hint and error in block elements tied to it by aria-describedby; valid HTML (the password rules
are a list in a block, not in a <span> inside a <p>)."""

import re

import pytest
from django.urls import reverse

from tests.charte.discussions.test_comments import make_citizen
from tests.html_structure import structure_problems

pytestmark = pytest.mark.django_db


def summary_links(html):
    summary = html.split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


@pytest.mark.parametrize(
    ("prefix", "problem", "required"),
    [
        ("", "Il y a un problème", "Champ requis."),
        ("/en", "There is a problem", "This field is required."),
    ],
)
def test_a_refused_sign_up_lists_every_error_linked_to_its_field(client, prefix, problem, required):
    response = client.post(f"{prefix}/accounts/signup/", {"pseudonym": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert problem in html
    links = dict(summary_links(html))
    assert {"id_email", "id_pseudonym", "id_password1"} <= set(links)
    assert links["id_email"] == required
    # Each field points at its hint and its error, which exist with those ids.
    field = re.search(r'<input[^>]*id="id_password1"[^>]*>', html).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    assert described == ["id_password1_helptext", "id_password1_error"]
    for target in described:
        assert f'id="{target}"' in html
    assert 'aria-invalid="true"' in field
    # The password rules are a list in a block: nothing the parser would break apart.
    assert structure_problems(html) == []
    value = re.search(r'<input[^>]*id="id_pseudonym"[^>]*>', html).group(0)
    assert 'value="x"' in value  # what was typed is kept


def test_a_wrong_password_is_summarised(client):
    user = make_citizen()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "faux"})
    html = response.content.decode()
    assert "Il y a un problème" in html
    summary = html.split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    assert "<li>L’adresse e-mail ou le mot de passe sont incorrects.</li>" in summary
