"""Demo accounts for trying the portal locally: one per role, flagged as demo, never under production."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from core.models import Membership, Organisation, Partnership, Role, User
from core.seed.southend import COUNCIL, PARENT_CARER_FORUM

DEMO_USERS = [
    ("officer@example.org", "Demo officer", Role.OFFICER, COUNCIL),
    ("lead@example.org", "Demo recommendation lead", Role.LEAD, COUNCIL),
    ("board@example.org", "Demo board member", Role.BOARD, PARENT_CARER_FORUM),
    ("democratic@example.org", "Demo democratic services officer", Role.DEMOCRATIC, COUNCIL),
    ("admin@example.org", "Demo partnership admin", Role.ADMIN, COUNCIL),
]
DEMO_OPERATOR = ("operator@example.org", "Demo site operator")


@transaction.atomic
def create_demo_users(partnership: Partnership) -> list[User]:
    if not settings.DEMO_ACCOUNTS_ALLOWED:
        raise ImproperlyConfigured("Demo accounts are only created by the local demo set-up.")
    users = []
    for email, name, role, organisation_name in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, settings.DEMO_PASSWORD, full_name=name, is_demo=True)
        elif not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if user.is_staff or user.is_superuser:  # a partnership user never is (a demo set up before this rule)
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
        organisation = Organisation.objects.get(partnership=partnership, name=organisation_name)
        Membership.objects.get_or_create(
            user=user, partnership=partnership, role=role, defaults={"organisation": organisation}
        )
        users.append(user)
    users.append(demo_operator())
    return users


def demo_operator() -> User:
    """The site operator: creates partnerships and uses Django admin, with no role in any partnership."""
    user = User.objects.filter(email=DEMO_OPERATOR[0]).first()
    if user is None:
        user = User.objects.create_user(
            DEMO_OPERATOR[0], settings.DEMO_PASSWORD, full_name=DEMO_OPERATOR[1], is_demo=True
        )
    user.set_password(settings.DEMO_PASSWORD)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["password", "is_staff", "is_superuser"])
    return user
