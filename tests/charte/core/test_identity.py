"""The site's identity: from the environment until the team edits it in the admin's settings,
then in every page title, e-mail (sender, name, links) and the admin."""

import re

import pytest
from django.contrib.sites.models import Site as DjangoSite
from django.core import mail
from django.urls import reverse
from wagtail.models import Site

from charte.core import identity
from charte.models import SiteIdentity
from tests.accounts.test_accounts import signup_data
from tests.worker import work

pytestmark = pytest.mark.django_db


def test_the_environment_gives_the_first_identity(settings):
    settings.WAGTAIL_SITE_NAME = "Charte de Lavandes"
    settings.DEFAULT_FROM_EMAIL = "Mairie de Lavandes <ne-pas-repondre@lavandes.fr>"
    settings.SITE_CONTACT_EMAIL = "participation@lavandes.fr"
    SiteIdentity.objects.all().delete()
    current = identity.current()
    assert current.name == "Charte de Lavandes"
    assert current.from_email == "Mairie de Lavandes <ne-pas-repondre@lavandes.fr>"
    assert current.contact_email == "participation@lavandes.fr"
    assert current.absolute("/fr/x/") == "http://testserver/fr/x/"


def test_the_sites_framework_never_says_example_com():
    """After migrate, allauth's and comments-xtd's Site holds the identity, not the placeholder."""
    site = DjangoSite.objects.get_current()
    assert "example.com" not in (site.name + site.domain)
    assert site.name == identity.current().name


def test_the_identity_set_by_the_team_names_every_page_and_email(client):
    identity.identity_set(
        name="Lavandes participe",
        base_url="https://charte.lavandes.fr:8443",
        sender_name="Mairie de Lavandes",
        sender_email="ne-pas-repondre@lavandes.fr",
    )
    assert DjangoSite.objects.get_current().name == "Lavandes participe"
    assert DjangoSite.objects.get_current().domain == "charte.lavandes.fr:8443"
    assert Site.objects.get(is_default_site=True).site_name == "Lavandes participe"

    html = client.get(reverse("site_map")).content.decode()
    assert re.search(r"<title>[^<]* – Lavandes participe</title>", html)

    client.post(reverse("account_signup"), signup_data())
    (message,) = mail.outbox
    assert message.from_email == "Mairie de Lavandes <ne-pas-repondre@lavandes.fr>"
    assert "Lavandes participe" in message.subject + message.body
    assert identity.absolute("/fr/") == "https://charte.lavandes.fr:8443/fr/"


def test_links_in_notifications_use_the_sites_address():
    from charte.discussions.notifications import absolute

    identity.identity_set(base_url="https://charte.lavandes.fr")
    assert absolute("/charte/v1/") == "https://charte.lavandes.fr/charte/v1/"


def test_an_address_with_a_path_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        identity.identity_set(base_url="charte.lavandes.fr/fr")
    assert "base_url" in refused.value.message_dict


@pytest.mark.parametrize(("language", "label"), [("fr", "Nom du site"), ("en", "Name of the site")])
def test_the_team_edits_the_identity_in_the_admin(client, editor, language, label):
    """Wagtail's settings view, in the team member's language."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    client.force_login(editor)
    site = Site.objects.get(is_default_site=True)
    address = reverse("wagtailsettings:edit", args=["charte", "siteidentity", site.pk])
    html = client.get(address).content.decode()
    assert label in html
    data = {
        "name": "Lavandes participe",
        "base_url": "https://charte.lavandes.fr",
        "sender_name": "Mairie de Lavandes",
        "sender_email": "ne-pas-repondre@lavandes.fr",
        "postal_address": "1 place de la Mairie\n12345 Saint-Aubin-des-Lavandes",
        "contact_email": "participation@lavandes.fr",
    }
    response = client.post(address, data)
    assert response.status_code == 302
    assert identity.current().name == "Lavandes participe"
    admin = client.get(reverse("wagtailadmin_home")).content.decode()
    assert " - Lavandes participe</title>" in admin


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_queued_mail_from_the_default_sender_comes_from_the_identity(settings):
    """Wagtail's own e-mails and the site's notifications use Django's default sender: the
    queue gives them the identity's (the worker closes its connection, hence a transaction)."""
    settings.EMAIL_BACKEND = "charte.core.mail.QueuedEmailBackend"
    settings.DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    identity.identity_set(sender_name="Mairie de Lavandes", sender_email="mairie@lavandes.fr")
    mail.send_mail("Réponse", "Quelqu’un vous a répondu.", None, ["lea@example.org"])
    mail.send_mail("Autre", "Texte", "Quelqu’un <a@lavandes.fr>", ["lea@example.org"])
    work()
    assert [m.from_email for m in mail.outbox] == [
        "Mairie de Lavandes <mairie@lavandes.fr>",
        "Quelqu’un <a@lavandes.fr>",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_queued_mail_is_signed_with_the_identity(settings):
    """Who writes and from where: the name, the postal address and the site's address end every
    e-mail, after the « -- » line mail readers recognise, once."""
    settings.EMAIL_BACKEND = "charte.core.mail.QueuedEmailBackend"
    settings.DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    identity.identity_set(
        name="Lavandes participe",
        base_url="https://charte.lavandes.fr",
        postal_address="Mairie de Lavandes\n1 place de la Mairie\n12345 Lavandes",
    )
    mail.send_mail("Réponse", "Quelqu’un vous a répondu.\n", None, ["lea@example.org"])
    work()
    (message,) = mail.outbox
    assert message.body == (
        "Quelqu’un vous a répondu.\n\n-- \nLavandes participe\nMairie de Lavandes\n"
        "1 place de la Mairie\n12345 Lavandes\nhttps://charte.lavandes.fr/\n"
    )


def test_links_for_many_followers_cost_no_query_once_cached(django_assert_num_queries):
    identity.absolute("/")
    with django_assert_num_queries(0):
        links = [identity.absolute(f"/p/{n}/") for n in range(100)]
    assert links[99] == "http://testserver/p/99/"


@pytest.mark.parametrize(
    ("address", "words"),
    [("/plan-du-site/", "Écrivez-nous\u00a0:"), ("/en/site-map/", "Write to us:")],
)
def test_the_footer_gives_the_contact_address(client, address, words):
    assert "mailto:" not in client.get(address).content.decode()  # none set: nothing shown
    identity.identity_set(contact_email="participation@lavandes.fr")
    footer = client.get(address).content.decode().split('<footer class="site-footer"')[1]
    assert (
        f'{words} <a href="mailto:participation@lavandes.fr">participation@lavandes.fr</a>'
        in footer
    )
