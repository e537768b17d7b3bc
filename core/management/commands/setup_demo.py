from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from core.audit import board_changed
from core.models import Partnership
from core.seed.demo import create_demo_users
from core.seed.southend import PARTNERSHIP


class Command(BaseCommand):
    help = "Load the Southend data, the demo sign-ins and flagged demo history. Refused under production settings."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError("Demo accounts are never created under these settings.")
        call_command("load_southend", verbosity=0)
        partnership = Partnership.objects.get(ons_code=PARTNERSHIP["ons_code"])
        users = create_demo_users(partnership)
        for loader in settings.DEMO_LOADERS:
            import_string(loader)(partnership)
        board_changed({partnership.pk})  # loaded without the portal's audited writes
        self.stdout.write(f"Loaded {partnership} and {len(users)} demo sign-ins.")
