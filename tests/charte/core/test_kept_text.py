"""Text a resident typed is never thrown away by a refused form: a form sent after the session
ended is refused with « sign in first », its text is kept, and signing in again through the
site's sign-in leads back to that form, filled again, once, for that account only."""

import re
import time
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from charte.amendments.services import amendment_propose
from charte.core import roles
from charte.debates.services import argument_post
from charte.discussions.services import comment_post
from charte.models import Amendment, Argument, Comment, Paragraph
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
TYPED = "Une idée : des bancs « à l’ombre »,\npas seulement l’été.\n\n— Léa & co <ok>"
TITLE = "Des bancs à l’ombre"
RATIONALE = "Parce qu’il fait chaud :\nles aînés attendent debout."

KEPT_MSGID = (
    "You are no longer signed in, so your text has not been sent. It is kept: sign in and you "
    "will find it in the form, to check and send again."
)
RESTORED_MSGID = (
    "Your text was kept while you signed in again. It has not been sent: check it, then send it."
)


def said(msgid, language):
    """The message as the page's language says it (French first, English second)."""
    with translation.override(language):
        return escape(gettext(msgid))


KEPT = {language: said(KEPT_MSGID, language) for language in ("fr", "en")}
RESTORED = {language: said(RESTORED_MSGID, language) for language in ("fr", "en")}


def owner_of_form(client, address):
    """The form as its signed-in author saw it: the mark it carries for them."""
    html = client.get(address).content.decode()
    found = re.search(r'name="owner" value="([0-9a-f]+)"', html)
    return found.group(1) if found else ""


