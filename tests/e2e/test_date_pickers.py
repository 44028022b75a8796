"""The opening and adoption forms load Wagtail's date pickers, with no error in the console."""

import pytest
from allauth.account.models import EmailAddress

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def draft(live_server):
    editor = factories.editor()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    charter = factories.make_charter(user=editor)
    iteration = factories.make_iteration(charter, user=editor)
    return {"base": live_server.url, "pk": iteration.pk}


def test_the_date_pickers_load_without_errors(draft, page):
    base = draft["base"]
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/admin/")
    page.fill("#id_login", "editor@example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    for action, field in (("open", "#id_closes_at"), ("adopt", "#id_session_date")):
        page.goto(f"{base}/admin/charte/iteration/{draft['pk']}/{action}/")
        page.wait_for_load_state("networkidle")
        page.click(field)
        picker = page.locator(".xdsoft_datetimepicker:visible").first
        picker.wait_for(state="visible", timeout=5000)
    assert errors == []
