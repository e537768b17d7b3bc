from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "Indicators and returns"
