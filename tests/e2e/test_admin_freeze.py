"""In the real Wagtail editor, a frozen text cannot be changed, and the editor is told why."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from charte.models import CharterIterationPage, Paragraph
from charte.texts import services
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def frozen(live_server):
    editor = factories.editor()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    charter = factories.make_charter(user=editor)
    iteration = factories.make_iteration(charter, user=editor)
    services.iteration_open(iteration=iteration, by=editor)
    rows = list(Paragraph.objects.filter(iteration=iteration).values_list("text", flat=True))
    return {"base": live_server.url, "page_id": iteration.pk, "rows": rows, "pk": iteration.pk}


def test_editor_changing_a_frozen_paragraph_gets_a_clear_refusal(frozen, page):
    base = frozen["base"]
    page.goto(f"{base}/admin/")  # sends to the site's sign-in, then the second factor
    page.fill("#id_login", "editor@example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    page.goto(f"{base}/admin/pages/{frozen['page_id']}/edit/")
    editor = first_paragraph(page)
    editor.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    editor.press_sequentially("Une autre rédaction, après l’ouverture.")
    assert editor.inner_text().strip() == "Une autre rédaction, après l’ouverture."
    # Draftail writes what was typed into the form's field a moment after the last key (it
    # debounces): a « Save draft » clicked within that moment would post the previous
    # wording, and the page would simply be saved unchanged. Wait until the field carries
    # the new wording, so that what is posted is truly a change of the frozen text.
    field = page.locator("input[name='body-0-value-articles-0-value-paragraphs-0-value']")
    expect(field).to_have_value(re.compile("Une autre rédaction"))
    with page.expect_navigation():
        page.locator("button[type=submit]", has_text="brouillon").first.click()
    alert = page.locator(".messages").inner_text()
    assert "figé depuis" in alert and "nouvelle itération" in alert
    # The text the editor typed is still in the form, nothing was saved.
    assert first_paragraph(page).inner_text().strip() == "Une autre rédaction, après l’ouverture."
    latest = CharterIterationPage.objects.get(pk=frozen["pk"]).get_latest_revision_as_object()
    assert [text for _key, text in factories.body_texts(latest)] == frozen["rows"]
    page.goto(f"{base}/admin/pages/{frozen['page_id']}/edit/")
    assert first_paragraph(page).inner_text().strip() == frozen["rows"][0]


def first_paragraph(page):
    """The rich-text editor of the first paragraph, its article unfolded (articles open
    folded)."""
    folded = page.locator(
        "[data-contentpath='articles'] button[data-panel-toggle][aria-expanded='false']"
    ).first
    if folded.count():
        folded.click()
    editor = page.locator(
        "[data-contentpath='paragraphs'] .DraftEditor-root [contenteditable]"
    ).first
    editor.wait_for(state="visible")
    return editor
