"""Background tasks already queued when the code moved into concept packages name their
function by its old module: point them at the new one, so that no queued e-mail is lost."""

from django.db import migrations

MOVED = {
    "charte.notifications.notify_followers_task": (
        "charte.discussions.notifications.notify_followers_task"
    ),
    "charte.notifications.notify_decision_task": (
        "charte.discussions.notifications.notify_decision_task"
    ),
    "charte.notifications.notify_answer_task": "charte.amendments.notifications.notify_answer_task",
    "charte.mail.deliver_email": "charte.core.mail.deliver_email",
}


def _rename(apps, renames):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in renames.items():
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    _rename(apps, MOVED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0014_permissions"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
