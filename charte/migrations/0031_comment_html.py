"""Each comment's text as shown, stored when it is written: existing comments filled in batches."""

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


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0030_follow_up"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="text_html",
            field=models.TextField(blank=True, editable=False, verbose_name="text as shown"),
        ),
        migrations.RunPython(fill_text_html, migrations.RunPython.noop, elidable=True),
    ]
