"""The client's address behind trusted proxies, and log lines that say who, from where, in
which request: refusals by a limit and sign-ins included."""

import logging

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from charte.core.clientip import client_ip
from charte.core.logs import RequestContextFilter
from tests.charte.discussions.test_comments import make_citizen, url


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no trusted proxy: the header is anyone's
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the forged left part is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, None, "10.0.0.1"),  # reached directly
        (1, "not-an-address", "10.0.0.1"),  # never an error
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_client_ip_is_the_right_most_address_the_trusted_proxies_did_not_write(
    count, forwarded, expected
):
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(request_from("10.0.0.1", forwarded)) == expected


def console_handler():
    """The handler LOGGING configures: its formatter is what the operator reads."""
    for handler in logging.getLogger().handlers:
        if any(isinstance(f, RequestContextFilter) for f in handler.filters):
            return handler
    raise AssertionError("no log handler adds the request context")


def lines(caplog, logger):
    handler = console_handler()
    return [handler.format(r) for r in caplog.records if r.name == logger]


@pytest.mark.django_db
@override_settings(POST_RATE_LIMITS="1/60", TRUSTED_PROXY_COUNT=1)
def test_a_refusal_by_the_posting_limit_is_logged_with_request_user_and_address(
    client, opened, paragraph, caplog
):
    caplog.set_level(logging.INFO)
    user = make_citizen()
    client.force_login(user)
    client.post(url(opened, paragraph, "comment/"), {"comment": "Un avis"})
    response = client.post(
        url(opened, paragraph, "comment/"),
        {"comment": "Un autre"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_REQUEST_ID="proxy-req-42",
    )
    assert response.status_code == 429
    assert response["X-Request-ID"] == "proxy-req-42"  # echoed for the operator
    [line] = lines(caplog, "charte.limits")
    assert f"request=proxy-req-42 user={user.pk} ip=198.51.100.7 " in line
    assert "post-comment" in line
    assert line[:4].isdigit()  # the time comes first


@pytest.mark.django_db
def test_a_request_id_is_generated_when_the_proxy_sends_none_or_garbage(client):
    first = client.get("/", HTTP_X_REQUEST_ID="bad id\nforged line")
    second = client.get("/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.django_db
def test_sign_ins_are_logged_without_the_password(client, caplog):
    caplog.set_level(logging.INFO)
    user = make_citizen()
    client.post(reverse("account_login"), {"login": user.email, "password": "secret-faux-123"})
    client.post(
        reverse("account_login"),
        {"login": user.email, "password": "correct horse battery staple"},
        REMOTE_ADDR="192.0.2.5",
    )
    logged = lines(caplog, "charte.auth")
    assert len(logged) == 2
    assert "sign-in failed" in logged[0]
    assert f"sign-in succeeded for account {user.pk}" in logged[1]
    assert f"user={user.pk} ip=192.0.2.5 " in logged[1]
    assert "secret-faux-123" not in "\n".join(logged)


@pytest.mark.django_db
def test_a_refusal_by_the_api_throttle_is_logged(client, paragraph, caplog, monkeypatch):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "9/minute"}
    )
    api = f"/api/paragraphs/{paragraph.pk}/comments/"
    assert client.get(api, REMOTE_ADDR="192.0.2.9").status_code == 200
    assert client.get(api, REMOTE_ADDR="192.0.2.9").status_code == 429
    [line] = lines(caplog, "charte.limits")
    assert "limit api-anon refused GET" in line
    assert "user=- ip=192.0.2.9 " in line


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"})
def test_allauths_limits_answer_in_french_and_are_logged(client, caplog):
    caplog.set_level(logging.INFO)
    signup = reverse("account_signup")
    client.post(signup, {"email": "a@example.org"}, REMOTE_ADDR="192.0.2.7")
    response = client.post(signup, {"email": "b@example.org"}, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    assert "Trop de tentatives sont venues de votre adresse" in response.content.decode()
    [line] = lines(caplog, "charte.limits")
    assert "limit account refused POST" in line
    assert "ip=192.0.2.7 " in line
