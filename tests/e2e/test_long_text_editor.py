"""The team edits a 1,000-paragraph draft in the real Wagtail editor: it opens and saves, every
paragraph keeps its identity. (Its timings are measured by bench/editor.py, not here.)"""

import pytest
from allauth.account.models import EmailAddress

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


def test_a_1000_paragraph_draft_opens_and_saves_in_the_editor(long_draft, browser):
    base, draft = long_draft["base"], long_draft["page"]
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.set_default_timeout(180_000)
    page.goto(f"{base}/admin/")
    page.fill("#id_login", "editor@example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/pages/{draft.pk}/edit/")
    last_key = long_draft["keys"][-1][0]
    page.wait_for_selector(f"[data-contentpath='{last_key}']", state="attached")
    # The long text opens as its outline: articles are folded.
    assert (
        page.locator(
            "[data-contentpath='articles'] button[data-panel-toggle][aria-expanded='false']"
        ).count()
        == 200
    )

    revisions = draft.revisions.count()
    with page.expect_navigation():
        page.locator("button[type=submit]", has_text="brouillon").first.click()
    assert page.locator(".messages .success").count() == 1
    saved = CharterIterationPage.objects.get(pk=draft.pk)
    assert saved.revisions.count() == revisions + 1
    # Every paragraph kept its block id and its words.
    assert factories.body_texts(saved.get_latest_revision_as_object()) == long_draft["keys"]
