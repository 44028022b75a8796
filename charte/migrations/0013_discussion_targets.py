"""Follows and moderation decisions point at what they concern through its content type and
primary key (one way for every kind of discussion target), instead of one column per kind.
Every existing row is kept: the data is copied before the old columns go."""

import django.db.models.deletion
from django.db import migrations, models

import charte.core.targets

FOLLOW_KINDS = ("paragraph", "amendment", "argument")
DECISION_KINDS = ("comment", "argument")


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="charte", model=model)[0]


def forwards(apps, schema_editor):
    ThreadFollow = apps.get_model("charte", "ThreadFollow")
    ModerationDecision = apps.get_model("charte", "ModerationDecision")
    for kind in FOLLOW_KINDS:
        rows = ThreadFollow.objects.filter(**{f"{kind}__isnull": False})
        if rows.exists():
            content_type = _content_type(apps, kind)
            for row in rows.only("pk", f"{kind}_id").iterator():
                ThreadFollow.objects.filter(pk=row.pk).update(
                    content_type=content_type, object_id=getattr(row, f"{kind}_id")
                )
    for kind in DECISION_KINDS:
        rows = ModerationDecision.objects.filter(**{f"{kind}__isnull": False})
        if rows.exists():
            content_type = _content_type(apps, kind)
            for row in rows.only("pk", f"{kind}_id").iterator():
                ModerationDecision.objects.filter(pk=row.pk).update(
                    content_type=content_type, object_id=getattr(row, f"{kind}_id")
                )


def backwards(apps, schema_editor):
    ThreadFollow = apps.get_model("charte", "ThreadFollow")
    ModerationDecision = apps.get_model("charte", "ModerationDecision")
    for kind in FOLLOW_KINDS:
        content_type = _content_type(apps, kind)
        for row in ThreadFollow.objects.filter(content_type=content_type).iterator():
            ThreadFollow.objects.filter(pk=row.pk).update(**{f"{kind}_id": row.object_id})
    for kind in DECISION_KINDS:
        content_type = _content_type(apps, kind)
        for row in ModerationDecision.objects.filter(content_type=content_type).iterator():
            ModerationDecision.objects.filter(pk=row.pk).update(**{f"{kind}_id": row.object_id})


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0012_debates"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="threadfollow",
            name="content_type",
            field=models.ForeignKey(
                null=True,
                limit_choices_to=charte.core.targets.allowed_content_types,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind of discussion",
            ),
        ),
        migrations.AddField(
            model_name="threadfollow",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="discussion"),
        ),
        migrations.AddField(
            model_name="moderationdecision",
            name="content_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind of contribution",
            ),
        ),
        migrations.AddField(
            model_name="moderationdecision",
            name="object_id",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="contribution"
            ),
        ),
        # The old constraints go first, so that going back copies the rows before they return.
        migrations.RemoveConstraint(model_name="threadfollow", name="follow_once"),
        migrations.RemoveConstraint(model_name="threadfollow", name="follow_amendment_once"),
        migrations.RemoveConstraint(model_name="threadfollow", name="follow_argument_once"),
        migrations.RemoveConstraint(model_name="threadfollow", name="follow_one_discussion"),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="moderationdecision", name="argument"),
        migrations.RemoveField(model_name="moderationdecision", name="comment"),
        migrations.RemoveField(model_name="threadfollow", name="amendment"),
        migrations.RemoveField(model_name="threadfollow", name="argument"),
        migrations.RemoveField(model_name="threadfollow", name="paragraph"),
        migrations.AlterField(
            model_name="threadfollow",
            name="content_type",
            field=models.ForeignKey(
                limit_choices_to=charte.core.targets.allowed_content_types,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind of discussion",
            ),
        ),
        migrations.AlterField(
            model_name="threadfollow",
            name="object_id",
            field=models.PositiveBigIntegerField(verbose_name="discussion"),
        ),
        migrations.AddIndex(
            model_name="moderationdecision",
            index=models.Index(fields=["content_type", "object_id"], name="decision_item"),
        ),
        migrations.AddIndex(
            model_name="threadfollow",
            index=models.Index(fields=["content_type", "object_id"], name="follow_target"),
        ),
        migrations.AddConstraint(
            model_name="threadfollow",
            constraint=models.UniqueConstraint(
                fields=("user", "content_type", "object_id"), name="follow_discussion_once"
            ),
        ),
    ]
