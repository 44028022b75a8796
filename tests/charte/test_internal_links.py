"""Every internal address the reading pages print leads somewhere: the iteration, a paragraph,
an amendment, a debate and an argument, in French and in English, as a signed-in resident
(who sees the forms) and as a council member (who also sees the review space)."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings
from django.urls import resolve
from django.utils import translation

from charte.models import (
    Amendment,
    Argument,
    CharterIterationPage,
    DebatePage,
    Paragraph,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADDRESS = re.compile(r'(?:href|action)="(/[^"#?]*)')


def addresses(html):
    return set(ADDRESS.findall(html))


def assert_all_lead_somewhere(client, page_url, checked):
    response = client.get(page_url)
    assert response.status_code == 200, page_url
    found = addresses(response.content.decode())
    assert found, page_url
    for address in sorted(found - checked):
        checked.add(address)
        if address.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            continue  # files, not pages (served by the web server)
        with translation.override("en" if address.startswith("/en/") else "fr"):
            match = resolve(address)  # raises Resolver404 for an address nothing serves
        if match.url_name != "wagtail_serve":
            continue  # a Django view: resolving is enough
        status = client.get(address).status_code
        assert status != 404 and status < 500, f"{address} (from {page_url}): {status}"


def test_every_internal_link_of_the_reading_pages_resolves(client):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    # The version in consultation (the demo's other charter was adopted in 2024).
    v2 = CharterIterationPage.objects.in_source_locale().get(state="consultation")
    charter = v2.get_parent().specific
    row = (
        Paragraph.objects.filter(iteration=v2)
        .annotate(n=Count("amendments"))
        .order_by("-n", "position")
        .first()
    )
    amendment = Amendment.objects.filter(iteration=v2).order_by("number").first()
    argument = Argument.objects.filter(is_public=True).order_by("pk").first()
    debate = argument.debate
    pages, review_pages = [], []
    for iteration in v2.get_translations(inclusive=True).live().specific():
        pages += [
            iteration.url,
            row.get_url(iteration),
            amendment.get_url(iteration),
        ]
        review_pages.append(iteration.get_parent().specific.route_url("review"))
    for page in DebatePage.objects.filter(translation_key=debate.translation_key).live():
        pages += [page.url, argument.get_url(page)]
    assert len(pages) == 10 and len(review_pages) == 2
    assert {p.split("/")[1] for p in pages} == {"en", charter.slug}

    user = get_user_model()
    for username, extra in (("camille", []), ("conseillere", review_pages)):
        client.force_login(user.objects.get(username=username))
        checked = set()
        for page_url in pages + extra:
            assert_all_lead_somewhere(client, page_url, checked)
