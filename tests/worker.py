"""What the background worker does, run in the test: every task due on the durable queues."""

from unittest import mock

from django.core.management import call_command


def work():
    # The worker runs on the test's own connection: it must not close it between tasks (it
    # does so with a connection outside autocommit, which a test's transaction is on
    # PostgreSQL; SQLite's in-memory test database is never closed).
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command(
            "db_worker",
            "--batch",
            "--backend",
            "durable",
            "--queue-name",
            "*",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )
