"""Settings come from the environment with safe defaults; production passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_python(code, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(expression, module="settings.dev", **env):
    code = (
        "import sys; sys.path.insert(1, 'site'); import os; "
        f"os.environ['DJANGO_SETTINGS_MODULE'] = '{module}'; "
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr({expression}))"
    )
    result = run_python(code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_import_site_is_still_the_standard_library():
    import site

    assert hasattr(site, "getsitepackages")
    assert not Path(site.__file__).is_relative_to(ROOT)
    assert not (ROOT / "site" / "__init__.py").exists()


def test_sqlite_by_default_with_wal_and_a_busy_timeout():
    assert "sqlite3" in settings_value("settings.DATABASES['default']['ENGINE']")
    options = settings_value("settings.DATABASES['default']['OPTIONS']")
    assert "journal_mode=WAL" in options
    assert "'timeout': 20" in options and "IMMEDIATE" in options


def test_sqlite_database_really_runs_in_wal_mode(tmp_path):
    code = (
        "import sys; sys.path.insert(1, 'site'); import os; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'settings.dev'; "
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])"
    )
    result = run_python(code, SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000"]


def test_postgresql_when_database_url_is_set():
    engine = settings_value(
        "settings.DATABASES['default']['ENGINE']",
        DATABASE_URL="postgres://charte:secret@db.example:5432/charte",
    )
    assert engine == "'django.db.backends.postgresql'"


def test_redis_cache_when_redis_url_is_set():
    backend = settings_value(
        "settings.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert backend == "'charte.core.cache.ResilientRedisCache'"
    assert "LocMemCache" in settings_value("settings.CACHES['default']['BACKEND']")


def test_time_zone_and_languages():
    assert settings_value("settings.TIME_ZONE") == "'Europe/Paris'"
    assert settings_value("settings.LANGUAGE_CODE") == "'fr'"
    assert settings_value("[code for code, _ in settings.LANGUAGES]") == "['fr', 'en']"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(
        "import sys; sys.path.insert(1, 'site'); import os; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'settings.production'; "
        "import django; django.setup()"
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_email_goes_to_smtp_from_the_environment_in_production():
    env = {"SECRET_KEY": "x" * 60, "EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "587"}
    assert "Queued" in settings_value("settings.EMAIL_BACKEND", "settings.production", **env)
    assert "smtp" in settings_value("settings.DELIVERY_EMAIL_BACKEND", "settings.production", **env)
    assert settings_value("settings.EMAIL_HOST", "settings.production", **env) == (
        "'smtp.example.org'"
    )
    assert "console" in settings_value("settings.DELIVERY_EMAIL_BACKEND", "settings.dev")


def test_production_settings_pass_check_deploy():
    env = {
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "charte.example.org",
    }
    result = run_python(
        "import sys; sys.argv = ['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'];"
        "import runpy; runpy.run_path('manage.py', run_name='__main__')",
        **env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_public_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_redis_cache_really_stores_values():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            raise
        import pytest

        pytest.skip("no Redis server at 127.0.0.1:6379 (install and start redis-server)")
    code = (
        "import sys; sys.path.insert(1, 'site'); import os; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'settings.dev'; "
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('charte-test', 'élu', 30); print(cache.get('charte-test')); "
        "cache.delete('charte-test')"
    )
    result = run_python(code, REDIS_URL="redis://127.0.0.1:6379/15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "élu"


def test_the_accessibility_settings_are_read_or_refused_with_the_reason():
    assert (
        settings_value(
            "(settings.ACCESSIBILITY_STATUS, settings.ACCESSIBILITY_AUDIT_DATE, "
            "settings.ACCESSIBILITY_AUDIT_RATE)",
            ACCESSIBILITY_STATUS="partial",
            ACCESSIBILITY_AUDIT_DATE="2027-01-15",
            ACCESSIBILITY_AUDIT_RATE="82",
        )
        == "('partial', datetime.date(2027, 1, 15), 82)"
    )
    for name, value, reason in (
        ("ACCESSIBILITY_STATUS", "partiel", "must be one of none, partial, full, not 'partiel'"),
        ("ACCESSIBILITY_AUDIT_DATE", "15/01/2027", "must be a date written YYYY-MM-DD"),
        ("ACCESSIBILITY_AUDIT_RATE", "82 %", "must be a whole number"),
    ):
        result = run_python(
            "import sys; sys.path.insert(1, 'site'); import os; "
            "os.environ['DJANGO_SETTINGS_MODULE'] = 'settings.dev'; "
            "import django; django.setup()",
            **{name: value},
        )
        assert result.returncode != 0
        assert f"{name} {reason}" in result.stderr


def test_postgresql_prepares_the_queries_a_connection_repeats():
    """On PostgreSQL, values travel apart from the query text and psycopg prepares a query its
    connection ran five times: PostgreSQL then stops planning it at each page."""
    url = "postgres://postgres@127.0.0.1:5432/charte"
    options = "settings.DATABASES['default'].get('OPTIONS', {})"
    assert settings_value(options, DATABASE_URL=url) == str(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
    assert settings_value(options, DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false") == "{}"
    assert "prepare_threshold" not in settings_value(options)  # SQLite


@pytest.mark.django_db
def test_a_repeated_query_is_prepared_on_postgresql():
    from django.db import connection

    from charte.models import Paragraph

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    for _ in range(6):
        list(Paragraph.objects.filter(pk=-1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert [sql for sql in prepared if '"charte_paragraph"' in sql and "$1" in sql]
