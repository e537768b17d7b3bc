"""The KPI models moved to the kpis app with their tables unchanged: only Django's record of them moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0004_figure_qualifiers"),
        ("kpis", "0001_initial"),
    ]

    state_operations = [
        migrations.RemoveField(
            model_name="indicator",
            name="actions",
        ),
        migrations.RemoveField(
            model_name="indicator",
            name="owner_organisation",
        ),
        migrations.RemoveField(
            model_name="indicator",
            name="partnership",
        ),
        migrations.RemoveField(
            model_name="indicator",
            name="recommendations",
        ),
        migrations.RemoveField(
            model_name="indicator",
            name="sef_areas",
        ),
        migrations.RemoveField(
            model_name="return",
            name="indicator",
        ),
        migrations.RemoveField(
            model_name="return",
            name="partnership",
        ),
        migrations.RemoveField(
            model_name="return",
            name="period",
        ),
        migrations.RemoveField(
            model_name="return",
            name="queried_by",
        ),
        migrations.RemoveField(
            model_name="return",
            name="submitted_by",
        ),
        migrations.RemoveField(
            model_name="return",
            name="supersedes",
        ),
        migrations.RemoveField(
            model_name="return",
            name="verified_by",
        ),
        migrations.RemoveField(
            model_name="returnperiod",
            name="partnership",
        ),
        migrations.DeleteModel(
            name="Comparator",
        ),
        migrations.DeleteModel(
            name="Indicator",
        ),
        migrations.DeleteModel(
            name="Return",
        ),
        migrations.DeleteModel(
            name="ReturnPeriod",
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
