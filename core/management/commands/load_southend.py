from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from core.audit import board_changed
from core.seed.southend import load_southend_partnership


class Command(BaseCommand):
    help = "Load the Southend SEND Area Partnership, its organisations and its published documents, verbatim."

    def handle(self, *args: object, **options: object) -> None:
        partnership = load_southend_partnership()
        for loader in settings.SOUTHEND_LOADERS:
            import_string(loader)(partnership)
        board_changed({partnership.pk})  # loaded without the portal's audited writes
        self.stdout.write(f"Loaded {partnership} with {partnership.organisations.count()} organisations.")
