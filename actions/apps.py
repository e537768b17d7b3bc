from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Strategic Action Plan"

    def ready(self) -> None:
        # Registers the Celery tasks, so that services queue them by name (core.jobs) without importing them.
        from actions import tasks  # noqa: F401
