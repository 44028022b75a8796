"""The rate-limit counters kept in the database while Redis is down."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0017_pseudonym_skeleton"),
    ]

    operations = [
        migrations.CreateModel(
            name="LimitCounter",
            fields=[
                (
                    "key",
                    models.CharField(
                        max_length=255, primary_key=True, serialize=False, verbose_name="key"
                    ),
                ),
                ("count", models.BigIntegerField(null=True, verbose_name="count")),
                ("value", models.JSONField(null=True, verbose_name="value")),
                (
                    "expires_at",
                    models.DateTimeField(db_index=True, null=True, verbose_name="expires at"),
                ),
            ],
            options={
                "verbose_name": "rate-limit counter",
                "verbose_name_plural": "rate-limit counters",
                "default_permissions": (),
            },
        ),
    ]
