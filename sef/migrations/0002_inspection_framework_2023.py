"""The area SEND inspection framework is reference data every partnership needs: load it with the schema."""

from django.db import migrations

from sef.seed.framework import write_framework


def load_framework(apps, schema_editor):
    write_framework(apps)


class Migration(migrations.Migration):
    dependencies = [("sef", "0001_initial")]

    operations = [migrations.RunPython(load_framework, migrations.RunPython.noop)]