def sign_in(client, user, login_link):
    """Follow the sign-in link and sign in with the site's own sign-in (allauth's form)."""
    response = client.post(login_link, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def login_link(html):
    """The sign-in link of the notice, as the browser follows it."""
    found = re.search(
        r'notice--kept".*?href="(/(?:en/)?accounts/login/\?next=[^"]+)"', html, re.DOTALL
    )
    assert found, "no sign-in link"
    return found.group(1).replace("&amp;", "&")


class Form:
    """One kind of citizen form: where it is, what it posts, where its text comes back."""

    def __init__(self, name, page, action, fields, shown):
        self.name, self.page, self.action, self.fields, self.shown = (
            name,
            page,
            action,
            fields,
            shown,
        )


@pytest.fixture
def debate(charter, editor):
    return factories.make_debate(charter, user=editor)


def forms(kind, opened, paragraph, debate, author):
    """The form of ``kind`` (see the parametrization below), set up for ``author``."""
    paragraph_page = f"{opened.url}p/{paragraph.key}/"
    if kind == "comment":
        return Form(kind, paragraph_page, paragraph_page + "comment/", {"comment": TYPED}, [TYPED])
    if kind == "reply":
        parent = comment_post(paragraph=paragraph, by=make_citizen("autre", "Autre"), text="Eh")
        return Form(
            kind,
            paragraph_page,
            paragraph_page + "comment/",
            {"comment": TYPED, "parent": str(parent.pk)},
            [TYPED, mark_safe(f'name="parent" value="{parent.pk}"')],
        )
    if kind == "amendment comment":
        amendment_propose(
            paragraph=paragraph,
            by=make_citizen("autre", "Autre"),
            kind="modify",
            text="Autre rédaction.",
            rationale="Plus clair.",
        )
        page = f"{opened.url}amendments/1/"
        return Form(kind, page, page + "comment/", {"comment": TYPED}, [TYPED])
    if kind == "argument comment":
        argument = argument_post(
            debate=debate, by=make_citizen("autre", "Autre"), side="for", title="Oui", text="Car."
        )
        page = f"{debate.url}a/{argument.pk}/"
        return Form(kind, page, page + "comment/", {"comment": TYPED}, [TYPED])
    if kind in ("amendment", "amendment preview"):
        page = f"{opened.url}p/{paragraph.key}/amend/"
        fields = {"kind": "modify", "text": TYPED, "rationale": RATIONALE}
        fields["send" if kind == "amendment" else "preview"] = "1"
        return Form(
            kind, page, page, fields, [TYPED, RATIONALE, mark_safe('value="modify" checked')]
        )
    assert kind == "argument"
    fields = {"side": "against", "title": TITLE, "text": TYPED}
    return Form(
        kind,
        debate.url,
        debate.url + "argue/",
        fields,
        [TYPED, TITLE, mark_safe('value="against" checked')],
    )


KINDS = [
    "comment",
    "reply",
    "amendment comment",
    "argument comment",
    "amendment",
    "amendment preview",
    "argument",
]


def shown(html, form):
    # Typed text as the page shows it (Django's escaping); markup (mark_safe) as it is.
    return all(conditional_escape(part) in html for part in form.shown)


def refused_after_the_session_ended(client, form, author):
    client.force_login(author)
    owner = owner_of_form(client, form.page)
    client.logout()  # the session ends: expired, or signed out in another tab
    response = client.post(
        form.action, {**form.fields, "owner": owner, "submission": "s1", "website": ""}
    )
    return response


@pytest.mark.parametrize("kind", KINDS)
def test_text_typed_before_the_session_ended_comes_back_after_signing_in(
    client, opened, paragraph, debate, kind
):
    author = make_citizen()
    form = forms(kind, opened, paragraph, debate, author)
    response = refused_after_the_session_ended(client, form, author)
    html = response.content.decode()
    assert response.status_code == 403
    assert KEPT["fr"] in html
    link = login_link(html)
    assert link == reverse("account_login") + "?next=" + quote(f"{form.page}#kept-text")

    assert sign_in(client, author, link) == f"{form.page}#kept-text"
    html = client.get(form.page).content.decode()
    assert shown(html, form), html
    assert RESTORED["fr"] in html and 'id="kept-text"' in html

    # Given back once: nothing was sent, and the next visit shows an ordinary form.
    assert not Comment.objects.filter(comment=TYPED).exists()
    assert not Amendment.objects.filter(text=TYPED).exists()
    assert not Argument.objects.filter(text=TYPED).exists()
    html = client.get(form.page).content.decode()
    assert escape(TYPED) not in html and RESTORED["fr"] not in html


@pytest.mark.parametrize("kind", ["comment", "amendment", "argument"])
@pytest.mark.parametrize("after", ["right after", "after the author signed in and out"])
def test_another_account_on_the_same_browser_never_gets_the_text(
    client, opened, paragraph, debate, kind, after
):
    author = make_citizen()
    other = make_citizen("sam", "Sam")
    form = forms(kind, opened, paragraph, debate, author)
    link = login_link(refused_after_the_session_ended(client, form, author).content.decode())
    if after != "right after":
        sign_in(client, author, reverse("account_login"))
        client.post(reverse("account_logout"))
    sign_in(client, other, link)
    html = client.get(form.page).content.decode()
    assert "_auth_user_id" in client.session
    assert escape(TYPED) not in html and RESTORED["fr"] not in html
    # Nor does the author, signing in later: the text was dropped at the other's sign-in.
    client.post(reverse("account_logout"))
    sign_in(client, author, link)
    assert escape(TYPED) not in client.get(form.page).content.decode()


def test_in_english_the_reader_is_told_in_english(client, opened, paragraph, english):
    from tests.charte.texts.test_public_pages import translate

    translated = translate(opened, english)
    author = make_citizen()
    page = f"{translated.url}p/{paragraph.key}/"
    assert page.startswith("/en/")
    form = Form("comment", page, page + "comment/", {"comment": TYPED}, [TYPED])
    html = refused_after_the_session_ended(client, form, author).content.decode()
    assert KEPT["en"] in html
    link = login_link(html)
    assert sign_in(client, author, link) == f"{page}#kept-text"
    html = client.get(page).content.decode()
    assert shown(html, form) and RESTORED["en"] in html


def test_a_staff_member_signed_out_while_idle_gets_the_text_after_the_second_factor(
    client, opened, paragraph, settings
):
    settings.STAFF_SESSION_IDLE_SECONDS = 1800
    staff = factories.UserFactory(
        username="elu", pseudonym="Élu du quartier", role=roles.COMMUNICATION_TEAM
    )
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    page = f"{opened.url}p/{paragraph.key}/"
    # Signed in with the password and the code, the staff member opens the discussion...
    client.force_login(staff)
    owner = owner_of_form(client, page)
    # ... types for a long time: the idle timeout signs them out as they send.
    session = client.session
    session["_staff_last_activity"] = time.time() - 3600
    session.save()
    response = client.post(page + "comment/", {"comment": TYPED, "owner": owner})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    link = login_link(response.content.decode())

    response = client.post(link, {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    assert response["Location"] == f"{page}#kept-text"
    html = client.get(page).content.decode()
    assert escape(TYPED) in html and RESTORED["fr"] in html


def test_only_a_form_shown_to_an_account_is_kept(client, opened, paragraph):
    """A form nobody signed in was shown (no mark of an account) keeps nothing for whoever
    signs in next; the same text from a form shown to the author is kept."""
    author = make_citizen()
    page = f"{opened.url}p/{paragraph.key}/"
    response = client.post(page + "comment/", {"comment": TYPED})
    assert response.status_code == 403
    assert KEPT["fr"] not in response.content.decode()
    assert "charte_kept_text" not in client.session
    form = Form("comment", page, page + "comment/", {"comment": TYPED}, [TYPED])
    assert KEPT["fr"] in refused_after_the_session_ended(client, form, author).content.decode()


def test_kept_text_is_bounded(client, opened, paragraph, debate):
    """A few forms at most; a text longer than a form accepts is kept whole (its author
    shortens it), a flood is cut."""
    author = make_citizen()
    client.force_login(author)
    owner = owner_of_form(client, f"{opened.url}p/{paragraph.key}/")
    client.logout()
    for row in Paragraph.objects.filter(iteration=opened).order_by("position")[:5]:
        client.post(f"{opened.url}p/{row.key}/comment/", {"comment": "é" * 5_000, "owner": owner})
    kept = client.session["charte_kept_text"]
    assert len(kept) == 3
    assert {len(entry["fields"]["comment"]) for entry in kept} == {5000}
    client.post(
        f"{opened.url}p/{paragraph.key}/comment/", {"comment": "é" * 50_000, "owner": owner}
    )
    assert len(client.session["charte_kept_text"][-1]["fields"]["comment"]) == 12_000
