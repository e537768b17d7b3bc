"""The KPI models, moved here from the dashboards app with their tables unchanged (docs/adr/0012-kpis-apart-from-dashboards.md).

A fresh database gets the tables from dashboards' migrations; this one records the models under their new app and
relabels the audit trail and content types, so that history recorded before the move is still found.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ("indicator", "returnperiod", "return", "comparator")


def relabel(apps, old: str, new: str) -> None:
    AuditEvent = apps.get_model("core", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        AuditEvent.objects.filter(object_type=f"{old}.{model}").update(object_type=f"{new}.{model}")
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def relabel_moved_models(apps, schema_editor) -> None:
    relabel(apps, "dashboards", "kpis")


def unrelabel_moved_models(apps, schema_editor) -> None:
    relabel(apps, "kpis", "dashboards")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("actions", "0003_action_lock_version"),
        ("core", "0003_outbox"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("dashboards", "0004_figure_qualifiers"),
        ("sef", "0003_priority_row_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Indicator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="Capitals and underscores, for example EHCP_MAINTAINED", max_length=60
                    ),
                ),
                ("title", models.CharField(max_length=150)),
                ("description", models.TextField()),
                (
                    "unit",
                    models.CharField(
                        choices=[
                            ("count", "Count"),
                            ("percentage", "Percentage"),
                            ("weeks", "Weeks"),
                            ("days", "Days"),
                            ("money", "Money (£)"),
                            ("rate", "Rate"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "better",
                    models.CharField(
                        choices=[
                            ("higher", "Higher is better"),
                            ("lower", "Lower is better"),
                            ("neither", "Neither (context measure)"),
                        ],
                        max_length=8,
                        verbose_name="which direction is better",
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[("monthly", "Monthly"), ("termly", "Termly"), ("annual", "Annual")],
                        max_length=8,
                    ),
                ),
                (
                    "source_collection",
                    models.CharField(help_text="For example SEN2 or school census", max_length=100),
                ),
                ("cohort", models.TextField(verbose_name="cohort definition")),
                ("numerator", models.TextField(blank=True, verbose_name="numerator definition")),
                ("denominator", models.TextField(blank=True, verbose_name="denominator definition")),
                (
                    "suppress_small_numbers",
                    models.BooleanField(
                        default=False, help_text="Counts from 1 to 4 are shown as 'fewer than 5' everywhere"
                    ),
                ),
                (
                    "restricted",
                    models.BooleanField(default=False, help_text="Only the roles named below may see it"),
                ),
                (
                    "visible_to_roles",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Roles that may see a restricted indicator (admins always can)",
                    ),
                ),
                ("target_value", models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                (
                    "target_text",
                    models.TextField(blank=True, help_text="The target as its document words it"),
                ),
                ("target_source_document", models.CharField(blank=True, max_length=100)),
                (
                    "tolerance",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        help_text="How far from the target, in the indicator's unit, still counts as amber",
                        max_digits=14,
                        null=True,
                    ),
                ),
                (
                    "actions",
                    models.ManyToManyField(blank=True, related_name="indicators", to="actions.action"),
                ),
                (
                    "owner_organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="indicators",
                        to="core.organisation",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicators",
                        to="core.partnership",
                    ),
                ),
                (
                    "recommendations",
                    models.ManyToManyField(
                        blank=True, related_name="indicators", to="actions.recommendation"
                    ),
                ),
                (
                    "sef_areas",
                    models.ManyToManyField(
                        blank=True,
                        related_name="indicators",
                        to="sef.evaluationarea",
                        verbose_name="self-evaluation areas",
                    ),
                ),
            ],
            options={
                "db_table": "dashboards_indicator",
                "ordering": ["partnership", "code"],
            },
        ),
        migrations.CreateModel(
            name="Comparator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "geography",
                    models.CharField(
                        choices=[
                            ("england", "England"),
                            ("region", "Region"),
                            ("statistical_neighbours", "Statistical neighbours"),
                        ],
                        max_length=24,
                    ),
                ),
                ("period_label", models.CharField(max_length=120)),
                ("reference_date", models.DateField()),
                ("value", models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                (
                    "qualifier",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Exact"),
                            ("around", "around"),
                            ("over", "over"),
                            ("approximately", "approximately"),
                            ("fewer than", "fewer than"),
                            ("at least", "at least"),
                        ],
                        help_text="Where the source words it so",
                        max_length=14,
                    ),
                ),
                ("note", models.TextField(blank=True)),
                ("source_document", models.CharField(max_length=200)),
                ("source_quote", models.TextField(blank=True)),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comparators",
                        to="kpis.indicator",
                    ),
                ),
            ],
            options={
                "db_table": "dashboards_comparator",
                "ordering": ["indicator", "reference_date", "geography"],
            },
        ),
        migrations.CreateModel(
            name="ReturnPeriod",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[("monthly", "Monthly"), ("termly", "Termly"), ("annual", "Annual")],
                        max_length=8,
                    ),
                ),
                (
                    "label",
                    models.CharField(help_text="As people say it, for example 'April 2025'", max_length=60),
                ),
                ("start", models.DateField()),
                ("end", models.DateField()),
                ("deadline", models.DateField()),
                (
                    "is_open",
                    models.BooleanField(
                        default=True, help_text="Returns can be entered only while it is open"
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="return_periods",
                        to="core.partnership",
                    ),
                ),
            ],
            options={
                "db_table": "dashboards_returnperiod",
                "ordering": ["partnership", "-end", "frequency"],
            },
        ),
        migrations.CreateModel(
            name="Return",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period_label", models.CharField(max_length=120)),
                ("period_start", models.DateField()),
                ("period_end", models.DateField()),
                ("reference_date", models.DateField()),
                ("value", models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True)),
                (
                    "qualifier",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Exact"),
                            ("around", "around"),
                            ("over", "over"),
                            ("approximately", "approximately"),
                            ("fewer than", "fewer than"),
                            ("at least", "at least"),
                        ],
                        help_text="Where the source words it so",
                        max_length=14,
                    ),
                ),
                ("numerator", models.PositiveIntegerField(blank=True, null=True)),
                ("denominator", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "data_quality",
                    models.CharField(
                        choices=[
                            ("provisional", "Provisional"),
                            ("verified", "Verified"),
                            ("not_captured", "Not captured"),
                            ("unable_to_verify", "Unable to verify"),
                        ],
                        max_length=20,
                    ),
                ),
                ("note", models.TextField(blank=True)),
                ("source_document", models.CharField(blank=True, max_length=100)),
                ("source_quote", models.TextField(blank=True)),
                ("submitted_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("verified_at", models.DateTimeField(blank=True, null=True)),
                ("query_reason", models.TextField(blank=True)),
                ("queried_at", models.DateTimeField(blank=True, null=True)),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="returns",
                        to="kpis.indicator",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.partnership"
                    ),
                ),
                (
                    "queried_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "supersedes",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="superseded_by",
                        to="kpis.return",
                    ),
                ),
                (
                    "verified_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="returns",
                        to="kpis.returnperiod",
                    ),
                ),
            ],
            options={
                "db_table": "dashboards_return",
                "ordering": ["indicator", "reference_date", "submitted_at", "pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(fields=("partnership", "code"), name="indicator_code_unique"),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("tolerance__isnull", True), ("tolerance__gte", 0), _connector="OR"),
                name="indicator_tolerance_not_negative",
            ),
        ),
        migrations.AddIndex(
            model_name="comparator",
            index=models.Index(fields=["indicator", "geography", "reference_date"], name="comparator_as_at"),
        ),
        migrations.AddConstraint(
            model_name="returnperiod",
            constraint=models.UniqueConstraint(
                fields=("partnership", "label"), name="return_period_label_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="returnperiod",
            constraint=models.UniqueConstraint(
                fields=("partnership", "frequency", "start"), name="return_period_start_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="returnperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gte", models.F("start"))), name="period_ends_after_start"
            ),
        ),
        migrations.AddIndex(
            model_name="return",
            index=models.Index(
                fields=["partnership", "indicator", "reference_date"], name="dashboards__partner_e8d77a_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="return",
            index=models.Index(fields=["indicator", "reference_date", "submitted_at"], name="return_as_at"),
        ),
        migrations.AddConstraint(
            model_name="return",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("numerator__isnull", True),
                    ("denominator__isnull", True),
                    ("numerator__lte", models.F("denominator")),
                    _connector="OR",
                ),
                name="return_numerator_not_above_denominator",
            ),
        ),
        migrations.AddConstraint(
            model_name="return",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_end__gte", models.F("period_start"))),
                name="return_period_in_order",
            ),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(relabel_moved_models, unrelabel_moved_models),
    ]
