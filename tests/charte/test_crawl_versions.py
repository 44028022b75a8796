"""After a whole lifecycle in two languages (v1 consulted, v2 started with its English draft,
consulted, v3 started and adopted while its English is still a draft), no link of the public
site, in French or in English, leads to a missing page or an error."""

import datetime
import re
from collections import deque

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail_localize.models import Translation, TranslationSource

from charte.texts import services
from charte.texts.pages import CharterIterationPage
from tests import factories

pytestmark = pytest.mark.django_db

ADDRESS = re.compile(r'href="(/[^"#?]*)')
# Documents are built on demand and rate-limited: their links are checked elsewhere.
SKIPPED = ("/admin/", "/accounts/", "/download/", "/pdf/", "/contributions/", "/_util/")
LIMIT = 400


def translate_all(page, english, editor):
    """Translate ``page`` with wagtail-localize, every wording in English, and publish it."""
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=english, defaults={"enabled": True}
    )
    translation.save_target(user=editor, publish=True)


def published(page, editor):
    page = CharterIterationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.save_revision(user=editor).publish(user=editor)


def crawl(client, starts):
    seen, queue, broken = set(starts), deque(starts), []
    while queue and len(seen) < LIMIT:
        address = queue.popleft()
        response = client.get(address)
        if response.status_code in (404,) or response.status_code >= 500:
            broken.append((address, response.status_code))
            continue
        if response.status_code in (301, 302):
            target = response["Location"]
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in ADDRESS.findall(response.content.decode()):
            if link.startswith((settings.STATIC_URL, settings.MEDIA_URL, *SKIPPED)):
                continue
            if any(part in link for part in SKIPPED) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return seen, broken


def test_no_public_link_leads_to_a_missing_translation(
    client, charter, editor, english, django_capture_on_commit_callbacks
):
    home = factories.home_page()
    with django_capture_on_commit_callbacks(execute=True):
        translate_all(home, english, editor)
    with django_capture_on_commit_callbacks(execute=True):
        translate_all(charter, english, editor)
    v1 = factories.make_iteration(charter, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        translate_all(v1, english, editor)
    services.iteration_open(iteration=v1, by=editor)
    services.iteration_close(iteration=v1, by=editor)

    with django_capture_on_commit_callbacks(execute=True):
        v2 = services.iteration_start_next(charter=charter, by=editor)
    v2 = CharterIterationPage.objects.get(pk=v2.pk)
    v2.closes_at = timezone.now() + datetime.timedelta(days=10)
    v2.save_revision(user=editor).publish(user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        published(v2.get_translation(english), editor)  # the team publishes the English draft
    services.iteration_open(iteration=v2, by=editor)
    services.iteration_close(iteration=v2, by=editor)

    with django_capture_on_commit_callbacks(execute=True):
        v3 = services.iteration_start_next(charter=charter, by=editor)
    published(v3, editor)
    services.iteration_adopt(
        iteration=CharterIterationPage.objects.get(pk=v3.pk),
        by=editor,
        session_date=timezone.localdate(),
        deliberation_reference="DEL-2027-001",
        votes_for=20,
        votes_against=3,
        abstentions=0,
    )
    assert not v3.get_translation(english).live  # English v3 still a draft

    seen, broken = crawl(client, ["/", "/en/"])

    assert broken == []
    # The crawl reached every version in French, the English ones published, and the
    # comparisons.
    assert {v1.url, v2.url, CharterIterationPage.objects.get(pk=v3.pk).url} <= seen
    assert v2.get_translation(english).url in seen
    assert any("/compare/" in address for address in seen)
    assert any(address.startswith("/en/") and "/compare/" in address for address in seen)
