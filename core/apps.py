from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Partnerships and people"

    def ready(self) -> None:
        # Registers the Celery tasks, so that services queue them by name (core.jobs) without importing them.
        from core import tasks  # noqa: F401
