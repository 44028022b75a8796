"""The pseudonym's TR39 skeleton, stored so that a look-alike of another resident's pseudonym
is found with one indexed query; filled for the accounts that already exist."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from charte.core.pseudonyms import skeleton

    User = apps.get_model("charte", "User")
    for user in User.objects.exclude(pseudonym=None).exclude(pseudonym="").only("pseudonym"):
        User.objects.filter(pk=user.pk).update(pseudonym_skeleton=skeleton(user.pseudonym))


class Migration(migrations.Migration):
    dependencies = [("charte", "0016_answer_corrections")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="pseudonym_skeleton",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
