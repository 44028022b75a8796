"""E-mails queued before the code moved into concept packages are still delivered: the
migration points their task at the function's new module."""

import importlib

import pytest
from django.apps import apps
from django_tasks_db.models import DBTaskResult

from charte.core import mail

migration = importlib.import_module("charte.migrations.0015_task_paths")


@pytest.mark.django_db
def test_queued_tasks_follow_their_function(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for old in migration.MOVED:
        DBTaskResult.objects.create(
            task_path=old,
            args_kwargs={"args": [], "kwargs": {}},
            queue_name="default",
            backend_name="durable",
            priority=0,
        )
    migration.forwards(apps, None)
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == set(migration.MOVED.values())
    for row in DBTaskResult.objects.all():
        assert row.task.func.__module__ + "." + row.task.func.__name__ == row.task_path
    assert mail.deliver_email.module_path == "charte.core.mail.deliver_email"
    migration.backwards(apps, None)
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == set(migration.MOVED)
