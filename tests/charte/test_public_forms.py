"""Every form a resident reaches on the public site, posted empty, with a field missing, with
every field twice and with hostile values: refused with a page (or accepted, stored safely),
never a 500. The forms are found by crawling the demo as a signed-in resident, not listed by
hand, so that a new form is tested the day it appears."""

import io
import os
import re
from collections import deque
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.charte.discussions.test_comments import make_citizen
from tests.html_structure import invalid_html, nu_checker_missing

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)')
# The team's screens, the link that ends the session, documents and the open data.
SKIPPED = ("/admin/", "/_util/", "/static/", "/media/", "/documents/")
SKIPPED_PARTS = ("/download/", "/pdf/", "/contributions/", "/pack/", "/logout/")
# The form that deletes the resident's account: posted last.
LAST = "/accounts/delete/"
CAP = 600
HOSTILE = {
    "very long": "é" * 100_000,
    "NUL byte": "texte\x00nul",
    "markup": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "huge number": "9" * 40,
    "negative number": "-1",
    "SQL": "' OR '1'='1'; --",
    "path": "../../../../etc/passwd",
    "emoji": "🙂" * 3000,
    "spaces only": " \t\n ",
}


class _Forms(HTMLParser):
    """The forms of a page: method, action, and each field's name and a usable value."""

    def __init__(self, address):
        super().__init__(convert_charrefs=True)
        self.address, self.forms, self.form = address, [], None
        self.select, self.textarea = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or self.address,
                "fields": [],
            }
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag in ("input", "button") and attrs.get("name"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("checkbox", "radio") and any(
                name == attrs["name"] for name, _value in self.form["fields"]
            ):
                return
            value = attrs.get("value")
            if value is None:
                value = {"email": "quelquun@example.org", "number": "1"}.get(kind, "Un texte.")
            self.form["fields"].append((attrs["name"], value))
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.form["fields"].append((attrs["name"], "Un texte écrit au clavier."))
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
            self.form["fields"].append((attrs["name"], ""))
        elif tag == "option" and self.select and attrs.get("value"):
            fields = self.form["fields"]
            if fields[-1] == (self.select, ""):
                fields[-1] = (self.select, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def crawl_forms(client, starts):
    """Every form of every public page reached from ``starts``, once per kind (its action
    with numbers and keys blurred, and its field names)."""
    seen, queue, forms = set(starts), deque(starts), {}
    while queue and len(seen) < CAP:
        address = queue.popleft()
        response = client.get(address)
        if response.get("Content-Type", "").split(";")[0] != "text/html":
            continue
        html = response.content.decode()
        reader = _Forms(address)
        reader.feed(html)
        for form in reader.forms:
            action = form["action"].split("#")[0]
            if action.startswith(SKIPPED) or any(part in action for part in SKIPPED_PARTS):
                continue
            shape = re.sub(r"/(?:\d+|[0-9a-f-]{36})(?=/)", "/N", action.split("?")[0])
            key = (form["method"], shape, tuple(sorted({name for name, _ in form["fields"]})))
            forms.setdefault(key, {**form, "action": action, "page": address})
        for link in HREF.findall(html):
            link = link.replace("&amp;", "&")
            if "next=" in link or link.startswith(("/recherche/?", "/en/search/?")):
                continue  # sign-in addresses for each page, and every search
            if link.startswith(SKIPPED) or any(part in link for part in SKIPPED_PARTS):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert len(seen) < CAP, "the crawl reached its cap: raise it"
    return list(forms.values())


def attempts(fields):
    """Each way of getting a form wrong: its name, and the data posted."""
    yield "empty", {}
    for index, (name, _value) in enumerate(fields):
        yield f"without {name}", [field for i, field in enumerate(fields) if i != index]
    yield "every field twice", [*fields, *[(name, HOSTILE["markup"]) for name, _ in fields]]
    for label, value in HOSTILE.items():
        yield label, [(name, value) for name, _ in fields]
        # The hidden identifiers kept, only what a person types made hostile.
        typed = {"csrfmiddlewaretoken"}
        yield (
            f"{label} in the typed fields",
            [
                (name, original if name in typed or name.endswith(("key", "paragraph")) else value)
                for name, original in fields
            ],
        )


def as_data(pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def post_badly(client, forms, sign_in=None):
    """Every attempt of :func:`attempts` on each form: the answers of 500 and above, and the
    pages that answered an empty form, to check as HTML."""
    failures, refusals = [], {}
    for form in sorted(forms, key=lambda form: form["action"].endswith(LAST)):
        for label, pairs in attempts(form["fields"]):
            if sign_in:
                sign_in()  # signed in for each, whatever the last one did
            data = as_data(pairs)
            if form["method"] == "post":
                response = client.post(form["action"], data)
            else:
                response = client.get(form["action"], data)
            if response.status_code >= 500:
                failures.append(
                    f"{response.status_code} {form['method'].upper()} {form['action']} "
                    f"({label}; form of {form['page']})"
                )
            elif (
                label == "empty"
                and not 300 <= response.status_code < 400  # a redirect has no page
                and response["Content-Type"].startswith("text/html")
            ):
                html = response.content.decode()
                refusals[f"{form['action']} (posted empty)"] = html
                if response.status_code == 400:
                    failures += [f"{form['action']}: {p}" for p in error_problems(html)]
    return failures, refusals


SUMMARY_LINK = re.compile(r'<a href="#([^"]+)"')


def error_problems(html: str) -> list[str]:
    """What is wrong with how a refused form says so: no error shown, or an error summary
    whose links lead nowhere (each must lead to its field, GOV.UK's pattern)."""
    if "data-error-summary" not in html and 'class="errorlist"' not in html:
        return ["refused without an error shown"]
    problems = []
    if "data-error-summary" in html:
        start = html.index("data-error-summary")
        summary = html[start : html.index("</div>", start)]
        targets = SUMMARY_LINK.findall(summary)
        if not targets:
            problems.append("an error summary without links to the fields")
        problems += [
            f"the summary's link #{t} leads nowhere" for t in targets if f'id="{t}"' not in html
        ]
    return problems


def assert_valid(pages):
    """Each page, as the W3C's checker reads it, where Java is installed (always in CI)."""
    if nu_checker_missing() and not os.environ.get("CI"):
        pytest.skip(nu_checker_missing())
    invalid = invalid_html(pages)
    assert invalid == [], "\n".join(invalid)


UNLIMITED = override_settings(
    POST_RATE_LIMITS="100000/60,100000/3600",
    DOCUMENT_RATE_LIMITS="100000/60,100000/3600",
    ACCOUNT_RATE_LIMITS=False,
)


@UNLIMITED
def test_no_form_of_a_signed_in_resident_answers_500_to_bad_input(client):
    call_command("seed_demo", stdout=io.StringIO())
    resident = make_citizen("fuzz", "Camille Essai")
    client.force_login(resident)
    forms = crawl_forms(client, ["/", "/en/", "/accounts/profile/", "/accounts/email/"])
    posted = {re.sub(r"/(?:\d+|[0-9a-f-]{36})(?=/)", "/N", f["action"]) for f in forms}
    # The crawl reached the forms a resident uses, in both languages.
    for expected in (
        r"/p/N/comment/",
        r"/p/N/amend/",
        r"/p/N/c/N/agree/",
        r"/p/N/c/N/report/",
        r"/amendments/N/support/",
        r"/jeunes-et-conseils-de-quartier/argue/",
        r"/jeunes-et-conseils-de-quartier/position/",
        r"/a/N/report/",
        r"^/accounts/profile/",
        r"^/en/accounts/password/change/",
        r"^/recherche/",
        r"^/en/search/",
    ):
        assert any(re.search(expected, action) for action in posted), (expected, sorted(posted))
    failures, refusals = post_badly(client, forms, sign_in=lambda: client.force_login(resident))
    assert failures == [], "\n".join(failures)
    assert_valid(refusals)


@UNLIMITED
def test_no_form_of_a_visitor_answers_500_to_bad_input(client):
    call_command("seed_demo", stdout=io.StringIO())
    forms = crawl_forms(client, ["/", "/accounts/login/", "/en/accounts/signup/"])
    actions = {form["action"] for form in forms}
    assert {"/accounts/login/", "/accounts/signup/", "/en/accounts/signup/"} <= actions, actions
    failures, refusals = post_badly(client, forms)
    assert failures == [], "\n".join(failures)
    assert_valid(refusals)
