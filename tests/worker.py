"""What the background worker does, run in the test: every task due on the durable queues."""

from django.core.management import call_command


def work():
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
