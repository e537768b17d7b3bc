from django.core.management.base import BaseCommand

from core.seed.southend import load_southend_partnership


class Command(BaseCommand):
    help = "Load the Southend SEND Area Partnership, its organisations and its published documents."

    def handle(self, *args: object, **options: object) -> None:
        partnership = load_southend_partnership()
        self.stdout.write(f"Loaded {partnership} with {partnership.organisations.count()} organisations.")
