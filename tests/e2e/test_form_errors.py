"""A refused account form, by keyboard: the summary of its errors takes the focus and is read;
each of its links takes the focus to its field (GOV.UK's error summary)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_error_summary_takes_the_focus_then_leads_to_each_field(live_server, page):
    page.goto(f"{live_server.url}/en/accounts/signup/")
    page.fill("#id_pseudonym", "Nadia")
    page.keyboard.press("Tab")
    page.locator("main button[type=submit]").press("Enter")
    page.wait_for_selector("[data-error-summary]")
    focused = page.evaluate("document.activeElement.getAttribute('data-error-summary')")
    assert focused == ""  # the summary itself has the focus
    assert page.locator("[data-error-summary]").get_attribute("role") == "alert"
    assert page.input_value("#id_pseudonym") == "Nadia"  # what was typed is kept
    page.keyboard.press("Tab")  # the first link of the summary
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_email"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_email"
