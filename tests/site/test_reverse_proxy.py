"""The reverse proxy of the README (deploy/nginx/charte.conf), the real nginx, in front of the
live site: what it keeps, what it never keeps, compression, and the client's address."""

from __future__ import annotations

import gzip
import http.client
import os
import pwd
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, override_settings

from charte.models import Comment, Paragraph
from charte.texts import services
from tests import factories

NGINX = "/usr/sbin/nginx"
CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "charte.conf"
CSRF = "b" * 32
RESIDENT = "127.0.0.2"  # the resident's machine, as nginx sees it

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.access(NGINX, os.X_OK), reason="nginx is not installed (Debian: nginx-light)"
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_config(*, port: int, upstream: str, root: Path) -> str:
    """The repository's server block with this test's port, upstream and directories: the
    placeholders the file documents at its top."""
    text = CONFIG.read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "listen [::]:80;": "",
        "server 127.0.0.1:8000;": f"server {upstream};",
        "/var/cache/nginx/charte": str(root / "cache"),
        "/srv/charte/staticfiles/": f"{root / 'static'}/",
        "/srv/charte/media/": f"{root / 'media'}/",
    }
    for placeholder, value in replacements.items():
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value)
    return text


@pytest.fixture
def nginx_root(tmp_path):
    return tmp_path


@pytest.fixture
def nginx(live_server, tmp_path):
    """nginx on a port of its own, proxying to the live server; yields its base URL."""
    for name in ("cache", "static", "media", "temp"):
        (tmp_path / name).mkdir()
    port = free_port()
    upstream = urlparse(live_server.url).netloc
    (tmp_path / "charte.conf").write_text(
        render_config(port=port, upstream=upstream, root=tmp_path)
    )
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};" if os.geteuid() == 0 else ""
    temp = tmp_path / "temp"
    (tmp_path / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {tmp_path / "nginx.pid"};
error_log {tmp_path / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {tmp_path / "charte.conf"};
}}
"""
    )
    args = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(args, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)


def fetch(base, path, *, method="GET", headers=None, body=None, source="127.0.0.1"):
    """(status, headers with lower-case names, body bytes), as they came over the wire."""
    url = urlparse(base)
    connection = http.client.HTTPConnection(
        url.hostname, url.port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return (
            response.status,
            {key.lower(): value for key, value in response.getheaders()},
            response.read(),
        )
    finally:
        connection.close()


def citizen(username):
    user = factories.UserFactory(username=username, pseudonym=f"Pseudo {username}")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"


def first_count(html: bytes) -> str:
    match = re.search(rb'class="charter-paragraph__count">([^<]*)<', html)
    assert match, "no comment count in the margin"
    return match.group(1).decode()


@pytest.fixture
def open_iteration(iteration, editor):
    """The iteration, frozen and open to comments; (page path, first paragraph)."""
    services.iteration_open(iteration=iteration, by=editor)
    iteration.refresh_from_db()
    paragraph = Paragraph.objects.filter(iteration=iteration).order_by("position").first()
    return iteration.url, paragraph


def test_the_configuration_is_valid_as_shipped(tmp_path):
    """The file, unchanged but for its documented placeholders, passes `nginx -t`."""
    (tmp_path / "cache").mkdir()
    conf = render_config(port=free_port(), upstream="127.0.0.1:8000", root=tmp_path)
    (tmp_path / "charte.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'}; error_log {tmp_path / 'error.log'};\n"
        f"events {{}}\nhttp {{ include /etc/nginx/mime.types; include {tmp_path}/charte.conf; }}\n"
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr


def test_an_anonymous_frozen_page_is_kept_and_compressed(nginx, open_iteration):
    path, _ = open_iteration
    status, first, _ = fetch(nginx, path)
    assert status == 200
    assert "public" in first["cache-control"] and "max-age=1" in first["cache-control"]
    assert first["etag"]
    assert first["x-cache-status"] == "MISS"
    status, second, body = fetch(nginx, path, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert second["x-cache-status"] == "HIT"
    assert second["content-encoding"] == "gzip"
    assert b"charter-paragraph__count" in gzip.decompress(body)


def test_a_signed_in_reader_is_never_served_from_the_cache(nginx, open_iteration):
    path, _ = open_iteration
    fetch(nginx, path)  # an anonymous reader fills the cache (once the page is public)
    cookie = session_cookie(citizen("lea"))
    for _ in range(2):
        status, headers, _ = fetch(nginx, path, headers={"Cookie": cookie})
        assert status == 200
        assert headers["x-cache-status"] == "BYPASS"
        assert "private" in headers["cache-control"]
        assert "public" not in headers["cache-control"]


def test_a_page_django_does_not_mark_public_is_never_kept(nginx):
    for _ in range(2):
        status, headers, _ = fetch(nginx, "/accounts/login/")
        assert status == 200
        assert "public" not in headers.get("cache-control", "")
        assert headers.get("x-cache-status") == "MISS"  # asked of Django every time


def test_a_form_page_seen_with_a_csrf_cookie_bypasses_the_cache(nginx):
    """Once a form was shown, the reader's next pages may carry the token: never shared."""
    status, headers, _ = fetch(nginx, "/accounts/login/", headers={"Cookie": f"csrftoken={CSRF}"})
    assert status == 200
    assert headers["x-cache-status"] == "BYPASS"


