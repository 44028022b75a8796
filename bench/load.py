"""Load benchmark: the anonymous pages of the issue's table and a « last day » mix, through
the README's reverse proxy (nginx, deploy/nginx/charte.conf) in front of gunicorn, against
the framework floor measured in the same run.

Usage (a scratch PostgreSQL database and Redis; the database is written to)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/charte_load \\
    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/load.py --quick

It migrates the database, seeds the data (one charter of 200 paragraphs with 20,000 comments
and 2,000 citizens; a charter with two frozen versions of 1,000 paragraphs; a charter with two
frozen versions of 200 paragraphs), collects the static files into a temporary directory,
starts gunicorn (production settings via bench/settings.py, 2 sync workers) and nginx on
loopback ports of their own, then prints:

- for each page: requests/s with ``--connections`` clients for ``--seconds`` through nginx and
  straight to gunicorn, the floor (``/__floor__/``, a minimal Django view on the same gunicorn)
  measured in the same run, the ratio through nginx / floor, and two medians of ``--cold``
  requests by one client straight to gunicorn (so nginx's cache does not answer, and no
  ``If-None-Match`` is sent: Django renders the page each time): « cold », Django's cache
  as the site leaves it (the issue's « 1-client median »: what a reader waits for when the
  proxy's copy has expired), and « emptied », right after Django's whole cache is emptied
  (``cache.clear()`` on the Redis of REDIS_URL: Wagtail's site addresses, the site's identity
  and footer, the page tree's answers, a kept comparison are read again);
- posting a comment: median ms through nginx (one signed-in client) and SQL queries per post
  (measured apart, in this process, with CaptureQueriesContext; BEGIN, COMMIT and savepoints
  are counted apart);
- the last-day mix: ``--residents`` simulated residents for ``--duration`` seconds, each
  reading (90 %, anonymous, through nginx) or posting a comment (10 %, signed in, through the
  real form with the CSRF token of the page), with a random think time; errors, p50/p95/p99,
  posts accepted and comments stored (checked in the database after the run; must be equal).

Limits: bench/settings.py raises POST_RATE_LIMITS and DOCUMENT_RATE_LIMITS (posts, costly
pages) to 10,000,000 a minute, since every simulated client shares one loopback address.
Everything is bounded in requests and seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import logging
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
NGINX = "/usr/sbin/nginx"


# -- a small HTTP/1.1 client (keep-alive when the server keeps the connection) --------------


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method, path, headers=None, body=b""):
        """(status, headers with lower-case names, body); reconnects when the server closed."""
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
            lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
            if body:
                lines.append(f"Content-Length: {len(body)}")
            self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            try:
                await self.writer.drain()
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionResetError
            except (ConnectionError, OSError):
                self.close()
                if attempt:
                    raise
                continue
            return await self._response(status_line)

    async def _response(self, status_line):
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode("latin-1").partition(":")
            headers.setdefault(key.strip().lower(), value.strip())
            if key.strip().lower() == "set-cookie":
                headers.setdefault("set-cookie-all", [])
                headers["set-cookie-all"].append(value.strip())
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                body += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def throughput(port, path, *, connections, seconds, headers=None):
    """Requests/s of ``connections`` clients asking for ``path`` during ``seconds``; errors."""
    done = errors = 0
    end = time.monotonic() + seconds

    async def client():
        nonlocal done, errors
        connection = Connection(port)
        while time.monotonic() < end:
            try:
                status, _, _ = await connection.request("GET", path, headers)
                if status in (200, 304):
                    done += 1
                else:
                    errors += 1
            except (ConnectionError, OSError, asyncio.IncompleteReadError):
                errors += 1
                connection.close()
        connection.close()

    start = time.monotonic()
    await asyncio.gather(*(client() for _ in range(connections)))
    return done / (time.monotonic() - start), errors


async def timed(port, method, path, headers=None, body=b""):
    connection = Connection(port)
    start = time.perf_counter()
    status, response_headers, content = await connection.request(method, path, headers, body)
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    return status, elapsed, response_headers, content


# -- the servers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, process, what):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{what} stopped at start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{what} did not start within 60 s")


def start_nginx(scratch: Path, *, port: int, upstream_port: int, static_root: Path):
    conf = (ROOT / "deploy" / "nginx" / "charte.conf").read_text()
    for placeholder, value in {
        "listen 80;": f"listen 127.0.0.1:{port};",
        "listen [::]:80;": "",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "/var/cache/nginx/charte": str(scratch / "cache"),
        "/srv/charte/staticfiles/": f"{static_root}/",
        "/srv/charte/media/": f"{scratch / 'media'}/",
    }.items():
        conf = conf.replace(placeholder, value)
    (scratch / "charte.conf").write_text(conf)
    user = "user root;" if os.geteuid() == 0 else ""
    temp = scratch / "temp"
    temp.mkdir()
    (scratch / "nginx.conf").write_text(
        f"{user}\ndaemon off;\nworker_processes 2;\npid {scratch / 'nginx.pid'};\n"
        f"error_log {scratch / 'nginx-error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path "
        f"{temp}/b; proxy_temp_path {temp}/p; fastcgi_temp_path {temp}/f; uwsgi_temp_path "
        f"{temp}/u; scgi_temp_path {temp}/s; include {scratch / 'charte.conf'}; }}\n"
    )
    process = subprocess.Popen([NGINX, "-p", str(scratch), "-c", str(scratch / "nginx.conf")])
    wait_for(port, process, "nginx")
    return process


# -- the data ------------------------------------------------------------------------------


def seed(args):
    """The pages of the table; returns their paths and the data the mix needs."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max
    from django.utils import timezone

    from bench.scenario import open_iteration
    from charte.models import Comment, Paragraph
    from charte.texts import services
    from tests.bulk import write_comments

    def two_versions(paragraphs):
        first, _ = open_iteration(paragraphs)
        charter = first.get_parent().specific
        editor = first.owner
        services.iteration_close(iteration=first, by=editor)
        second = services.iteration_start_next(charter=charter, by=editor)
        second.save_revision(user=editor).publish(user=editor)
        services.iteration_open(
            iteration=second, by=editor, closes_at=timezone.now() + datetime.timedelta(days=30)
        )
        second.refresh_from_db()
        return charter, first, second

    stamp = time.time_ns()
    start = time.perf_counter()
    charter, first, iteration = two_versions(args.paragraphs)
    rows = list(Paragraph.objects.filter(iteration=iteration).order_by("position"))
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"load-{stamp}-{n}", email=f"load-{stamp}-{n}@example.org",
             pseudonym=f"L{stamp}-{n}")
        for n in range(args.citizens)
    )  # fmt: skip
    people = list(User.objects.filter(username__startswith=f"load-{stamp}-").order_by("pk"))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in people
    )
    kind = ContentType.objects.get_for_model(Paragraph).pk
    next_pk = (Comment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    now = timezone.now()
    write_comments(
        (next_pk + n, kind, rows[n % len(rows)].pk, people[n % len(people)].pk,
         people[n % len(people)].pseudonym, f"Avis {n} sur l’alinéa", now, True)
        for n in range(args.comments)
    )  # fmt: skip
    big_charter, _, big = two_versions(1000)
    print(
        f"seeded in {time.perf_counter() - start:.0f} s: {len(rows)} paragraphs, "
        f"{args.comments} comments, {len(people)} citizens; two versions of 1,000 paragraphs"
    )
    paragraph = f"{iteration.url}p/{rows[0].key}/"
    pages = {
        f"iteration page, {len(rows)} paragraphs": (iteration.url, None),
        "iteration page, 1,000 paragraphs": (big.url, None),
        "paragraph page": (paragraph, None),
        f"discussion panel, {args.comments // len(rows)} threads": (
            paragraph,
            {"X-Discussion-Panel": "1"},
        ),
        f"comparison, {len(rows)} paragraphs": (charter.url + "compare/1/2/", None),
        "comparison, 1,000 paragraphs": (big_charter.url + "compare/1/2/", None),
        "charter page": (charter.url, None),
    }
    return pages, iteration, rows, people


def session_cookies(people):
    from django.test import Client

    logging.disable(logging.INFO)  # one « sign-in succeeded » line per resident otherwise
    cookies = []
    for user in people:
        client = Client()
        client.force_login(user)
        cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    return cookies


# -- the measures --------------------------------------------------------------------------


async def table(pages, *, nginx, gunicorn, args):
    from django.core.cache import cache

    for _ in range(20):  # the workers load the site at their first request
        await timed(gunicorn, "GET", "/__floor__/")
    floor, _ = await throughput(
        gunicorn, "/__floor__/", connections=args.connections, seconds=args.seconds
    )
    # The floor's one-client time says how fast the machine is today: the cold medians below
    # compare with it (a shared machine's speed varies from one run to the next).
    alone = [(await timed(gunicorn, "GET", "/__floor__/"))[1] for _ in range(200)]
    print(
        f"\nframework floor (/__floor__/ on the same gunicorn): {floor:,.0f} req/s; "
        f"one client {statistics.median(alone):.2f} ms; "
        f"{args.connections} connections, {args.seconds} s per measure\n"
    )
    header = (
        f"{'anonymous request':<36} {'nginx req/s':>11} {'gunicorn':>9} {'floor':>7} "
        f"{'nginx/floor':>11} {'cold ms':>8} {'emptied':>8} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for label, (path, headers) in pages.items():
        emptied = []
        for _ in range(args.cold):
            cache.clear()
            status, elapsed, _, _ = await timed(gunicorn, "GET", path, headers)
            if status != 200:
                sys.exit(f"{label}: {path} answered {status}")
            emptied.append(elapsed)
        cold = []
        for _ in range(args.cold):
            status, elapsed, _, _ = await timed(gunicorn, "GET", path, headers)
            cold.append(elapsed)
        for _ in range(2):  # warm: nginx holds the page if it may, the workers have rendered it
            await timed(nginx, "GET", path, headers)
        through, errors = await throughput(
            nginx, path, connections=args.connections, seconds=args.seconds, headers=headers
        )
        direct, errors_direct = await throughput(
            gunicorn, path, connections=args.connections, seconds=args.seconds, headers=headers
        )
        print(
            f"{label:<36} {through:>11,.1f} {direct:>9,.1f} {floor:>7,.0f} "
            f"{through / floor:>10.1%} {statistics.median(cold):>8.0f} "
            f"{statistics.median(emptied):>8.0f} {errors + errors_direct:>6}"
        )


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


async def csrf_for(port, path, cookie):
    """The CSRF cookie and form token a signed-in resident gets from the paragraph page."""
    _, _, headers, content = await timed(port, "GET", path, {"Cookie": cookie})
    token = CSRF_INPUT.search(content)
    cookie_value = next(
        (c.split(";")[0] for c in headers.get("set-cookie-all", []) if c.startswith("csrftoken=")),
        None,
    )
    if token is None or cookie_value is None:
        sys.exit(f"no CSRF token on {path} for a signed-in resident")
    return f"{cookie}; {cookie_value}", token.group(1).decode()


def post_body(text, token):
    from urllib.parse import urlencode

    return urlencode(
        {"comment": text, "csrfmiddlewaretoken": token, "submission": f"s-{time.time_ns()}"}
    ).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def posting(iteration, rows, cookie, *, nginx, args, stamp):
    target = rows[len(rows) // 2]
    path = f"{iteration.url}p/{target.key}/"
    cookie, token = await csrf_for(nginx, path, cookie)
    times = []
    for n in range(args.posts):
        status, elapsed, _, _ = await timed(
            nginx, "POST", f"{path}comment/", {**FORM, "Cookie": cookie},
            post_body(f"post-{stamp}-{n}", token),
        )  # fmt: skip
        if status != 302:
            sys.exit(f"posting a comment answered {status}")
        times.append(elapsed)
    return path, times


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def queries_per_post(path, user, *, stamp):
    """SQL queries of one post, measured in this process (the same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    queries, control = [], []
    for n in range(5):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                f"{path}comment/", {"comment": f"post-{stamp}-q{n}", "submission": f"q{n}"}
            )
        assert response.status_code == 302, response.status_code
        # Transaction control (BEGIN, COMMIT, savepoints of nested blocks) is not a query:
        # counted apart.
        marks = [q for q in captured if q["sql"].startswith(TRANSACTION_CONTROL)]
        queries.append(len(captured) - len(marks))
        control.append(len(marks))
    return statistics.median(queries), statistics.median(control)


async def last_day(iteration, rows, cookies, pages, *, nginx, args, stamp):
    reads = [(path, headers) for path, headers in pages.values()]
    latencies, errors, accepted = [], 0, 0
    end = time.monotonic() + args.duration
    rng = random.Random(21)

    async def resident(n):
        nonlocal errors, accepted
        connection = Connection(nginx)
        cookie, token = None, None
        posts = 0
        await asyncio.sleep(rng.uniform(0, args.think))
        while time.monotonic() < end:
            started = time.perf_counter()
            try:
                if rng.random() < 0.1:
                    paragraph = rows[rng.randrange(len(rows))]
                    path = f"{iteration.url}p/{paragraph.key}/"
                    if token is None:
                        cookie, token = await csrf_for(nginx, path, cookies[n])
                    status, _, _ = await connection.request(
                        "POST", f"{path}comment/", {**FORM, "Cookie": cookie},
                        post_body(f"mix-{stamp}-{n}-{posts}", token),
                    )  # fmt: skip
                    posts += 1
                    ok = status == 302
                    accepted += ok
                else:
                    path, headers = reads[rng.randrange(len(reads))]
                    status, _, _ = await connection.request("GET", path, headers)
                    ok = status in (200, 304)
            except (ConnectionError, OSError, asyncio.IncompleteReadError):
                ok = False
                connection.close()
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not ok
            await asyncio.sleep(rng.expovariate(1 / args.think))
        connection.close()

    start = time.monotonic()
    await asyncio.gather(*(resident(n) for n in range(args.residents)))
    return time.monotonic() - start, latencies, errors, accepted


def report_last_day(elapsed, latencies, errors, accepted, *, args, stamp):
    from charte.models import Comment

    stored = Comment.objects.filter(comment__startswith=f"mix-{stamp}-").count()
    q = statistics.quantiles(latencies, n=100)
    print(
        f"\nlast day: {args.residents} residents, {elapsed:.0f} s, think time {args.think} s: "
        f"{len(latencies)} requests ({len(latencies) / elapsed:.1f}/s), {errors} errors; "
        f"p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, p99 {q[98]:.0f} ms; "
        f"posts accepted {accepted}, comments stored {stored}"
        + ("" if accepted == stored else "  <-- MISMATCH")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short measures and mix")
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--citizens", type=int, default=2_000)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--seconds", type=float, help="per throughput measure (10; quick 3)")
    parser.add_argument("--cold", type=int, default=15, help="cold requests per page")
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--duration", type=float, help="of the mix, s (300; quick 30)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, s")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    args.seconds = args.seconds or (3 if args.quick else 10)
    args.duration = args.duration or (30 if args.quick else 300)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a scratch PostgreSQL database")
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must name a scratch Redis database")
    if not os.access(NGINX, os.X_OK):
        sys.exit("nginx is needed (Debian: apt install nginx-light)")

    scratch = Path(tempfile.mkdtemp(prefix="charte-load-"))
    (scratch / "cache").mkdir()
    (scratch / "media").mkdir()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY", "load-benchmark-" + "x" * 50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        TRUSTED_PROXY_COUNT="1",
        STATIC_ROOT=str(scratch / "static"),
        MEDIA_ROOT=str(scratch / "media"),
        ELASTICSEARCH_URL="",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    pages, iteration, rows, people = seed(args)
    cookies = session_cookies(people[: args.residents + 1])
    stamp = time.time_ns()

    gunicorn_port, nginx_port = free_port(), free_port()
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--pythonpath", f"{ROOT / 'site'},{ROOT}",
         "wsgi:application", "--workers", str(args.workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{gunicorn_port}", "--log-level", "warning"],
        cwd=ROOT,
    )  # fmt: skip
    nginx = None
    try:
        wait_for(gunicorn_port, gunicorn, "gunicorn")
        nginx = start_nginx(
            scratch, port=nginx_port, upstream_port=gunicorn_port, static_root=scratch / "static"
        )
        asyncio.run(table(pages, nginx=nginx_port, gunicorn=gunicorn_port, args=args))
        path, times = asyncio.run(
            posting(iteration, rows, cookies[-1], nginx=nginx_port, args=args, stamp=stamp)
        )
        queries, control = queries_per_post(path, people[args.residents], stamp=stamp)
        print(
            f"\nposting a comment: median {statistics.median(times):.0f} ms through nginx "
            f"({args.posts} posts, one resident); {queries:.0f} queries per post "
            f"(and {control:.0f} transaction statements: BEGIN, COMMIT, savepoints)"
        )
        figures = asyncio.run(
            last_day(iteration, rows, cookies, pages, nginx=nginx_port, args=args, stamp=stamp)
        )
        report_last_day(*figures, args=args, stamp=stamp)
    finally:
        for process in (nginx, gunicorn):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
