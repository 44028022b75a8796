"""Browser tests: Playwright for Python driving the Chromium of Debian's ``chromium`` package."""

import os
import shutil
import threading
import time

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path():
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


class OneRequestAtATime:
    """The live server's application, serving one request at a time, and able to wait until it
    serves none.

    With the in-memory SQLite of the tests, every thread of the live server shares the test's
    one connection: two requests at once (a page and its scripts' requests), or a request still
    running when the next test sets its data up, would use it together and leave it inside
    another's transaction (« on_commit() cannot be used in manual transaction management »),
    failing every test after. Serving one request at a time, whole (streamed bodies included),
    and waiting at the end of each test for the last one, keeps each test's database its own."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.counting = threading.Lock()
        self.in_flight = 0

    def _count(self, step):
        with self.counting:
            self.in_flight += step

    def __call__(self, environ, start_response):
        self._count(1)
        try:
            with self.lock:
                result = self.app(environ, start_response)
                try:
                    body = b"".join(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
            return [body]
        finally:
            self._count(-1)

    def wait_until_idle(self, seconds=30.0):
        """Until no request has been running for a moment (one accepted just before the
        browser closed is let finish)."""
        deadline = time.monotonic() + seconds
        quiet = 0
        while quiet < 3 and time.monotonic() < deadline:
            with self.lock:
                quiet = quiet + 1 if self.in_flight == 0 else 0
            time.sleep(0.05)


@pytest.fixture
def served(live_server):
    """The live server (shared by the session), one request at a time; idle at the test's end."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, OneRequestAtATime):
        app = OneRequestAtATime(app)
        httpd.set_app(app)
    yield app
    app.wait_until_idle()


@pytest.fixture
def browser(live_server, served, monkeypatch):
    """Started after the test database is ready: Playwright's event loop gives the thread a new
    context, in which Django would no longer see the connection prepared by the test setup."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls made around it
    # (database teardown) are ordinary synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    path = chromium_path()
    if not path:
        message = "Debian's chromium package is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_v2(live_server):
    """The demo loaded, its resident Camille with a known password: its open version 2."""
    from tests.e2e.demo import load_demo

    return load_demo()
