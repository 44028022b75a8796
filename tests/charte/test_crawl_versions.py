"""After a whole lifecycle in two languages (v1 consulted, v2 started with its English draft,
consulted, v3 started and adopted while its English is still a draft), no link of the public
site, in French or in English, leads to a missing page or an error."""

import datetime
import os
import re
from collections import deque

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from wagtail_localize.models import Translation, TranslationSource

from charte.amendments.services import amendment_answer, amendment_propose
from charte.core import roles
from charte.discussions.services import comment_post
from charte.texts import services
from charte.texts.pages import CharterIterationPage
from charte.texts.paragraphs import Paragraph
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.html_structure import invalid_html, nu_checker_missing, structure_problems
from tests.worker import work

pytestmark = pytest.mark.django_db

LINK = re.compile(r"<a\s[^>]*>")
HREF = re.compile(r'href="(/[^"#?]*)')
TYPE = re.compile(r'\btype="([^"]+)"')
# The team's screens, and the one link that would end the resident's session.
SKIPPED = ("/admin/", "/accounts/logout/", "/_util/")
# Generous: the lifecycle below makes a few hundred public addresses; the test checks that the
# crawl ended before reaching it.
CAP = 5000
DOCUMENTS = {
    "application/pdf",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/csv",
    "application/json",
}


def translate_all(page, english, editor):
    """Translate ``page`` with wagtail-localize, every wording in English, and publish it."""
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=english, defaults={"enabled": True}
    )
    translation.save_target(user=editor, publish=True)


def published(page, editor):
    page = CharterIterationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.save_revision(user=editor).publish(user=editor)


def links(html):
    """Every internal address of a page, with the content type its link announces."""
    for tag in LINK.findall(html):
        href = HREF.search(tag)
        if href is None:
            continue
        kind = TYPE.search(tag)
        yield href.group(1), kind.group(1) if kind else None


def crawl(client, starts):
    """Follow every internal link from ``starts``; the broken ones with the page they were on,
    and the documents whose content type is not the one their link announced."""
    seen = set(starts)
    queue = deque((start, None, None) for start in starts)
    broken, documents, linked_from, pages = [], {}, {}, {}
    malformed = []
    while queue and len(seen) < CAP:
        address, origin, announced = queue.popleft()
        response = client.get(address)
        if response.status_code == 404 or response.status_code >= 500:
            broken.append(f"{response.status_code} {address} (linked from {origin})")
            continue
        if response.has_header("Location"):  # a redirect: follow it like a browser
            target = response["Location"]
            if target.startswith("/") and not target.startswith(SKIPPED) and target not in seen:
                seen.add(target)
                queue.append((target, address, announced))
            continue
        content_type = response.get("Content-Type", "").split(";")[0]
        if announced in DOCUMENTS and response.status_code == 202:
            # Being prepared: the page that says so holds, and the document comes once the
            # worker has built it.
            malformed += [f"{address}: {p}" for p in structure_problems(response.content.decode())]
            work()
            response = client.get(address)
            content_type = response.get("Content-Type", "").split(";")[0]
        if announced in DOCUMENTS:
            documents[address] = (response.status_code, content_type)
            if (response.status_code, content_type) != (200, announced):
                broken.append(
                    f"{response.status_code} {content_type} {address}, announced as "
                    f"{announced} (linked from {origin})"
                )
        if content_type != "text/html":
            continue
        html = response.content.decode()
        pages[address] = html
        malformed += [f"{address}: {problem}" for problem in structure_problems(html)]
        for link, kind in links(html):
            if link.startswith((settings.STATIC_URL, settings.MEDIA_URL, *SKIPPED)):
                continue
            linked_from.setdefault(link, set()).add(address)
            if link not in seen:
                seen.add(link)
                queue.append((link, address, kind))
    assert len(seen) < CAP, "the crawl reached its cap: raise it"
    # Every page's structure holds: no block the HTML parser would break apart, no id twice.
    assert malformed == [], "\n".join(malformed)
    return seen, broken, documents, linked_from, pages


