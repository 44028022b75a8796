"""The trail of amendments cannot break: a version does not open while accepted amendments
wait to be integrated, an integration whose paragraph left the draft is flagged and recorded
truthfully, and the integration screen stays light on a long text."""

import copy
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from charte.amendments.services import (
    amendment_mark_integrated,
    lost_integrations,
    pending_integration,
)
from charte.models import Amendment, CharterIterationPage, Paragraph
from charte.texts import services
from charte.texts.services import IntegrationPending
from tests import factories
from tests.charte.amendments.test_amendment_integration import (
    draft_paragraphs,
    propose_and_answer,
    start_next,
)
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


def accepted_in_bulk(rows, count, status="partially_accepted"):
    """``count`` answered amendments on ``rows`` (one each), written as the answers leave
    them: accepted in part, so that the editor integrates them by hand."""
    author = make_citizen("foule", "Collectif des Quais")
    iteration = rows[0].iteration
    charter = iteration.get_parent().specific
    now = timezone.now()
    Amendment.objects.bulk_create(
        Amendment(
            paragraph=row,
            iteration=iteration,
            charter=charter,
            number=n,
            kind="modify",
            text=f"Nouvelle rédaction {n}.",
            rationale="Motif",
            author=author,
            status=status,
            response="Retenu en partie.",
            created_at=now,
            answered_at=now,
        )
        for n, row in enumerate(rows[:count], start=1)
    )
    return list(Amendment.objects.filter(iteration=iteration).order_by("number"))


def edit_draft(draft, editor, change):
    """The editor changes the draft's text and publishes it (``change`` edits the raw body)."""
    page = CharterIterationPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    raw = copy.deepcopy([dict(block) for block in page.body.raw_data])
    change(raw)
    page.body = raw
    page.save_revision(user=editor).publish(user=editor)
    return CharterIterationPage.objects.get(pk=draft.pk)


def publish(draft, editor):
    return edit_draft(draft, editor, lambda raw: None)


def open_now(draft, editor):
    now = timezone.now()
    return services.iteration_open(
        iteration=CharterIterationPage.objects.get(pk=draft.pk),
        by=editor,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=10),
    )


def remove_paragraph(key):
    def change(raw):
        for section in raw:
            for article in section["value"]["articles"]:
                paragraphs = article["value"]["paragraphs"]
                article["value"]["paragraphs"] = [p for p in paragraphs if p["id"] != key]

    return change


def french(msgid, **values):
    """A wording as the French reader gets it (translated once the catalogue has it)."""
    with translation.override("fr"):
        return translation.gettext(msgid) % values


