from django.apps import AppConfig


class SefConfig(AppConfig):
    name = "sef"
    verbose_name = "Self-evaluation"