@pytest.fixture
def lifecycle(charter, editor, english, django_capture_on_commit_callbacks):
    """v1 translated, consulted (a comment, an accepted amendment) and closed; v2 started with
    its English, published in both languages, consulted and closed; v3 started and adopted while
    its English is still a draft; a debate on the charter."""
    home = factories.home_page()
    with django_capture_on_commit_callbacks(execute=True):
        translate_all(home, english, editor)
    with django_capture_on_commit_callbacks(execute=True):
        translate_all(charter, english, editor)
    v1 = factories.make_iteration(charter, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        translate_all(v1, english, editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.iteration_open(iteration=v1, by=editor)
        citizen = make_citizen("lea", "Léa du Port")
        row = Paragraph.objects.filter(iteration=v1).order_by("position").first()
        comment_post(paragraph=row, by=citizen, text="Précisez qui répond, et quand.")
        amendment = amendment_propose(
            paragraph=row, by=citizen, kind="modify", text="Rédaction de Léa.", rationale="Clarté."
        )
        amendment_answer(amendment=amendment, status="accepted", response="Oui.", by=editor)
        factories.make_debate(charter, user=editor)
    services.iteration_close(iteration=v1, by=editor)

    with django_capture_on_commit_callbacks(execute=True):
        v2 = services.iteration_start_next(charter=charter, by=editor)
    v2 = CharterIterationPage.objects.get(pk=v2.pk)
    v2.closes_at = timezone.now() + datetime.timedelta(days=10)
    v2.save_revision(user=editor).publish(user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        published(v2.get_translation(english), editor)  # the team publishes the English draft
    services.iteration_open(iteration=v2, by=editor)
    services.iteration_close(iteration=v2, by=editor)

    with django_capture_on_commit_callbacks(execute=True):
        v3 = services.iteration_start_next(charter=charter, by=editor)
    published(v3, editor)
    services.iteration_adopt(
        iteration=CharterIterationPage.objects.get(pk=v3.pk),
        by=editor,
        session_date=timezone.localdate(),
        deliberation_reference="DEL-2027-001",
        votes_for=20,
        votes_against=3,
        abstentions=0,
    )
    v3 = CharterIterationPage.objects.get(pk=v3.pk)
    assert not v3.get_translation(english).live  # English v3 still a draft
    return {"v1": v1, "v2": v2, "v3": v3, "amendment": amendment}


@pytest.mark.parametrize("who", ["anonymous", "resident"])
@override_settings(DOCUMENT_RATE_LIMITS="100000/60,100000/3600")
def test_no_public_link_leads_to_a_missing_page(client, lifecycle, english, who):
    if who == "resident":
        client.force_login(make_citizen("sam", "Sam des Quais"))
    v1, v2, v3 = lifecycle["v1"], lifecycle["v2"], lifecycle["v3"]

    seen, broken, documents, linked_from, pages = crawl(client, ["/", "/en/"])

    assert broken == [], "\n".join(broken)
    # Every version in French, the English ones published, and in English the comparisons,
    # syntheses, paragraphs, histories, amendments and debate.
    assert {v1.url, v2.url, v3.url} <= seen
    # The adopted version, not yet translated, is reached from the English pages too.
    assert any(origin.startswith("/en/") for origin in linked_from[v3.url])
    en_v2 = v2.get_translation(english)
    assert en_v2.url in seen
    assert any("/jeunes/" in address for address in seen)  # the debate (in French only)
    for part in ("compare/", "synthesis/", "/p/", "/history/", "/amendments/"):
        assert any(a.startswith("/en/") and part in a for a in seen), part
        assert any(not a.startswith("/en/") and part in a for a in seen), part
    # Every kind of document was fetched, in both languages.
    kinds = {content_type for _status, content_type in documents.values()}
    assert kinds == DOCUMENTS
    assert any(a.startswith("/en/") for a in documents)
    # Last, as it may be skipped: every page reached is valid HTML, as the W3C's checker
    # reads it (it needs Java).
    if nu_checker_missing() and not os.environ.get("CI"):
        pytest.skip(nu_checker_missing())
    invalid = invalid_html(pages)
    assert invalid == [], "\n".join(invalid)


def test_an_untranslated_version_is_listed_in_french_in_english(client, lifecycle, english):
    """The English charter lists v3, whose English is still a draft, as the French page,
    said to be in French; from the French v3, « English » leads to the English charter."""
    v3 = lifecycle["v3"]
    en_charter = v3.get_parent().get_translation(english)
    html = client.get(en_charter.url).content.decode()
    assert f'<a href="{v3.url}" lang="fr" hreflang="fr">Version 3</a>' in html
    assert "(in French)" in html
    assert f'href="{en_charter.url}" lang="en" hreflang="en"' in client.get(v3.url).content.decode()
    # The English version switcher lists every version.
    en_v2 = lifecycle["v2"].get_translation(english)
    html = client.get(en_v2.url).content.decode()
    switcher = html[html.index('class="iteration-switcher"') :]
    assert "Version 1" in switcher and f'href="{v3.url}" lang="fr" hreflang="fr"' in switcher


@pytest.mark.parametrize("english_v3", ["published", "draft"])
def test_every_version_reads_in_english(client, lifecycle, english, editor, english_v3):
    """The English charter page, the comparisons, the syntheses, the council's review and the
    adoption answer in English for v1, v2 and v3; where v3's English is still a draft, its
    French page stands in for it, said to be in French."""
    v1, v2, v3 = lifecycle["v1"], lifecycle["v2"], lifecycle["v3"]
    if english_v3 == "published":
        published(v3.get_translation(english), editor)
    en_charter = v3.get_parent().get_translation(english)
    client.force_login(factories.UserFactory(username="sophie", role=roles.COUNCIL_MEMBERS))

    def english_page(address, *headings):
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert '<html lang="en"' in html, address
        for heading in headings:
            assert heading in html, (address, heading)
        return html

    html = english_page(
        en_charter.url, "The charter is adopted", "Versions of the text", "Timeline"
    )
    comparisons = {}
    for old, new in ((1, 2), (2, 3), (1, 3)):
        comparisons[new] = english_page(
            f"{en_charter.url}compare/{old}/{new}/",
            f"Version {new} compared with Version {old}",
            "In short",
            "Paragraph by paragraph",
        )
    english_page(f"{en_charter.url}review/", "Council review: Version 3", "Before the vote")
    for version in (v1, v2, v3):
        page = version.get_translation(english)
        if not page.live:
            continue
        english_page(page.url, "Contents")
        english_page(f"{page.url}synthesis/", "Synthesis of the consultation:", "Participation")

    adopted = v3.get_translation(english)
    if adopted.live:
        assert f'<a href="{adopted.url}">Read the adopted text</a>' in html
    else:
        assert f'<a href="{v3.url}" lang="fr" hreflang="fr">Read the adopted text</a>' in html
        assert "(in French)" in html
        # Its paragraphs are linked in French, and their wording marked as French.
        assert f'href="{v3.url}p/' in comparisons[3] and 'hreflang="fr"' in comparisons[3]
        assert ' lang="fr">' in comparisons[3]
