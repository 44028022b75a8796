"""The month of each entry (in the site's time zone), stored for the date facet: counting per
month then needs no date arithmetic on every match."""

import importlib

from django.db import migrations, models
from django.utils import timezone

initial = importlib.import_module("search.migrations.0001_initial")


def fill_months(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    batch = []
    for entry in SearchEntry.objects.only("pk", "date").iterator(chunk_size=2000):
        entry.month = timezone.localtime(entry.date).strftime("%Y-%m")
        batch.append(entry)
        if len(batch) >= 2000:
            SearchEntry.objects.bulk_update(batch, ["month"])
            batch = []
    SearchEntry.objects.bulk_update(batch, ["month"])


def restore_sqlite_triggers(apps, schema_editor):
    """Adding a column on SQLite rebuilds the table, which drops its triggers: put back the ones
    that keep the FTS5 table in step. (Any later change to this table needs the same step.)"""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in initial.SQLITE_REVERSE[:3] + initial.SQLITE[1:]:
        schema_editor.execute(statement)
    schema_editor.execute(f"INSERT INTO {initial.FTS}({initial.FTS}) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="month",
            field=models.CharField(blank=True, max_length=7),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(fill_months, migrations.RunPython.noop),
    ]
