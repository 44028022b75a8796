"""The staff groups and the moderation workflow in French, the admin's first language: Wagtail
shows these names as they are stored (« Soumettre à Moderators approval »). The code finds the
groups through ``charte.core.roles``, which names them the same way."""

from django.db import migrations

GROUPS = {
    "Communication team": "Équipe communication",
    "Moderators": "Modérateurs",
    "Council members": "Membres du conseil",
}
WORKFLOW = {"Moderators approval": "Validation par les modérateurs"}


def rename(apps, names):
    Group = apps.get_model("auth.Group")
    Task = apps.get_model("wagtailcore.Task")
    Workflow = apps.get_model("wagtailcore.Workflow")
    for old, new in names["groups"].items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for old, new in names["workflow"].items():
        Task.objects.filter(name=old).update(name=new)
        Workflow.objects.filter(name=old).update(name=new)


def to_french(apps, schema_editor):
    rename(apps, {"groups": GROUPS, "workflow": WORKFLOW})


def to_english(apps, schema_editor):
    rename(
        apps,
        {
            "groups": {new: old for old, new in GROUPS.items()},
            "workflow": {new: old for old, new in WORKFLOW.items()},
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0020_phase_kind"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(to_french, to_english)]
