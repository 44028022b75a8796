"""The accessibility statement (RGAA 4.1's model) and the site map, in French and English, linked
from every page's footer with the state of conformance, as the RGAA asks."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from charte.texts import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "footer", "heading", "remedy", "phone"),
    [
        (
            "/accessibilite/",
            "Accessibilité\u00a0: non conforme",
            "Déclaration d’accessibilité",
            "Défenseur des droits",
            "09\u00a069\u00a039\u00a000\u00a000",
        ),
        (
            "/en/accessibility/",
            "Accessibility: not compliant",
            "Accessibility statement",
            "ombudsman",
            "09 69 39 00 00",
        ),
    ],
)
def test_the_statement_says_the_state_of_conformance_and_the_remedies(
    client, address, footer, heading, remedy, phone
):
    html = client.get(address).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'href="{address}">{footer}</a>' in html  # the footer, on this page as on every one
    assert remedy in html and phone in html and "RGAA" in html


def test_a_statement_after_an_audit(client, settings):
    settings.ACCESSIBILITY_STATUS = "partial"
    settings.ACCESSIBILITY_AUDIT_DATE = datetime.date(2027, 1, 15)
    settings.ACCESSIBILITY_AUDIT_RATE = 82
    settings.ACCESSIBILITY_CONTACT = "accessibilite@ville.example"
    html = client.get("/accessibilite/").content.decode()
    assert "<strong>partiellement conforme</strong>" in html
    assert "le 15 janvier 2027 révèle que 82\u00a0% des critères" in html
    assert '<a href="mailto:accessibilite@ville.example">' in html
    assert "Aucun audit" not in html
    assert "Accessibilité\u00a0: partiellement conforme</a>" in client.get("/").content.decode()


def test_every_page_links_both_from_its_footer(client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    html = client.get(iteration.url).content.decode()
    footer = html.split('<footer class="site-footer"', 1)[1]
    assert 'href="/accessibilite/"' in footer and 'href="/plan-du-site/"' in footer


def test_the_site_map_lists_the_public_pages_in_the_readers_language(client, iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    charter = iteration.get_parent()
    html = client.get("/plan-du-site/").content.decode()
    assert "<h1>Plan du site</h1>" in html
    assert f'<a href="{charter.url}">{charter.title}</a>' in html
    assert f'<a href="{iteration.url}">{iteration.title}</a>' in html
    assert 'href="/recherche/"' in html and 'href="/accessibilite/"' in html

    PageViewRestriction.objects.create(page=charter, restriction_type="login")
    html = client.get("/plan-du-site/").content.decode()
    assert f'href="{charter.url}"' not in html and f'href="{iteration.url}"' not in html
    english = client.get("/en/site-map/").content.decode()
    assert "<h1>Site map</h1>" in english and 'href="/en/search/"' in english
