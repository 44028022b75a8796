"""The team edits a 1,000-paragraph draft in the real browser: the page editor shows its
outline, one article opens in its own editor and is saved as a new draft of the page, every
paragraph keeping its identity. (Its timings are measured by bench/editor.py, not here.)"""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from charte.models import CharterIterationPage
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def long_draft(live_server):
    editor = factories.editor()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    charter = factories.make_charter(user=editor)
    draft = factories.make_iteration(charter, factories.body_with(1000), user=editor)
    return {"base": live_server.url, "page": draft, "keys": factories.body_texts(draft)}


def test_a_1000_paragraph_draft_is_edited_article_by_article(long_draft, browser):
    base, draft = long_draft["base"], long_draft["page"]
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{base}/admin/")
    page.fill("#id_login", "editor@example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    # The page editor shows the outline (200 articles, each a link), not the body's blocks.
    page.goto(f"{base}/admin/pages/{draft.pk}/edit/")
    outline = page.locator(".charte-article-outline")
    expect(outline.locator("a[href*='/article/']")).to_have_count(200)
    assert page.locator("[data-contentpath='paragraphs']").count() == 0
    assert page.locator(".DraftEditor-root").count() == 0

    # Article 100 opens in its own editor: its five paragraphs in rich-text editors.
    outline.get_by_role("link", name=re.compile(r"^Article 100 –")).click()
    editors = page.locator(".DraftEditor-root [contenteditable]")
    expect(editors).to_have_count(5 + 2)  # and two empty ones to add paragraphs
    # Each editor is named by its label, as a screen reader announces it.
    for number in range(1, 6):
        expect(page.get_by_role("textbox", name=f"Alinéa {number}", exact=True)).to_have_count(1)
    expect(page.get_by_role("textbox", name="Nouvel alinéa", exact=True)).to_have_count(2)
    first = page.get_by_role("textbox", name="Alinéa 1", exact=True)
    first.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    first.press_sequentially("Alinéa réécrit dans le navigateur.")
    # Draftail writes what was typed into its field a moment after the last key.
    expect(page.locator("input[name='paragraphs-0-text']")).to_have_value(
        re.compile("Alinéa réécrit dans le navigateur")
    )
    revisions = draft.revisions.count()
    with page.expect_navigation():
        page.locator("button[name='save']").click()
    expect(page.locator(".messages")).to_contain_text("Article de test 100")
    assert page.url == f"{base}/admin/pages/{draft.pk}/edit/"

    saved = CharterIterationPage.objects.get(pk=draft.pk)
    assert saved.revisions.count() == revisions + 1
    texts = factories.body_texts(saved.get_latest_revision_as_object())
    changed = 99 * 5  # the first paragraph of article 100
    expected = list(long_draft["keys"])
    expected[changed] = (expected[changed][0], "Alinéa réécrit dans le navigateur.")
    assert texts == expected  # every paragraph kept its block id; only that one changed
