"""Time the editor of a long iteration in a real browser.

Usage: ``.venv/bin/python bench/editor.py [--paragraphs 1000] [--runs 3] [--wagtail-body]``.
Seeds a draft iteration of ``--paragraphs`` paragraphs on a throw-away SQLite file (or on
DATABASE_URL if it is set: use a scratch database), serves the site from a thread, signs an
editor in with Debian's chromium (Playwright for Python) and prints, for each run:

- open page: from navigating to the page's edit view until its outline's last article link is
  there and the page has loaded;
- save page: from clicking « Save draft » until the edit view is back;
- open article: from navigating to the editor of an article in the middle of the text until
  its last paragraph's rich-text editor shows;
- save article: from clicking its « Save draft » until the page's edit view is back.

With ``--wagtail-body``, Wagtail's own body editor (what a text of up to 100 paragraphs
keeps) is measured instead: open (until the last paragraph's field is in the form), save
(until the edit view is back, with its last paragraph), add (from clicking the « + » under the
first paragraph until the new field is there).

It also prints the number of form fields and DOM nodes of the edit view. It prints figures;
it never passes or fails.
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery staple"


def serve():
    """The site, static files included, from a thread of this process."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return thread, f"http://127.0.0.1:{thread.port}"


def sign_in(page, base, email):
    from tests import factories

    page.goto(f"{base}/admin/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.fill("#id_code", factories.totp_code())
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--wagtail-body",
        action="store_true",
        help="measure Wagtail's own body editor instead of editing by article",
    )
    args = parser.parse_args()

    from render_iterations import setup_django

    setup_django()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread

    from allauth.account.models import EmailAddress
    from django.conf import settings
    from scenario import open_iteration

    settings.ALLOWED_HOSTS = ["*"]
    iteration, _rows = open_iteration(args.paragraphs, opened=False)
    editor = iteration.owner
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    thread, base = serve()

    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if args.wagtail_body:
        settings.CHARTE_EDIT_BY_ARTICLE_ABOVE = 10**9
        times, counts = _wagtail_body(path, base, editor, iteration, args.runs)
    else:
        times, counts = _by_article(path, base, editor, iteration, args.runs)
    thread.terminate()

    def fmt(values):
        return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s"

    print(f"paragraphs: {args.paragraphs}, runs: {args.runs}")
    for name, values in times.items():
        print(f"{name + ':':<14} {fmt(values)}")
    print("form fields: {fields}, DOM nodes: {nodes}".format(**counts))


def _counts(page):
    return {
        "fields": page.evaluate("document.querySelectorAll('input, textarea, select').length"),
        "nodes": page.evaluate("document.getElementsByTagName('*').length"),
    }


def _by_article(path, base, editor, iteration, runs):
    """The page editor shows the outline; one article (in the middle of the text) is opened
    in its own editor and saved."""
    from playwright.sync_api import sync_playwright

    from charte.texts.article_editor import outline

    edit_url = f"{base}/admin/pages/{iteration.pk}/edit/"
    articles = [a for s in outline(iteration.body.raw_data) for a in s.articles]
    middle = articles[len(articles) // 2]
    article_url = f"{base}/admin/charte/iteration/{iteration.pk}/article/{middle.key}/"
    last_link = f"a[href$='/article/{articles[-1].key}/']"
    times = {"open page": [], "save page": [], "open article": [], "save article": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(120_000)
        sign_in(page, base, editor.email)
        for _ in range(runs):
            start = time.perf_counter()
            page.goto(edit_url, wait_until="domcontentloaded")
            page.wait_for_selector(last_link, state="attached")
            page.wait_for_load_state("load")
            times["open page"].append(time.perf_counter() - start)
            counts = _counts(page)

            start = time.perf_counter()
            with page.expect_navigation(wait_until="domcontentloaded"):
                page.locator("button[name='action-save-draft'], button.action-save").first.click()
            page.wait_for_selector(last_link, state="attached")
            page.wait_for_load_state("load")
            times["save page"].append(time.perf_counter() - start)
            assert page.locator(".messages .success").count(), "the page was not saved"

            start = time.perf_counter()
            page.goto(article_url, wait_until="domcontentloaded")
            editors = page.locator(".DraftEditor-root [contenteditable]")
            editors.nth(middle.paragraph_count - 1).wait_for(state="visible")
            page.wait_for_load_state("load")
            times["open article"].append(time.perf_counter() - start)

            start = time.perf_counter()
            with page.expect_navigation(wait_until="domcontentloaded"):
                page.locator("button[name='save']").click()
            page.wait_for_selector(last_link, state="attached")
            page.wait_for_load_state("load")
            times["save article"].append(time.perf_counter() - start)
            assert page.locator(".messages .success").count(), "the article was not saved"
            print("run: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
        browser.close()
    return times, counts


def _wagtail_body(path, base, editor, iteration, runs):
    """Wagtail's own body editor (what a short text keeps): open, save, add a paragraph."""
    from playwright.sync_api import sync_playwright

    edit_url = f"{base}/admin/pages/{iteration.pk}/edit/"
    last = f"[data-contentpath='{_last_paragraph_key(iteration)}']"
    times = {"open": [], "save": [], "add": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(120_000)
        sign_in(page, base, editor.email)
        for _ in range(runs):
            start = time.perf_counter()
            page.goto(edit_url, wait_until="domcontentloaded")
            page.wait_for_selector(last, state="attached")
            page.wait_for_load_state("load")
            times["open"].append(time.perf_counter() - start)

            start = time.perf_counter()
            with page.expect_navigation(wait_until="domcontentloaded"):
                page.locator("button[name='action-save-draft'], button.action-save").first.click()
            page.wait_for_selector(last, state="attached")
            page.wait_for_load_state("load")
            times["save"].append(time.perf_counter() - start)
            assert page.locator(".messages .success").count(), "the draft was not saved"

            before = page.locator(
                "[data-contentpath='paragraphs'] > * [data-streamfield-child]"
            ).count()
            button = page.locator(
                "[data-contentpath='paragraphs'] button[title='Insert a block'], "
                "[data-contentpath='paragraphs'] button.c-sf-add-button"
            ).first
            if not button.is_visible():  # articles open folded: unfold the first one
                page.locator(
                    "[data-contentpath='articles'] button[data-panel-toggle][aria-expanded='false']"
                ).first.click()
                button.wait_for(state="visible")
            start = time.perf_counter()
            button.click()
            page.wait_for_function(
                "n => document.querySelectorAll("
                "\"[data-contentpath='paragraphs'] > * [data-streamfield-child]\").length > n",
                arg=before,
            )
            times["add"].append(time.perf_counter() - start)
            print("run: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
        counts = _counts(page)
        browser.close()
    return times, counts


def _last_paragraph_key(iteration):
    from charte.texts.outline import body_outline, outline_paragraphs

    return outline_paragraphs(body_outline(iteration.body))[-1].key


if __name__ == "__main__":
    main()
