"""Each comment's text as shown, stored when it is written (existing comments filled in
batches), and the visible comments counted per discussion (existing ones counted at once)."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.html import urlize

BATCH = 2_000


def inert_html(text):
    # As charte.discussions.models.inert_html when this migration was written.
    html = urlize(str(text), nofollow=True, autoescape=True)
    html = html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return html.replace("\n", "<br>")


def fill_text_html(apps, schema_editor):
    Comment = apps.get_model("charte", "Comment")
    last = 0
    while True:
        rows = list(
            Comment.objects.filter(pk__gt=last)
            .exclude(comment="")
            .order_by("pk")
            .values_list("pk", "comment")[:BATCH]
        )
        if not rows:
            return
        Comment.objects.bulk_update(
            [Comment(pk=pk, text_html=inert_html(text)) for pk, text in rows],
            ["text_html"],
            batch_size=500,
        )
        last = rows[-1][0]


def count_discussions(apps, schema_editor):
    # As DiscussionCount.recount_all when this migration was written: one statement.
    schema_editor.execute(
        "INSERT INTO charte_discussioncount "
        "(content_type_id, object_pk, total, workshop, register) "
        "SELECT d.content_type_id, d.object_pk, COUNT(*), "
        "COUNT(CASE WHEN w.kind = 'workshop' THEN 1 END), "
        "COUNT(CASE WHEN w.kind = 'register' THEN 1 END) "
        "FROM django_comments d "
        "INNER JOIN charte_comment c ON c.xtdcomment_ptr_id = d.id "
        "LEFT OUTER JOIN charte_workshop w ON w.id = c.workshop_id "
        "WHERE d.is_public AND c.hidden_at IS NULL AND c.deleted_at IS NULL "
        "GROUP BY d.content_type_id, d.object_pk"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0032_task_queues"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="text_html",
            field=models.TextField(
                blank=True, default="", db_default="", editable=False, verbose_name="text as shown"
            ),
        ),
        migrations.RunPython(fill_text_html, migrations.RunPython.noop, elidable=True),
        migrations.CreateModel(
            name="DiscussionCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_pk", models.CharField(max_length=64)),
                ("total", models.PositiveIntegerField(default=0)),
                ("workshop", models.PositiveIntegerField(default=0)),
                ("register", models.PositiveIntegerField(default=0)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "comment count",
                "verbose_name_plural": "comment counts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_pk"), name="one_count_per_discussion"
                    )
                ],
            },
        ),
        migrations.RunPython(count_discussions, migrations.RunPython.noop, elidable=True),
    ]
