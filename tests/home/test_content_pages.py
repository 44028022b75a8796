"""Institutional pages (legal notice, privacy notice, moderation rules…): a content page the team
writes and translates, a footer menu the team orders in the admin's settings, and sign-up
linking the moderation rules and the privacy notice beside the consent to them."""

import pytest
from django.urls import reverse
from wagtail.models import Site
from wagtail.users.models import UserProfile

from home.models import ContentPage, InstitutionalPages
from tests import factories
from tests.accounts.test_accounts import signup_data
from tests.html_structure import structure_problems

pytestmark = pytest.mark.django_db

PAGES = [
    # slug fr, title fr, slug en, title en
    ("mentions-legales", "Mentions légales", "legal-notice", "Legal notice"),
    ("confidentialite", "Politique de confidentialité", "privacy-notice", "Privacy notice"),
    ("moderation", "Règles de modération", "moderation-rules", "Moderation rules"),
]


def body(title):
    return [
        {"type": "heading", "value": {"text": f"{title} : éditeur", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Le site est publié par la <b>Ville</b>.</p>"},
        {"type": "heading", "value": {"text": "Hébergement", "level": "h3"}},
        {
            "type": "table",
            "value": {
                "caption": "Qui fait le site",
                "label_heading": "Rôle",
                "value_heading": "Organisme",
                "rows": [
                    {"label": "Éditeur", "value": "Ville de Saint-Aubin\n1 place de la Mairie"},
                    {"label": "Hébergeur", "value": "Hébergeur public"},
                ],
            },
        },
    ]


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def institutional(english):
    """Three content pages in French and English, chosen in the footer menu and for sign-up."""
    home = factories.home_page()
    english_home = publish(home.copy_for_translation(english))
    pages = {}
    for slug, title, english_slug, english_title in PAGES:
        page = home.add_child(instance=ContentPage(title=title, slug=slug, body=body(title)))
        publish(page)
        translated = page.copy_for_translation(english)
        translated.title, translated.slug = english_title, english_slug
        translated.body = body(english_title)
        publish(translated)
        pages[slug] = page
    assert english_home.live
    setting = InstitutionalPages.for_site(Site.objects.get(is_default_site=True))
    setting.footer_links = [("page", page) for page in pages.values()]
    setting.privacy_notice = pages["confidentialite"]
    setting.moderation_rules = pages["moderation"]
    setting.save()
    return pages


def footer(html):
    return html.split('<footer class="site-footer"', 1)[1]


def test_the_footer_links_the_four_pages_in_french(client, institutional):
    links = footer(client.get("/").content.decode())
    assert '<a href="/mentions-legales/">Mentions légales</a>' in links
    assert '<a href="/confidentialite/">Politique de confidentialité</a>' in links
    assert '<a href="/moderation/">Règles de modération</a>' in links
    assert 'href="/accessibilite/">Accessibilité\u00a0: non conforme</a>' in links
    order = [links.index(title) for _, title, _, _ in PAGES]
    assert order == sorted(order)  # the team's order


def test_the_footer_links_the_english_pages_in_english(client, institutional):
    links = footer(client.get("/en/").content.decode())
    assert '<a href="/en/legal-notice/">Legal notice</a>' in links
    assert '<a href="/en/privacy-notice/">Privacy notice</a>' in links
    assert '<a href="/en/moderation-rules/">Moderation rules</a>' in links
    assert 'href="/en/accessibility/">Accessibility: not compliant</a>' in links
    assert "Mentions légales" not in links


def test_an_unpublished_page_leaves_the_footer(client, institutional):
    client.get("/")  # the footer is cached…
    institutional["mentions-legales"].unpublish()  # …and forgotten when a page changes
    links = footer(client.get("/").content.decode())
    assert "Mentions légales" not in links
    assert "Règles de modération" in links


def test_the_footer_costs_no_query_once_cached(client, institutional):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/plan-du-site/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/plan-du-site/")
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "home_institutionalpages" not in tables
    assert "charte_siteidentity" not in tables


def test_the_content_page_renders_its_blocks(client, institutional):
    html = client.get("/mentions-legales/").content.decode()
    assert "<h1>Mentions légales</h1>" in html
    assert "<h2>Mentions légales : éditeur</h2>" in html
    assert "<h3>Hébergement</h3>" in html
    assert "<p>Le site est publié par la <b>Ville</b>.</p>" in html
    assert "<caption>Qui fait le site</caption>" in html
    assert '<th scope="col">Rôle</th><th scope="col">Organisme</th>' in html
    assert (
        '<tr><th scope="row">Éditeur</th><td>Ville de Saint-Aubin<br>1 place de la Mairie</td>'
        in html
    )
    assert structure_problems(html) == []
    english = client.get("/en/legal-notice/").content.decode()
    assert "<h1>Legal notice</h1>" in english and 'lang="en"' in english


@pytest.mark.parametrize(
    ("address", "rules", "privacy", "hint"),
    [
        (
            "/accounts/signup/",
            '<a href="/moderation/">règles de modération</a>',
            '<a href="/confidentialite/">politique de confidentialité</a>',
            "J’accepte les règles de modération",
        ),
        (
            "/en/accounts/signup/",
            '<a href="/en/moderation-rules/">moderation rules</a>',
            '<a href="/en/privacy-notice/">privacy notice</a>',
            "I accept the moderation rules",
        ),
    ],
)
def test_sign_up_links_the_rules_and_the_privacy_notice_beside_the_consent(
    client, institutional, address, rules, privacy, hint
):
    html = client.get(address).content.decode()
    assert rules in html and privacy in html
    assert '<input type="checkbox" name="accept_rules"' in html
    assert hint in html


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("/accounts/signup/", "Acceptez les règles de modération pour créer votre compte"),
        ("/en/accounts/signup/", "Accept the moderation rules to create your account"),
    ],
)
def test_sign_up_without_the_consent_is_refused_and_keeps_what_was_typed(
    client, institutional, address, error
):
    data = signup_data(territory="Le Port")
    del data["accept_rules"]
    response = client.post(address, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert 'value="Léa du Port"' in html and 'value="lea@example.org"' in html


def test_sign_up_without_institutional_pages_names_them_without_links(client):
    html = client.get("/accounts/signup/").content.decode()
    assert "Lisez les règles de modération" in html
    assert 'href="/moderation/"' not in html


@pytest.mark.parametrize(
    ("language", "label", "saved"),
    [("fr", "Menu du pied de page", "enregistré"), ("en", "Footer menu", "updated")],
)
def test_the_team_orders_the_footer_menu_in_the_admin(
    client, institutional, language, label, saved
):
    """Wagtail's settings view, in the team member's language: the menu is reordered."""
    editor = factories.editor()
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    client.force_login(editor)
    site = Site.objects.get(is_default_site=True)
    address = reverse("wagtailsettings:edit", args=["home", "institutionalpages", site.pk])
    assert label in client.get(address).content.decode()
    order = [institutional["moderation"], institutional["mentions-legales"]]
    data = {"footer_links-count": str(len(order))}
    for index, page in enumerate(order):
        data.update(
            {
                f"footer_links-{index}-type": "page",
                f"footer_links-{index}-id": "",
                f"footer_links-{index}-deleted": "",
                f"footer_links-{index}-order": str(index),
                f"footer_links-{index}-value": str(page.pk),
            }
        )
    data["privacy_notice"] = str(institutional["confidentialite"].pk)
    data["moderation_rules"] = str(institutional["moderation"].pk)
    response = client.post(address, data, follow=True)
    assert saved in response.content.decode()
    client.logout()
    links = footer(client.get("/en/").content.decode())
    assert links.index("Moderation rules") < links.index("Legal notice")
    assert "Privacy notice" not in links
