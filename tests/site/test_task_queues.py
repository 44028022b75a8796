"""Background work in separate queues: e-mail never waits behind indexing or documents."""

import importlib
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from charte.amendments import notifications as amendment_notifications
from charte.amendments import services as amendment_services
from charte.core import mail as site_mail
from charte.discussions import charter_notifications
from charte.discussions import notifications as discussion_notifications
from charte.follow_up import questionnaire
from charte.follow_up import services as follow_up_services
from charte.moderation import notifications as moderation_notifications
from charte.publications import building
from charte.texts import frozen
from search import indexing

migration = importlib.import_module("charte.migrations.0032_task_queues")

MODULES = (
    amendment_notifications,
    amendment_services,
    site_mail,
    charter_notifications,
    discussion_notifications,
    questionnaire,
    follow_up_services,
    moderation_notifications,
    building,
    frozen,
    indexing,
)

QUEUE_OF = {
    "charte.core.mail.deliver_email": "mail",
    "charte.amendments.notifications.notify_answer_task": "notifications",
    "charte.amendments.notifications.notify_answers_task": "notifications",
    "charte.amendments.notifications.notify_correction_task": "notifications",
    "charte.discussions.charter_notifications.notify_charter_followers_task": "notifications",
    "charte.discussions.notifications.notify_followers_task": "notifications",
    "charte.discussions.notifications.notify_decision_task": "notifications",
    "charte.follow_up.questionnaire.invite_participants_task": "notifications",
    "charte.follow_up.services.notify_update_followers_task": "notifications",
    "charte.moderation.notifications.notify_auto_hidden_task": "notifications",
    "charte.amendments.services.refresh_references_task": "search",
    "search.indexing.refresh_task": "search",
    "search.indexing.refresh_batch_task": "search",
    "charte.publications.building.build_document_task": "documents",
    "charte.texts.frozen.warm_task": "documents",
}
# Tasks that came after the queues were separated: none of them ever waited on « default ».
NEWER = {"charte.texts.frozen.warm_task"}


def durable_tasks() -> dict:
    found = {}
    for module in MODULES:
        for value in vars(module).values():
            if isinstance(value, Task) and value.backend == "durable":
                found[value.module_path] = value
    return found


def test_every_durable_task_has_its_queue():
    tasks = durable_tasks()
    assert {path: task.queue_name for path, task in tasks.items()} == QUEUE_OF
    assert set(QUEUE_OF.values()) <= set(settings.TASKS["durable"]["QUEUES"])
    # The migration moves what waited on « default » to the same queues.
    assert {path: q for path, q in QUEUE_OF.items() if path not in NEWER} == migration.QUEUES


@pytest.mark.django_db
def test_tasks_waiting_on_the_default_queue_move_to_theirs():
    from django.apps import apps

    def row(path, status="READY"):
        return DBTaskResult.objects.create(
            task_path=path,
            args_kwargs={"args": [], "kwargs": {}},
            queue_name="default",
            backend_name="durable",
            priority=0,
            status=status,
        )

    waiting_mail = row("charte.core.mail.deliver_email")
    waiting_index = row("search.indexing.refresh_task")
    done = row("charte.publications.building.build_document_task", status="SUCCESSFUL")
    migration.forwards(apps, None)
    queue = dict(DBTaskResult.objects.values_list("pk", "queue_name"))
    assert queue == {waiting_mail.pk: "mail", waiting_index.pk: "search", done.pk: "default"}


def work_on(queues: str):
    """A worker started on ``queues`` alone, run until nothing of them is due."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command(
            "db_worker",
            "--batch",
            "--backend",
            "durable",
            "--queue-name",
            queues,
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_worker_delivers_while_indexing_and_documents_wait(settings):
    settings.EMAIL_BACKEND = "charte.core.mail.QueuedEmailBackend"
    settings.DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A long indexing and a document were asked for first.
    indexing.refresh_batch_task.enqueue({"paragraph": list(range(1, 1001))})
    building.build_document_task.enqueue(123456, "digest")
    mail.send_mail("Confirmez votre adresse", "Bienvenue.", None, ["lea@example.org"])

    work_on("mail")

    assert [m.to for m in mail.outbox] == [["lea@example.org"]]
    waiting = DBTaskResult.objects.filter(status="READY")
    assert sorted(waiting.values_list("queue_name", flat=True)) == ["documents", "search"]
    assert DBTaskResult.objects.get(queue_name="mail").status == "SUCCESSFUL"

    # The other worker takes them in turn.
    work_on("search,documents")
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db
def test_each_task_is_stored_in_its_queue():
    indexing.refresh_task.enqueue("comment", 1)
    building.build_document_task.enqueue(1, "digest")
    discussion_notifications.notify_decision_task.enqueue(1)
    site_mail.deliver_email.enqueue({"to": ["lea@example.org"]})
    assert dict(DBTaskResult.objects.values_list("task_path", "queue_name")) == {
        "search.indexing.refresh_task": "search",
        "charte.publications.building.build_document_task": "documents",
        "charte.discussions.notifications.notify_decision_task": "notifications",
        "charte.core.mail.deliver_email": "mail",
    }
