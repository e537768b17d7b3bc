from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "SEND risk log"

    def ready(self) -> None:
        # Registers the Celery tasks, so that services queue them by name (core.jobs) without importing them.
        from risks import tasks  # noqa: F401