def english_admin(user):
    """The admin in English for ``user`` (its new wordings are asserted in English)."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


@pytest.fixture
def long_text(charter, editor):
    """A 1,000-paragraph version 1, opened."""
    first = factories.make_iteration(charter, factories.body_with(1000), user=editor)
    return services.iteration_open(iteration=first, by=editor)


def test_a_version_does_not_open_while_accepted_amendments_wait_at_real_size(
    client, long_text, editor
):
    rows = list(Paragraph.objects.filter(iteration=long_text).order_by("position"))
    waiting = accepted_in_bulk(rows[::200], 5)
    draft = publish(start_next(long_text, editor), editor)
    assert list(pending_integration(draft)) == waiting

    with translation.override("en"), pytest.raises(IntegrationPending) as refusal:
        open_now(draft, editor)
    assert "Amendments no. 1, 2, 3, 4, 5 of the previous version were accepted" in str(
        refusal.value.message
    )
    assert refusal.value.amendments == waiting
    assert CharterIterationPage.objects.get(pk=draft.pk).frozen_at is None
    assert not Paragraph.objects.filter(iteration=draft).exists()

    # The opening screen lists them, each linked, with the way to the integration screen.
    english_admin(editor)
    client.force_login(editor)
    address = f"/admin/charte/iteration/{draft.pk}/open/"
    screen = client.get(address).content.decode()
    assert "5 accepted amendments of the previous version are not integrated yet" in screen
    for amendment in waiting:
        assert f'href="/admin/amendments/edit/{amendment.pk}/"' in screen
    assert f'href="/admin/charte/iteration/{draft.pk}/integrate/"' in screen
    now = timezone.localtime()
    refused = client.post(
        address,
        {
            "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "closes_at": (now + datetime.timedelta(days=9)).strftime("%Y-%m-%d %H:%M"),
        },
    )
    assert refused.status_code == 200
    assert "1, 2, 3, 4, 5" in refused.content.decode()
    assert CharterIterationPage.objects.get(pk=draft.pk).frozen_at is None

    # Once each is recorded, the version opens and the trail is whole.
    for amendment in waiting:
        amendment_mark_integrated(
            amendment=amendment, iteration=draft, key=amendment.paragraph.key, by=editor
        )
    opened = open_now(draft, editor)
    assert opened.frozen_at is not None
    assert Amendment.objects.filter(integrated_into=opened).count() == 5


def test_an_integration_whose_paragraph_was_deleted_is_flagged_then_told_truthfully(
    client, opened, editor
):
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    amendment = propose_and_answer(rows[0], editor, kind="modify", text="Une rédaction neuve.")
    draft = start_next(opened, editor)
    amendment.refresh_from_db()
    assert amendment.integrated_key == rows[0].key
    draft = edit_draft(draft, editor, remove_paragraph(rows[0].key))
    assert lost_integrations(draft) == [amendment]

    english_admin(editor)
    client.force_login(editor)
    screen = client.get(f"/admin/charte/iteration/{draft.pk}/open/").content.decode()
    assert "integrated into a paragraph that is no longer in the draft" in screen
    assert f'/admin/charte/iteration/{draft.pk}/integrate/#amendment-{amendment.pk}"' in screen

    open_now(draft, editor)
    amendment.refresh_from_db()
    assert amendment.integration_removed and amendment.integrated_into_id == draft.pk
    page = client.get(amendment.get_url()).content.decode()
    # Never « Intégré dans la Version 2 » for a paragraph that is not in Version 2.
    assert "Intégré dans la Version 2." not in page
    told = french(
        "Integrated into the draft of %(title)s, then removed from it before it opened: it is "
        "not part of %(title)s.",
        title="Version 2",
    )
    assert told in page
    synthesis = client.get(f"{opened.url}synthesis/").content.decode()
    assert "Intégré dans la Version 2." not in synthesis
    assert told in synthesis
    # Nor does the new version claim it for any paragraph.
    assert f'href="{amendment.get_url()}"' not in client.get(draft.url).content.decode()


def test_a_merged_paragraph_is_re_pointed_by_the_editor_through_the_search(client, opened, editor):
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    amendment = propose_and_answer(rows[0], editor, kind="modify", text="Une rédaction neuve.")
    draft = start_next(opened, editor)

    def merge_first_into_second(raw):
        paragraphs = raw[0]["value"]["articles"][0]["value"]["paragraphs"]
        paragraphs[1]["value"] = paragraphs[0]["value"] + " " + paragraphs[1]["value"]
        del paragraphs[0]

    draft = edit_draft(draft, editor, merge_first_into_second)
    merged = draft_paragraphs(draft)[0]
    client.force_login(editor)
    address = f"/admin/charte/iteration/{draft.pk}/integrate/"
    found = client.get(address, {"for": amendment.pk, "q": "neuve"}).content.decode()
    assert f'value="{merged.key}"' in found
    assert (
        f'value="{merged.key}"'
        in client.get(address, {"for": amendment.pk, "q": "art. 1 § 1"}).content.decode()
    )
    client.post(address, {"amendment": amendment.pk, "key": merged.key})
    amendment.refresh_from_db()
    assert amendment.integrated_key == merged.key and not lost_integrations(draft)

    open_now(draft, editor)
    amendment.refresh_from_db()
    assert not amendment.integration_removed
    assert "Intégré dans la Version 2." in client.get(amendment.get_url()).content.decode()
    assert f'href="{amendment.get_url()}"' in client.get(draft.url).content.decode()


def test_the_integration_screen_stays_light_at_300_amendments_on_1000_paragraphs(
    client, long_text, editor
):
    english_admin(editor)
    rows = list(Paragraph.objects.filter(iteration=long_text).order_by("position"))
    accepted_in_bulk(rows[::3], 300)
    draft = start_next(long_text, editor)
    assert pending_integration(draft).count() == 300
    client.force_login(editor)
    address = f"/admin/charte/iteration/{draft.pk}/integrate/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<option" not in html and "<select" not in html
    print(f"integration screen: {len(response.content)} bytes, {len(queries)} queries")
    assert len(response.content) < 150_000, len(response.content)
    assert len(queries) <= 30, len(queries)
    assert "300 amendments to record." in html

    # A reference finds the paragraph, words find it too: a short list, never the whole text.
    twelve_three = next(r for r in rows if r.article_number == 12 and r.number == 3)
    first = Amendment.objects.get(number=1)
    for query in ("art. 12 § 3", "12.3", "Article 12, alinéa 3"):
        found = client.get(address, {"for": first.pk, "q": query}).content.decode()
        assert f'value="{twelve_three.key}"' in found, query
    by_words = client.get(address, {"for": first.pk, "q": "alinéa 58 :"}).content.decode()
    assert f'value="{rows[57].key}"' in by_words
    many = client.get(address, {"for": first.pk, "q": "commune"})
    section = many.content.decode().split(f'id="amendment-{first.pk}"')[1].split("</section>")[0]
    assert "1000 paragraphs found. Only the first ones are shown" in section
    assert section.count('type="radio" name="key"') == 12 + 1  # and « no paragraph »
    assert len(many.content) < 400_000
