from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Health and Wellbeing Board packs"

    def ready(self) -> None:
        # Registers the Celery tasks, so that services queue them by name (core.jobs) without importing them.
        from reports import tasks  # noqa: F401
