"""The demo's identity and institutional pages: the town's name and sender, its legal notice,
privacy notice and moderation rules in French and, through wagtail-localize, in English."""

import pytest
from django.contrib.sites.models import Site as DjangoSite

from charte.core import identity
from home.demo import demo_institutional
from home.models import ContentPage
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_demo_writes_the_identity_and_the_pages_in_both_languages(client, english):
    editor = factories.editor()
    factories.home_page().copy_for_translation(english).save_revision().publish()
    assert demo_institutional(editor=editor) is True

    current = identity.current()
    assert current.name == "Saint-Aubin-des-Lavandes participe"
    assert current.from_email == (
        "Ville de Saint-Aubin-des-Lavandes <participation@saint-aubin-des-lavandes.example>"
    )
    assert DjangoSite.objects.get_current().name == "Saint-Aubin-des-Lavandes participe"

    french = client.get("/").content.decode()
    footer = french.split('<footer class="site-footer"', 1)[1]
    assert '<a href="/mentions-legales/">Mentions légales</a>' in footer
    assert '<a href="/donnees-personnelles/">Données personnelles</a>' in footer
    assert '<a href="/regles-de-moderation/">Règles de modération</a>' in footer
    english_footer = client.get("/en/").content.decode().split('<footer class="site-footer"')[1]
    assert '<a href="/en/legal-notice/">Legal notice</a>' in english_footer
    assert '<a href="/en/privacy-notice/">Privacy notice</a>' in english_footer
    assert '<a href="/en/moderation-rules/">Moderation rules</a>' in english_footer

    legal = client.get("/mentions-legales/").content.decode()
    assert "<caption>Qui publie et héberge le site</caption>" in legal
    assert "Téléphone\u202f: 01 99 00 12 34" in legal  # French typography
    privacy = client.get("/en/privacy-notice/").content.decode()
    assert "<h2>Your rights</h2>" in privacy and "Erased when the consultation closes." in privacy
    assert "Vos droits" not in privacy
    rules = client.get("/en/moderation-rules/").content.decode()
    assert "<li>messages repeated word for word.</li>" in rules

    signup = client.get("/en/accounts/signup/").content.decode()
    assert '<a href="/en/moderation-rules/">moderation rules</a>' in signup
    assert '<a href="/en/privacy-notice/">privacy notice</a>' in signup

    assert demo_institutional(editor=editor) is False  # once
    assert ContentPage.objects.count() == 6
