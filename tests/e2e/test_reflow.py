"""Reflow (RGAA 10.11, WCAG 1.4.10): at 320 CSS pixels wide — a small phone, or 1,280 pixels at
400 % zoom — no public page of the demo scrolls sideways, in French and in English. The pages
are those a reader reaches by following links from the two home pages."""

from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SKIPPED = ("/download/", "/contributions/", "/pdf/", "/kit/", "/admin/", "/documents/", "/logout/")
WIDEST = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))
    .slice(0, 3)"""


def test_no_page_scrolls_sideways_at_320_pixels(live_server, browser):
    call_command("seed_demo", verbosity=0)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    seen, queue, sideways = (
        set(),
        ["/", "/en/", "/recherche/?q=charte", "/en/search/?q=charter"],
        [],
    )
    while queue and len(seen) < 60:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if page.evaluate("document.documentElement.scrollWidth") > 320:
            sideways.append((path, page.evaluate(WIDEST)))
        for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)"):
            address = urlparse(urljoin(live_server.url + path, href))
            if address.netloc == urlparse(live_server.url).netloc and not any(
                part in address.path for part in SKIPPED
            ):
                queue.append(address.path)
    context.close()
    assert len(seen) >= 40
    assert sideways == []
