"""Background tasks waiting when the work was split into queues go to their function's new
queue, so that the workers given to each queue run them (none left on ``default``)."""

from django.db import migrations

QUEUES = {
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
}


def forwards(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for path, queue in QUEUES.items():
        DBTaskResult.objects.filter(task_path=path, status="READY", queue_name="default").update(
            queue_name=queue
        )


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0031_frozen_rendering"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
