"""The page each entry links to, whose visibility (and that of its ancestors) decides whether
the entry is shown. Entries about a page get it from their key; the others have none until the
next ``rebuild_search_index`` and, having none, are not shown meanwhile (never shown wrongly)."""

import importlib

from django.db import migrations, models

initial = importlib.import_module("search.migrations.0001_initial")
month = importlib.import_module("search.migrations.0002_month")


def fill_page_entries(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    batch = []
    for entry in SearchEntry.objects.filter(key__startswith="page:").only("pk", "key").iterator():
        number = entry.key.removeprefix("page:")
        if number.isdigit():
            entry.page_id = int(number)
            batch.append(entry)
    SearchEntry.objects.bulk_update(batch, ["page_id"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_month"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="page_id",
            field=models.IntegerField(null=True),
        ),
        # Adding a column on SQLite rebuilds the table, which drops the FTS5 triggers.
        migrations.RunPython(month.restore_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(fill_page_entries, migrations.RunPython.noop),
    ]
