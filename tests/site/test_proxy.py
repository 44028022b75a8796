"""Limits that hold behind a reverse proxy: a real proxy (a thread on 127.0.0.1) forwards to the
live site and appends the address it saw to X-Forwarded-For; residents connect to it from two
loopback addresses (127.0.0.2, 127.0.0.3), two machines."""

from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, override_settings
from rest_framework.throttling import SimpleRateThrottle

from charte.models import Comment, Paragraph
from charte.texts import services
from tests import factories
from tests.site.local_proxy import local_proxy, request

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSRF = "a" * 32  # a CSRF secret the "browser" chose: the cookie and the form field agree
RESIDENT_A, RESIDENT_B = "127.0.0.2", "127.0.0.3"


def citizen(username):
    user = factories.UserFactory(username=username, pseudonym=f"Pseudo {username}")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"


def post_form(base, path, data, *, source, cookie=f"csrftoken={CSRF}", forwarded=None):
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    body = urlencode({**data, "csrfmiddlewaretoken": CSRF})
    return request(base, "POST", path, source=source, headers=headers, body=body)


@pytest.fixture
def comment_path(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).order_by("position").first()
    iteration.refresh_from_db()
    return f"{iteration.url}p/{paragraph.key}/comment/", paragraph


@override_settings(TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1, POST_RATE_LIMITS="2/60")
def test_two_residents_behind_the_proxy_have_their_own_posting_limit(live_server, comment_path):
    path, _ = comment_path
    lea, sam, tom = citizen("lea"), citizen("sam"), citizen("tom")
    with local_proxy(live_server.url) as proxy:
        # Resident A, on one machine, reaches the limit with two accounts, whatever
        # X-Forwarded-For their browser forges: the proxy's own entry is the one trusted.
        for user, forged in ((lea, "198.51.100.1"), (sam, "198.51.100.2")):
            status, _, _ = post_form(
                proxy, path, {"comment": "Avis"}, source=RESIDENT_A,
                cookie=session_cookie(user), forwarded=forged,
            )  # fmt: skip
            assert status == 302
        status, headers, _ = post_form(
            proxy, path, {"comment": "Encore"}, source=RESIDENT_A,
            cookie=session_cookie(tom), forwarded="198.51.100.3",
        )  # fmt: skip
        assert status == 429
        assert "Retry-After" in headers
        # Resident B, another machine behind the same proxy, is not held back by A.
        status, _, _ = post_form(
            proxy, path, {"comment": "Mon avis"}, source=RESIDENT_B,
            cookie=session_cookie(citizen("zoe")),
        )  # fmt: skip
        assert status == 302
    addresses = set(Comment.objects.values_list("ip_address", flat=True))
    assert addresses == {RESIDENT_A, RESIDENT_B}  # the resident's address, not the proxy's


@override_settings(TRUSTED_PROXY_COUNT=0, POST_RATE_LIMITS="2/60")
def test_without_a_trusted_proxy_a_forged_header_escapes_no_limit(
    live_server, comment_path, monkeypatch
):
    path, paragraph = comment_path
    for number, name in enumerate(("ana", "bob", "cyd")):
        status, _, _ = post_form(
            live_server.url, path, {"comment": f"Avis {name}"}, source=RESIDENT_A,
            cookie=session_cookie(citizen(name)), forwarded=f"198.51.100.{number}",
        )  # fmt: skip
    assert status == 429  # three accounts, one machine: the third post waits
    # The API's throttle counts the same client whatever X-Forwarded-For says.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "9/minute"}
    )
    api = f"/api/paragraphs/{paragraph.pk}/comments/"
    statuses = [
        request(
            live_server.url, "GET", api, source=RESIDENT_A,
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )[0]
        for n in range(3)
    ]  # fmt: skip
    assert statuses == [200, 200, 429]


@override_settings(TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere(live_server):
    lea = citizen("lea")
    login = "/accounts/login/"
    with local_proxy(live_server.url) as proxy:
        for _ in range(6):
            status, _, html = post_form(
                proxy, login, {"login": lea.email, "password": "pas le bon"}, source=RESIDENT_A
            )
        assert status == 200
        assert "Trop de tentatives de connexion" in html  # locked out from this address
        # The resident, at home, still signs in.
        status, headers, _ = post_form(
            proxy,
            login,
            {"login": lea.email, "password": "correct horse battery staple"},
            source=RESIDENT_B,
        )
    assert status == 302
    assert "sessionid" in headers.get("Set-Cookie", "")
