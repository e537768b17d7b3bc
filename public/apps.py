from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public pages, families' feedback, open data and the read API"

    def ready(self) -> None:
        # Registers the Celery tasks, so that services queue them by name (core.jobs) without importing them.
        from public import tasks  # noqa: F401
