from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.models import Partnership
from core.seed.demo import DEMO_USERS, create_demo_users
from core.seed.southend import PARTNERSHIP


class Command(BaseCommand):
    help = "Load the Southend data and the demo sign-ins for local use. Refused under production settings."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError("Demo accounts are never created under these settings.")
        call_command("load_southend", verbosity=0)
        partnership = Partnership.objects.get(ons_code=PARTNERSHIP["ons_code"])
        create_demo_users(partnership)
        self.stdout.write(f"Demo sign-ins (password: {settings.DEMO_PASSWORD}):")
        for email, _name, role, organisation in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {role.label}, {organisation}")