@override_settings(TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_django_sees_the_residents_address_through_nginx(nginx, open_iteration):
    path, paragraph = open_iteration
    comment_path = f"{path}p/{paragraph.key}/comment/"
    status, _, _ = fetch(
        nginx, comment_path, method="POST", source=RESIDENT,
        headers={
            "Cookie": session_cookie(citizen("sam")),
            "Content-Type": "application/x-www-form-urlencoded",
            # forged by the browser: the address nginx appends is the one the site trusts
            "X-Forwarded-For": "198.51.100.7",
        },
        body=urlencode({"comment": "Un avis", "csrfmiddlewaretoken": CSRF}),
    )  # fmt: skip
    assert status == 302
    assert list(Comment.objects.values_list("ip_address", flat=True)) == [RESIDENT]


@override_settings(TRUSTED_PROXY_COUNT=1, ALLAUTH_TRUSTED_PROXY_COUNT=1, PUBLIC_CACHE_SECONDS=1)
def test_the_margin_count_follows_a_post_once_the_copy_expires(nginx, live_server, open_iteration):
    path, paragraph = open_iteration
    fetch(nginx, path)
    status, headers, html = fetch(nginx, path)
    assert headers["x-cache-status"] == "HIT"
    before = first_count(html)
    status, _, _ = fetch(
        nginx, f"{path}p/{paragraph.key}/comment/", method="POST",
        headers={
            "Cookie": session_cookie(citizen("zoe")),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode({"comment": "Mon avis", "csrfmiddlewaretoken": CSRF}),
    )  # fmt: skip
    assert status == 302
    # The copy lives PUBLIC_CACHE_SECONDS; nginx then revalidates with the old ETag, which no
    # longer matches: Django answers with the new page. Poll (bounded), no fixed long sleep.
    deadline = time.monotonic() + 10
    seen = []
    while time.monotonic() < deadline:
        status, headers, html = fetch(nginx, path)
        assert status == 200
        seen.append(headers["x-cache-status"])
        if first_count(html) != before:
            break
        time.sleep(0.2)
    assert first_count(html) != before, f"the count stayed {before!r} ({seen})"
    # ... and it is the count Django itself shows now.
    assert first_count(fetch(live_server.url, path)[2]) == first_count(html)


def test_static_files_and_images_come_from_the_disk_documents_never(nginx, nginx_root):
    (nginx_root / "static" / "site.0123456789ab.css").write_text("body { color: #111; }")
    (nginx_root / "static" / "robots.txt").write_text("User-agent: *")
    (nginx_root / "media" / "documents").mkdir()
    (nginx_root / "media" / "documents" / "private.pdf").write_bytes(b"%PDF-1.4 private")
    (nginx_root / "media" / "images").mkdir()
    (nginx_root / "media" / "images" / "photo.png").write_bytes(b"png")
    status, headers, body = fetch(nginx, "/static/site.0123456789ab.css")
    assert (status, body) == (200, b"body { color: #111; }")
    assert (
        "max-age=31536000" in headers["cache-control"] and "immutable" in headers["cache-control"]
    )
    status, headers, _ = fetch(nginx, "/static/robots.txt")
    assert status == 200
    assert headers["cache-control"] == "max-age=3600"
    assert fetch(nginx, "/media/images/photo.png")[0] == 200
    # A document is served by the site, which checks who may read it: never from the disk.
    status, _, body = fetch(nginx, "/media/documents/private.pdf")
    assert status == 404
    assert b"private" not in body
